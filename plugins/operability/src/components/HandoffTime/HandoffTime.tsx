import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Tooltip from '@material-ui/core/Tooltip';
import useAsync from 'react-use/esm/useAsync';
import { formatLocalDateTime } from '../shared/time';

/** Whether the runtime knows the IANA zone (a typo in a schedule must not break the page). */
function isKnownZone(timeZone: string): boolean {
  try {
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone,
    );
  } catch {
    return false;
  }
}

/** An instant as the wall-clock time of a zone: "Dec 7, 2026, 9:00 AM". */
export function formatInZone(instant: string | Date, timeZone: string): string {
  return new Date(instant).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  });
}

/** The viewer's own IANA zone, as the browser reports it. */
export function viewerTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * A hand-off instant in the schedule's time zone, with the zone named beside
 * it, and the viewer's local time on hover. Without a known zone (PagerDuty
 * answers, a schedule not found), the viewer's local time with their zone.
 */
export function HandoffTime(props: { instant: string; timeZone?: string }) {
  const { instant } = props;
  const zone =
    props.timeZone && isKnownZone(props.timeZone) ? props.timeZone : undefined;
  const local = formatLocalDateTime(instant);
  const mine = viewerTimeZone();
  if (!zone) {
    return (
      <span>
        {local} <abbr title="Your time zone">({mine})</abbr>
      </span>
    );
  }
  return (
    <Tooltip title={`Your time: ${local} (${mine})`}>
      <span data-testid="handoff-time">
        {formatInZone(instant, zone)} ({zone})
      </span>
    </Tooltip>
  );
}

/**
 * The time zone of a Schedule entity (`spec.timeZone`), read from the
 * catalog. Undefined while loading, without a ref, without a catalog API in
 * the app, or when the schedule cannot be read.
 */
export function useScheduleTimeZone(
  scheduleRef: string | undefined,
): string | undefined {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { value } = useAsync(async () => {
    if (!scheduleRef || !catalogApi) return undefined;
    try {
      const entity = await catalogApi.getEntityByRef(scheduleRef);
      const zone = (entity?.spec as { timeZone?: unknown } | undefined)
        ?.timeZone;
      return typeof zone === 'string' ? zone : undefined;
    } catch {
      return undefined;
    }
  }, [catalogApi, scheduleRef]);
  return value;
}
