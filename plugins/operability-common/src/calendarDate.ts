/**
 * Calendar dates as config and the REST API write them: `YYYY-MM-DD`, a day
 * in UTC. Campaign start and deadline and a check's `enforcedFrom` are dates.
 */

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The instant a calendar date `YYYY-MM-DD` begins, 00:00 UTC, in
 * milliseconds; undefined when the text is not such a date or the day does
 * not exist (`2027-02-30`).
 * @public
 */
export function parseCalendarDate(text: string): number | undefined {
  const m = CALENDAR_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  return back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day
    ? ms
    : undefined;
}

/**
 * The calendar date (UTC) of an instant, `YYYY-MM-DD`.
 * @public
 */
export function calendarDateOf(instant: Date | number): string {
  return new Date(instant).toISOString().slice(0, 10);
}
