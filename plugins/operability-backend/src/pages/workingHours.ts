import type { Config } from '@backstage/config';
import { DateTime } from 'luxon';

/**
 * When people work, in a time zone's wall-clock time: a page outside these
 * hours is off-hours. Read from `operability.onCall.workingHours`.
 */
export interface WorkingHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Minutes after local midnight the working day starts. */
  startMinute: number;
  /** Minutes after local midnight it ends (exclusive), after the start. */
  endMinute: number;
  /**
   * The zone for entities whose on-call has no time zone of its own (no
   * Schedule): a Schedule's `timeZone` wins.
   */
  timeZone: string;
}

/** Monday–Friday 09:00–18:00, UTC where the schedule names no zone. */
export const DEFAULT_WORKING_HOURS: WorkingHours = {
  days: [1, 2, 3, 4, 5],
  startMinute: 9 * 60,
  endMinute: 18 * 60,
  timeZone: 'UTC',
};

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Whether an instant falls outside working hours in a zone: its local
 * weekday is not a working day, or its local time of day is before the start
 * or at or after the end. Exact across daylight-saving changes: the instant
 * is read on the zone's wall clock, so 09:00 is 09:00 local in summer and in
 * winter, and a working day that loses or gains an hour is an hour shorter or
 * longer.
 */
export function isOffHours(
  at: Date,
  timeZone: string,
  hours: WorkingHours,
): boolean {
  const ms = at.getTime();
  // The wall clock: the instant shifted by the zone's offset, read as UTC.
  const local = new Date(ms + offsetMinutesAt(timeZone, ms) * 60_000);
  const weekday = ((local.getUTCDay() + 6) % 7) + 1; // ISO: Monday 1 … Sunday 7
  if (!hours.days.includes(weekday)) return true;
  const minute =
    local.getUTCHours() * 60 +
    local.getUTCMinutes() +
    local.getUTCSeconds() / 60 +
    local.getUTCMilliseconds() / 60_000;
  return minute < hours.startMinute || minute >= hours.endMinute;
}

/** Offsets per zone and quarter hour (offsets change on quarter hours only). */
const offsets = new Map<string, Map<number, number>>();
const QUARTER_MS = 15 * 60_000;

/**
 * The zone's UTC offset in minutes at an instant, asked of luxon once per
 * zone and quarter hour: time zones change their offset on a quarter hour
 * (every IANA transition since 1970), so one answer holds for the quarter.
 */
function offsetMinutesAt(zone: string, ms: number): number {
  let byQuarter = offsets.get(zone);
  if (!byQuarter) {
    if (offsets.size > 1000) offsets.clear();
    offsets.set(zone, (byQuarter = new Map()));
  }
  const quarter = Math.floor(ms / QUARTER_MS);
  let offset = byQuarter.get(quarter);
  if (offset === undefined) {
    if (byQuarter.size > 100_000) byQuarter.clear();
    offset = DateTime.fromMillis(quarter * QUARTER_MS, { zone }).offset;
    byQuarter.set(quarter, offset);
  }
  return offset;
}

function parseTime(value: string, key: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new Error(
      `Invalid config at '${key}': '${value}' is not a time of day HH:mm, e.g. 09:00`,
    );
  }
  return minutes;
}

/** Reads `operability.onCall.workingHours`; a bad value names its path. */
export function readWorkingHours(config: Config): WorkingHours {
  const root = 'operability.onCall.workingHours';
  const c = config.getOptionalConfig(root);
  if (!c) return DEFAULT_WORKING_HOURS;
  const days = c.getOptionalStringArray('days');
  const parsedDays = days
    ? days.map(day => {
        const i = DAY_NAMES.indexOf(day.trim().toLowerCase().slice(0, 3));
        if (i < 0 || day.trim().length < 3) {
          throw new Error(
            `Invalid config at '${root}.days': '${day}' is not a weekday (mon, tue, …, sun)`,
          );
        }
        return i + 1;
      })
    : DEFAULT_WORKING_HOURS.days;
  const start = c.getOptionalString('start');
  const end = c.getOptionalString('end');
  const startMinute = start
    ? parseTime(start, `${root}.start`)
    : DEFAULT_WORKING_HOURS.startMinute;
  const endMinute = end
    ? parseTime(end, `${root}.end`)
    : DEFAULT_WORKING_HOURS.endMinute;
  if (endMinute <= startMinute) {
    throw new Error(
      `Invalid config at '${root}.end': the working day must end after it starts`,
    );
  }
  const timeZone = c.getOptionalString('timeZone') ?? 'UTC';
  if (!DateTime.local().setZone(timeZone).isValid) {
    throw new Error(
      `Invalid config at '${root}.timeZone': '${timeZone}' is not an IANA time zone`,
    );
  }
  return {
    days: [...new Set(parsedDays)].sort(),
    startMinute,
    endMinute,
    timeZone,
  };
}
