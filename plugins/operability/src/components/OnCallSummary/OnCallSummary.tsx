import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { OnCall, Person } from '@opsready/plugin-operability-common';
import { EmailLink } from '../ContactLinks';
import { HandoffTime, useScheduleTimeZone } from '../HandoffTime';
import { formatAge } from '../shared/time';

function PersonLine(props: { label: string; person: Person | null }) {
  const { label, person } = props;
  return (
    <Typography variant="body2" component="div">
      <strong>{label}:</strong>{' '}
      {person ? (
        <>
          <EntityRefLink entityRef={person.ref} title={person.title} />
          {person.email && (
            <>
              {' '}
              <EmailLink email={person.email} />
            </>
          )}
        </>
      ) : (
        'nobody'
      )}
    </Typography>
  );
}

/** The shadows learning the rotation now, if any: told about pages, not paged. */
function ShadowLine(props: { shadows: Person[] | undefined }) {
  const shadows = props.shadows ?? [];
  if (shadows.length === 0) return null;
  return (
    <Typography variant="body2">
      <strong>{shadows.length === 1 ? 'Shadow' : 'Shadows'}:</strong>{' '}
      {shadows.map((person, i) => (
        <span key={person.ref}>
          {i > 0 && ', '}
          <EntityRefLink entityRef={person.ref} title={person.title} />
        </span>
      ))}{' '}
      <Typography component="span" variant="body2" color="textSecondary">
        (learning, not paged)
      </Typography>
    </Typography>
  );
}

const SOURCE_LINKS: [key: keyof NonNullable<OnCall['links']>, label: string][] =
  [
    ['service', 'service'],
    ['escalationPolicy', 'escalation policy'],
    ['schedule', 'schedule'],
  ];

/** The source's own pages (PagerDuty's service, escalation policy, schedule), when it has them. */
function SourceLinks(props: { onCall: OnCall }) {
  const { links, source } = props.onCall;
  const present = SOURCE_LINKS.filter(([key]) => links?.[key]);
  if (!links || present.length === 0) return null;
  const name = source === 'pagerduty' ? 'PagerDuty' : source;
  return (
    <Typography variant="body2" color="textSecondary">
      In {name}:{' '}
      {present.map(([key, label], i) => (
        <span key={key}>
          {i > 0 && ' · '}
          <Link to={links[key]!}>{label}</Link>
        </span>
      ))}
    </Typography>
  );
}

/** Until when, and where the answer comes from (schedule or PagerDuty, inherited or not). */
function OnCallSource(props: { onCall: OnCall }) {
  const { onCall } = props;
  const timeZone = useScheduleTimeZone(onCall.scheduleRef);
  return (
    <Typography variant="body2" color="textSecondary">
      {onCall.until && (
        <>
          until <HandoffTime instant={onCall.until} timeZone={timeZone} /> ·{' '}
        </>
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
  );
}

/** The source failed and this is its last good answer: how old, and why. */
function StaleNote(props: { stale: NonNullable<OnCall['stale']> }) {
  const { stale } = props;
  return (
    <Typography variant="body2" color="textSecondary">
      As of {formatAge(stale.since)} (source unavailable: {stale.reason})
    </Typography>
  );
}

function NoScheduleWarning() {
  return (
    <Alert severity="warning">
      No on-call schedule covers this. Add the{' '}
      <code>operability.io/on-call-schedule</code> annotation (here, on its
      System or on its team) or <code>pagerduty.com/service-id</code>.
    </Alert>
  );
}

/**
 * The source failed. When people are still shown, they come from the last
 * good answer, whose age is `asOf`.
 */
function UnknownOnCall(props: { onCall: OnCall }) {
  const { onCall } = props;
  const hasLastKnown = Boolean(onCall.primary || onCall.secondary);
  return (
    <Box>
      <Alert severity="warning">
        On-call is unknown right now: {onCall.reason ?? 'the source failed'}.
        {hasLastKnown && (
          <> Shown is the last known answer, from {formatAge(onCall.asOf)}.</>
        )}
      </Alert>
      {hasLastKnown && (
        <Box mt={1}>
          <PersonLine label="Primary" person={onCall.primary} />
          <PersonLine label="Secondary" person={onCall.secondary} />
          <ShadowLine shadows={onCall.shadows} />
          <OnCallSource onCall={onCall} />
          <SourceLinks onCall={onCall} />
        </Box>
      )}
    </Box>
  );
}

/** Who is on call now, until when, and where the answer comes from. */
export function OnCallSummary(props: { onCall: OnCall | null }) {
  const { onCall } = props;
  if (!onCall) return <NoScheduleWarning />;
  if (onCall.status === 'unknown') return <UnknownOnCall onCall={onCall} />;
  return (
    <Box>
      <Typography variant="subtitle2">On call now</Typography>
      {onCall.status === 'none' && (
        <Alert severity="info">
          Nobody is on call right now
          {onCall.reason ? `: ${onCall.reason}` : ''}.
        </Alert>
      )}
      <PersonLine label="Primary" person={onCall.primary} />
      <PersonLine label="Secondary" person={onCall.secondary} />
      <ShadowLine shadows={onCall.shadows} />
      <OnCallSource onCall={onCall} />
      <SourceLinks onCall={onCall} />
      {onCall.stale && <StaleNote stale={onCall.stale} />}
    </Box>
  );
}
