import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { OnCall, ScorecardRow } from '@opsready/plugin-operability-common';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { EmailLink } from '../ContactLinks';
import { HandoffTime, useScheduleTimeZone } from '../HandoffTime';
import { shortRefName, useMyTeams } from '../shared/useMyTeams';

/** Services read per team; the org page pages through more. */
const SERVICES_PER_TEAM = 100;

/** One rotation of a team: the on-call answer shared by some of its services. */
export interface TeamRotation {
  key: string;
  onCall: OnCall;
  services: ScorecardRow[];
}

/**
 * The team's services grouped by who is on call for them (one group per
 * schedule and pair of people), the most services first; services without
 * an on-call answer apart.
 */
export function rotationsOf(rows: ScorecardRow[]): {
  rotations: TeamRotation[];
  uncovered: ScorecardRow[];
} {
  const byKey = new Map<string, TeamRotation>();
  const uncovered: ScorecardRow[] = [];
  for (const row of rows) {
    const onCall = row.onCall;
    if (!onCall || onCall.status === 'none') {
      uncovered.push(row);
      continue;
    }
    const key = [
      onCall.scheduleRef ?? onCall.source,
      onCall.primary?.ref ?? '',
      onCall.secondary?.ref ?? '',
    ].join('|');
    const rotation = byKey.get(key) ?? { key, onCall, services: [] };
    rotation.services.push(row);
    byKey.set(key, rotation);
  }
  const rotations = [...byKey.values()].sort(
    (a, b) => b.services.length - a.services.length,
  );
  return { rotations, uncovered };
}

const SERVICES_NAMED = 3;

function Rotation(props: { rotation: TeamRotation }) {
  const { onCall, services } = props.rotation;
  const timeZone = useScheduleTimeZone(onCall.scheduleRef);
  return (
    <Box component="li" mb={1}>
      <Typography variant="body2" component="div">
        <strong>Primary:</strong>{' '}
        {onCall.primary ? (
          <>
            <EntityRefLink
              entityRef={onCall.primary.ref}
              title={onCall.primary.title}
            />
            {onCall.primary.email && (
              <>
                {' '}
                <EmailLink email={onCall.primary.email} />
              </>
            )}
          </>
        ) : (
          'nobody'
        )}
        {onCall.secondary && (
          <>
            {' '}
            · <strong>Secondary:</strong>{' '}
            <EntityRefLink
              entityRef={onCall.secondary.ref}
              title={onCall.secondary.title}
            />
          </>
        )}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {onCall.status === 'unknown' && (
          <>unknown ({onCall.reason ?? 'the source failed'}) · </>
        )}
        {onCall.until && (
          <>
            until <HandoffTime instant={onCall.until} timeZone={timeZone} /> ·{' '}
          </>
        )}
        for{' '}
        {services.slice(0, SERVICES_NAMED).map((row, i) => (
          <span key={row.entityRef}>
            {i > 0 && ', '}
            <EntityRefLink entityRef={row.entityRef} title={row.title} />
          </span>
        ))}
        {services.length > SERVICES_NAMED &&
          ` and ${services.length - SERVICES_NAMED} more`}
      </Typography>
    </Box>
  );
}

function TeamOnCall(props: { team: string }) {
  const { team } = props;
  const api = useApi(operabilityApiRef);
  const { value, loading, error } = useAsync(
    () => api.getScorecards({ owner: team, limit: SERVICES_PER_TEAM }),
    [api, team],
  );
  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) {
    const { rotations, uncovered } = rotationsOf(value.items);
    body = (
      <>
        {value.items.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            The team owns no evaluated service.
          </Typography>
        )}
        <Box component="ul" m={0} pl={2}>
          {rotations.map(rotation => (
            <Rotation key={rotation.key} rotation={rotation} />
          ))}
        </Box>
        {uncovered.length > 0 && (
          <Typography variant="caption" color="textSecondary">
            {uncovered.length} service{uncovered.length === 1 ? '' : 's'} with
            nobody on call.
          </Typography>
        )}
      </>
    );
  }
  return (
    <Box mb={2} aria-label={`On call for ${shortRefName(team)}`}>
      <Typography variant="subtitle2">
        <EntityRefLink entityRef={team} />
      </Typography>
      {body}
    </Box>
  );
}

/**
 * The home page card's content: for each team of the signed-in user, who is
 * on call now for its services, until when (in the schedule's zone), for
 * which services.
 */
export function OnCallForMyTeamsContent() {
  const { teams, loading, error } = useMyTeams();
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (teams.length === 0) {
    return (
      <Typography variant="body2">
        You belong to no team in the catalog, so there is no on-call to show.
      </Typography>
    );
  }
  return (
    <>
      {teams.map(team => (
        <TeamOnCall key={team} team={team} />
      ))}
    </>
  );
}
