import { Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  CheckEvidence,
  CheckResult,
} from '@opsready/plugin-operability-common';
import { LevelChip } from '../LevelChip';
import { formatLocalDate } from '../shared/time';
import { CheckStatusLabel } from './CheckStatusLabel';
import { TextWithCode } from '../shared/TextWithCode';

/** Checks grouped by category, in the order the rubric lists them. */
export function groupByCategory(
  checks: readonly CheckResult[],
): [category: string, checks: CheckResult[]][] {
  const groups = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const group = groups.get(check.category) ?? [];
    group.push(check);
    groups.set(check.category, group);
  }
  return [...groups.entries()];
}

function EvidenceList(props: { evidence: CheckEvidence[] }) {
  if (props.evidence.length === 0) return null;
  return (
    <Box component="ul" m={0} pl={2}>
      {props.evidence.map((item, index) => (
        <Typography
          key={index}
          component="li"
          variant="caption"
          display="block"
        >
          <strong>{item.kind}</strong> {item.text}
          {item.source && (
            <Typography
              component="span"
              variant="caption"
              color="textSecondary"
            >
              {' '}
              ({item.source})
            </Typography>
          )}
        </Typography>
      ))}
    </Box>
  );
}

function CheckResultText(props: { check: CheckResult }) {
  const { check } = props;
  const needsFix = check.status === 'fail' || check.status === 'unknown';
  return (
    <>
      {check.message}
      {needsFix && check.remediation && (
        <Typography variant="caption" display="block">
          <strong>How to fix:</strong> <TextWithCode text={check.remediation} />
        </Typography>
      )}
      {check.exemption && (
        <Typography variant="caption" color="textSecondary" display="block">
          Exempt until {formatLocalDate(check.exemption.expiresAt)}:{' '}
          {check.exemption.reason} ({check.exemption.author})
        </Typography>
      )}
    </>
  );
}

const checkColumns: TableColumn<CheckResult>[] = [
  {
    title: 'Status',
    field: 'status',
    width: '12%',
    render: check => <CheckStatusLabel status={check.status} />,
  },
  {
    title: 'Check',
    field: 'title',
    width: '20%',
    render: check => (
      <>
        {check.title}
        <Typography variant="caption" color="textSecondary" display="block">
          {check.id}
        </Typography>
      </>
    ),
  },
  {
    title: 'Level',
    field: 'level',
    width: '8%',
    render: check => <LevelChip level={check.level} />,
  },
  {
    title: 'Result',
    field: 'message',
    width: '37%',
    render: check => <CheckResultText check={check} />,
  },
  {
    title: 'Evidence',
    sorting: false,
    width: '23%',
    render: check => <EvidenceList evidence={check.evidence} />,
  },
];

function countText(checks: CheckResult[]): string {
  const passing = checks.filter(c => c.status === 'pass').length;
  const failing = checks.filter(c => c.status === 'fail').length;
  const unknown = checks.filter(c => c.status === 'unknown').length;
  return [
    `${passing} pass`,
    `${failing} fail`,
    unknown ? `${unknown} unknown` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * One table per category: status, title, level, message (with the fix when
 * it fails) and evidence of each check. Checks announced for later
 * (`upcoming`) are left out: `UpcomingChecks` shows them apart.
 */
export function ChecksByCategory(props: { checks: CheckResult[] }) {
  const groups = groupByCategory(props.checks.filter(c => !c.upcoming));
  if (groups.length === 0) {
    return (
      <Typography variant="body2">
        No check of the rubric applies to this entity. Check the filters of{' '}
        <code>operability.rubric</code> in the app config.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {groups.map(([category, checks]) => (
        <Table<CheckResult>
          key={category}
          title={category}
          subtitle={countText(checks)}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={checkColumns}
          data={checks}
        />
      ))}
    </Box>
  );
}
