import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { OnCall } from '@opsready/plugin-operability-common';
import { formatAge } from '../shared/time';

/** Primary and secondary now, or why that is not known, compact enough for a table cell. */
export function OnCallCell(props: { onCall: OnCall | null | undefined }) {
  const { onCall } = props;
  if (!onCall) return <>no schedule</>;
  const people = (
    <>
      {onCall.primary ? (
        <EntityRefLink
          entityRef={onCall.primary.ref}
          title={onCall.primary.title}
        />
      ) : (
        'nobody'
      )}
      {onCall.secondary && (
        <Typography variant="body2" color="textSecondary">
          secondary:{' '}
          <EntityRefLink
            entityRef={onCall.secondary.ref}
            title={onCall.secondary.title}
          />
        </Typography>
      )}
    </>
  );
  if (onCall.status === 'unknown') {
    return (
      <>
        <Typography variant="body2" color="error">
          unknown: {onCall.reason ?? 'the source failed'}
        </Typography>
        {(onCall.primary || onCall.secondary) && (
          <>
            <Typography variant="caption" color="textSecondary">
              last known, {formatAge(onCall.asOf)}:
            </Typography>
            {people}
          </>
        )}
      </>
    );
  }
  if (onCall.stale) {
    return (
      <>
        {people}
        <Typography variant="caption" color="textSecondary">
          as of {formatAge(onCall.stale.since)} (source unavailable:{' '}
          {onCall.stale.reason})
        </Typography>
      </>
    );
  }
  return people;
}
