import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { SourceProblem } from '@opsready/plugin-operability-common';

/**
 * What the last readiness cycle could not read of this service's own inputs
 * (a rule file that does not parse): the checks that need those facts are
 * unknown until it is fixed, and the person looking should know why.
 */
export function SourceProblems(props: {
  problems: SourceProblem[] | undefined;
  /** One line pointing elsewhere instead of the list (for the overview card). */
  compact?: boolean;
}) {
  const { problems, compact } = props;
  if (!problems?.length) return null;
  const count =
    problems.length === 1
      ? 'One of its inputs'
      : `${problems.length} of its inputs`;
  if (compact) {
    return (
      <Alert severity="warning" variant="outlined">
        {count} could not be read; the checks that need{' '}
        {problems.length === 1 ? 'it' : 'them'} are unknown. See the Operability
        tab.
      </Alert>
    );
  }
  return (
    <Alert severity="warning" aria-label="Inputs that could not be read">
      <AlertTitle>{count} could not be read</AlertTitle>
      <Typography variant="body2" gutterBottom>
        The checks that need {problems.length === 1 ? 'it' : 'them'} stay
        unknown until this is fixed.
      </Typography>
      <Box component="ul" m={0} pl={2}>
        {problems.map((problem, i) => (
          <li key={i}>
            <Typography variant="body2">
              <strong>{problem.provider}</strong>: {problem.message}
            </Typography>
          </li>
        ))}
      </Box>
    </Alert>
  );
}
