import { Link, Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import type {
  CheckEvidence,
  CheckResult,
} from '@opsready/plugin-operability-common';
import { LevelChip } from '../LevelChip';
import { formatLocalDate } from '../shared/time';
import { CheckStatusLabel } from './CheckStatusLabel';
import { CopyButton } from '../shared/CopyButton';
import { Remediation } from '../shared/Remediation';

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

/** Evidence items shown before "+N more". */
export const EVIDENCE_SHOWN = 5;

function isUrl(text: string | undefined): boolean {
  return Boolean(text && /^https?:\/\/\S+$/i.test(text.trim()));
}

/** Evidence text: a URL (runbook, dashboard) as a link; an alert name with a copy button. */
function EvidenceText(props: { item: CheckEvidence }) {
  const { item } = props;
  if (isUrl(item.text)) {
    return (
      <Link to={item.text.trim()} target="_blank" rel="noopener">
        {item.text}
      </Link>
    );
  }
  if (item.kind === 'rule') {
    // The alert's name: what one pastes into a silence or a search.
    const alertName = item.text.replace(/\s*\(.*\)$/, '');
    return (
      <Box component="span" display="inline-flex" alignItems="center">
        {item.text}
        <CopyButton
          text={alertName}
          tooltipText="Alert name copied"
          ariaLabel={`Copy alert name ${alertName}`}
        />
      </Box>
    );
  }
  return <>{item.text}</>;
}

/** Where the evidence comes from: a rule file location as a link when it is a URL. */
function EvidenceSource(props: { source: string }) {
  const { source } = props;
  return (
    <Typography component="span" variant="caption" color="textSecondary">
      {' '}
      (
      {isUrl(source) ? (
        <Link to={source.trim()} target="_blank" rel="noopener">
          {source}
        </Link>
      ) : (
        source
      )}
      )
    </Typography>
  );
}

/** The evidence of a check, the first few shown and the rest behind "+N more". */
export function EvidenceList(props: { evidence: CheckEvidence[] }) {
  const [expanded, setExpanded] = useState(false);
  const { evidence } = props;
  if (evidence.length === 0) return null;
  // One more than the cap is shown rather than "+1 more".
  const capped = !expanded && evidence.length > EVIDENCE_SHOWN + 1;
  const shown = capped ? evidence.slice(0, EVIDENCE_SHOWN) : evidence;
  return (
    <Box component="ul" m={0} pl={2}>
      {shown.map((item, index) => (
        <Typography
          key={index}
          component="li"
          variant="caption"
          display="block"
        >
          <strong>{item.kind}</strong> <EvidenceText item={item} />
          {item.source && <EvidenceSource source={item.source} />}
        </Typography>
      ))}
      {capped && (
        <Typography component="li" variant="caption" display="block">
          <MuiLink
            component="button"
            variant="caption"
            onClick={() => setExpanded(true)}
          >
            +{evidence.length - EVIDENCE_SHOWN} more
          </MuiLink>
        </Typography>
      )}
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
        <Typography variant="caption" display="block" component="div">
          <strong>How to fix:</strong>
          <Remediation text={check.remediation} />
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

/** Checks that need nobody's attention, collapsed by default. */
function isSettled(check: CheckResult): boolean {
  return check.status === 'pass' || check.status === 'not-applicable';
}

/** The titles of a category's collapsed checks, on one line. */
function SettledSummary(props: { checks: CheckResult[] }) {
  const { checks } = props;
  if (checks.length === 0) return null;
  return (
    <Typography variant="body2" color="textSecondary">
      {checks.length} passing or not applicable:{' '}
      {checks.map(c => c.title).join(' · ')}
    </Typography>
  );
}

/**
 * One table per category: status, title, level, message (with the fix when
 * it fails) and evidence of each check. Passing and not-applicable checks
 * are collapsed to a line of titles until "Show passing checks". Checks
 * announced for later (`upcoming`) are left out: `UpcomingChecks` shows them
 * apart.
 */
export function ChecksByCategory(props: { checks: CheckResult[] }) {
  const [showSettled, setShowSettled] = useState(false);
  const counted = props.checks.filter(c => !c.upcoming);
  const groups = groupByCategory(counted);
  if (groups.length === 0) {
    return (
      <Typography variant="body2">
        No check of the rubric applies to this entity. Check the filters of{' '}
        <code>operability.rubric</code> in the app config.
      </Typography>
    );
  }
  const settledCount = counted.filter(isSettled).length;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {settledCount > 0 && (
        <Box>
          <Button
            size="small"
            variant="outlined"
            aria-expanded={showSettled}
            onClick={() => setShowSettled(v => !v)}
          >
            {showSettled
              ? 'Hide passing checks'
              : `Show passing checks (${settledCount})`}
          </Button>
        </Box>
      )}
      {groups.map(([category, checks]) => {
        const rows = showSettled ? checks : checks.filter(c => !isSettled(c));
        const settled = showSettled ? [] : checks.filter(isSettled);
        if (rows.length === 0) {
          return (
            <Box key={category} aria-label={`${category} checks`}>
              <Typography variant="h6">{category}</Typography>
              <Typography variant="body2">{countText(checks)}</Typography>
              <SettledSummary checks={settled} />
            </Box>
          );
        }
        return (
          <Box key={category}>
            <Table<CheckResult>
              title={category}
              subtitle={countText(checks)}
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={checkColumns}
              data={rows}
            />
            <Box px={2} pt={0.5}>
              <SettledSummary checks={settled} />
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
