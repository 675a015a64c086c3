import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { OnCall, Person } from '@opsready/plugin-operability-common';

function PersonLine(props: { label: string; person: Person | null }) {
  const { label, person } = props;
  return (
    <Typography variant="body2">
      <strong>{label}:</strong>{' '}
      {person ? (
        <>
          <EntityRefLink entityRef={person.ref} title={person.title} />
          {person.email && <> ({person.email})</>}
        </>
      ) : (
        'nobody'
      )}
    </Typography>
  );
}

/** Who is on call now, until when, and where the answer comes from. */
export function OnCallSummary(props: { onCall: OnCall | null }) {
  const { onCall } = props;
  if (!onCall) {
    return (
      <Alert severity="warning">
        No on-call schedule covers this. Add the{' '}
        <code>operability.io/on-call-schedule</code> annotation (here, on its
        System or on its team) or <code>pagerduty.com/service-id</code>.
      </Alert>
    );
  }
  if (onCall.status === 'unknown') {
    return (
      <Alert severity="info">
        On-call is unknown right now: {onCall.reason ?? 'the source failed'}.
      </Alert>
    );
  }
  return (
    <Box>
      <Typography variant="subtitle2">On call now</Typography>
      <PersonLine label="Primary" person={onCall.primary} />
      <PersonLine label="Secondary" person={onCall.secondary} />
      <Typography variant="body2" color="textSecondary">
        {onCall.until && (
          <>until {new Date(onCall.until).toLocaleString()} · </>
        )}
        from{' '}
        {onCall.scheduleRef ? (
          <EntityRefLink entityRef={onCall.scheduleRef} />
        ) : (
          onCall.source
        )}
        {onCall.inheritedFrom && (
          <>
            {' '}
            (inherited from <EntityRefLink entityRef={onCall.inheritedFrom} />)
          </>
        )}
      </Typography>
    </Box>
  );
}
