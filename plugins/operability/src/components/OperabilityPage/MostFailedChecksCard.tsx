import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type {
  CheckDescription,
  CheckLevel,
  TeamRollup,
} from '@opsready/plugin-operability-common';
import { memo } from 'react';
import { LevelChip } from '../LevelChip';
import type { LoadedList } from './ScorecardFilters';

const CHECKS_SHOWN = 10;

export interface FailedCheckCount {
  id: string;
  title: string;
  level?: CheckLevel;
  /** Services failing the check, summed over the teams. */
  failing: number;
}

/** The checks that fail most across the org, from every team's roll-up. */
export function mostFailedChecks(
  teams: readonly TeamRollup[],
  checks: readonly CheckDescription[],
  limit: number = CHECKS_SHOWN,
): FailedCheckCount[] {
  const failing = new Map<string, number>();
  for (const team of teams) {
    for (const { id, failing: count } of team.mostFailedChecks) {
      failing.set(id, (failing.get(id) ?? 0) + count);
    }
  }
  const byId = new Map(checks.map(c => [c.id, c]));
  return [...failing.entries()]
    .filter(([, count]) => count > 0)
    .sort(([idA, a], [idB, b]) => b - a || idA.localeCompare(idB))
    .slice(0, limit)
    .map(([id, count]) => ({
      id,
      title: byId.get(id)?.title ?? id,
      level: byId.get(id)?.level,
      failing: count,
    }));
}

/** The checks that fail most across the org; a click filters the table to services failing it. */
export const MostFailedChecksCard = memo(function MostFailedChecksView(props: {
  teams: LoadedList<TeamRollup>;
  checks: LoadedList<CheckDescription>;
  onSelectCheck: (checkId: string) => void;
}) {
  const { teams, checks, onSelectCheck } = props;
  let body;
  if (teams.loading || checks.loading) body = <Progress />;
  else if (teams.error || checks.error) {
    body = <ResponseErrorPanel error={(teams.error ?? checks.error)!} />;
  } else {
    const counts = mostFailedChecks(teams.value ?? [], checks.value ?? []);
    body =
      counts.length === 0 ? (
        <Typography variant="body2">
          No check fails anywhere, or no service has been evaluated yet.
        </Typography>
      ) : (
        <List dense aria-label="Most failed checks">
          {counts.map(count => (
            <ListItem
              key={count.id}
              button
              onClick={() => onSelectCheck(count.id)}
            >
              <ListItemText
                primary={count.title}
                secondary={`${count.failing} service${
                  count.failing === 1 ? '' : 's'
                } · ${count.id}`}
              />
              {count.level && (
                <ListItemSecondaryAction>
                  <LevelChip level={count.level} />
                </ListItemSecondaryAction>
              )}
            </ListItem>
          ))}
        </List>
      );
  }
  return (
    <InfoCard
      title="Checks that fail most"
      subheader="Choose one to list the services failing it"
    >
      {body}
    </InfoCard>
  );
});
