import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { CheckResult } from '@opsready/plugin-operability-common';
import { CheckStatusLabel } from '../EntityOperabilityContent/CheckStatusLabel';
import { LevelChip } from '../LevelChip';
import { countsFromText } from '../shared/calendar';
import { Remediation } from '../shared/Remediation';

/** The checks announced for later: evaluated, not counted yet. Earliest first. */
export function upcomingChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks
    .filter(c => c.upcoming)
    .sort((a, b) => (a.enforcedFrom ?? '').localeCompare(b.enforcedFrom ?? ''));
}

function statusWords(check: CheckResult): string {
  switch (check.status) {
    case 'pass':
      return 'passes already';
    case 'fail':
      return 'fails now';
    case 'unknown':
      return 'unknown now';
    case 'exempt':
      return 'exempt';
    default:
      return check.status;
  }
}

/**
 * Checks announced before they count ("counts from March 1, 2027"), apart
 * from the failing ones: they count towards neither score nor level until
 * that date. Nothing when there are none. `compact` for the overview card.
 */
export function UpcomingChecks(props: {
  checks: readonly CheckResult[];
  compact?: boolean;
}) {
  const upcoming = upcomingChecks(props.checks);
  if (upcoming.length === 0) return null;
  if (props.compact) {
    return (
      <Box>
        <Typography variant="subtitle2">Counts soon</Typography>
        <Box component="ul" pl={2} m={0} aria-label="Checks that count soon">
          {upcoming.map(check => (
            <Typography key={check.id} component="li" variant="body2">
              <strong>{check.title}</strong> {statusWords(check)} ·{' '}
              {countsFromText(check.enforcedFrom ?? '')}
            </Typography>
          ))}
        </Box>
      </Box>
    );
  }
  return (
    <Box>
      <Typography variant="h6" component="h3">
        Upcoming checks
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Announced before they count: evaluated now, counted towards score and
        level from the date shown.
      </Typography>
      <Table size="small" aria-label="Upcoming checks">
        <TableHead>
          <TableRow>
            <TableCell>Status now</TableCell>
            <TableCell>Check</TableCell>
            <TableCell>Level</TableCell>
            <TableCell>Counts</TableCell>
            <TableCell>Result</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {upcoming.map(check => (
            <TableRow key={check.id}>
              <TableCell>
                <CheckStatusLabel status={check.status} />
              </TableCell>
              <TableCell>
                {check.title}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {check.id}
                </Typography>
              </TableCell>
              <TableCell>
                <LevelChip level={check.level} />
              </TableCell>
              <TableCell>{countsFromText(check.enforcedFrom ?? '')}</TableCell>
              <TableCell>
                {check.message}
                {(check.status === 'fail' || check.status === 'unknown') &&
                  check.remediation && (
                    <Typography
                      variant="caption"
                      display="block"
                      component="div"
                    >
                      <strong>How to fix:</strong>
                      <Remediation text={check.remediation} />
                    </Typography>
                  )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
