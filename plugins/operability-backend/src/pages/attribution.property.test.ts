import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  onCallAt,
  parseSchedule,
  type Schedule,
} from '@opsready/plugin-operability-common';
import { attributeLoad, summarizeLoad } from './attribution';
import { scheduleTurns } from './scheduleTurns';
import { isOffHours, type WorkingHours } from './workingHours';

/**
 * Properties of attribution over many instants around daylight-saving
 * changes: every page goes to whoever the rotation math says was primary at
 * that instant, off-hours is what the zone's wall clock says (checked with
 * Intl, not luxon), and the totals add up.
 */

/** DST changes of 2026, with zones that have them and one that has none. */
const CHANGES: [string, string][] = [
  ['America/Toronto', '2026-03-08T07:00:00Z'],
  ['America/Toronto', '2026-11-01T06:00:00Z'],
  ['Europe/Berlin', '2026-03-29T01:00:00Z'],
  ['Europe/Berlin', '2026-10-25T01:00:00Z'],
  ['Australia/Sydney', '2026-04-04T16:00:00Z'],
  ['Australia/Sydney', '2026-10-03T16:00:00Z'],
  ['Asia/Tokyo', '2026-03-29T01:00:00Z'],
];
const DAY = 24 * 3600_000;

const member = fc.integer({ min: 0, max: 7 }).map(i => `user:default/u${i}`);

const caseArb = fc
  .record({
    change: fc.constantFrom(...CHANGES),
    // The schedule starts 1–60 days before the change, at a whole or half hour.
    startDaysBefore: fc.integer({ min: 1, max: 60 }),
    startMinutes: fc.integer({ min: 0, max: 47 }).map(h => h * 30),
    turn: fc.constantFrom('P1W', 'P2W', 'P1D', 'PT12H', 'P3D'),
    primary: fc.uniqueArray(member, { minLength: 1, maxLength: 6 }),
    overrides: fc.array(
      fc.record({
        user: member,
        // Around the change, in hours from 10 days before it.
        startHour: fc.integer({ min: 0, max: 20 * 24 }),
        hours: fc.integer({ min: 1, max: 72 }),
      }),
      { maxLength: 3 },
    ),
    // Page instants: minutes from 10 days before the change, over 20 days,
    // dense around the change itself.
    pageMinutes: fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        fc.integer({ min: 10 * 24 * 60 - 180, max: 10 * 24 * 60 + 180 }),
      ),
      { maxLength: 60 },
    ),
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), {
      minLength: 1,
      maxLength: 7,
    }),
    start: fc.integer({ min: 0, max: 12 * 60 }),
    length: fc.integer({ min: 30, max: 11 * 60 }),
  })
  .map(r => {
    const [zone, changeIso] = r.change;
    const change = Date.parse(changeIso);
    const windowStart = change - 10 * DAY;
    const local = (ms: number) =>
      DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
    const start = DateTime.fromMillis(change - r.startDaysBefore * DAY, {
      zone,
    })
      .startOf('day')
      .plus({ minutes: r.startMinutes })
      .toFormat("yyyy-MM-dd'T'HH:mm");
    const { schedule, errors } = parseSchedule({
      owner: 'group:default/team',
      timeZone: zone,
      handoff: { start, turn: r.turn },
      primary: r.primary,
      secondary: 'next-in-rotation',
      overrides: r.overrides.map(o => ({
        role: 'primary' as const,
        user: o.user,
        start: local(windowStart + o.startHour * 3600_000),
        end: local(windowStart + (o.startHour + o.hours) * 3600_000),
      })),
    });
    if (errors) throw new Error(JSON.stringify(errors));
    const hours: WorkingHours = {
      days: [...r.days].sort(),
      startMinute: r.start,
      endMinute: r.start + r.length,
      timeZone: 'UTC',
    };
    return {
      zone,
      schedule: schedule as Schedule,
      from: new Date(windowStart),
      to: new Date(windowStart + 20 * DAY),
      pages: r.pageMinutes.map(m => new Date(windowStart + m * 60_000)),
      hours,
    };
  });

const WEEKDAYS: Record<string, number> = {
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
  Sun: 7,
};

/** Off-hours by Intl's reading of the wall clock: an oracle independent of luxon. */
function offHoursByIntl(at: Date, zone: string, hours: WorkingHours): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find(p => p.type === type)!.value;
  const minute =
    Number(get('hour')) * 60 +
    Number(get('minute')) +
    Number(get('second')) / 60;
  return !(
    hours.days.includes(WEEKDAYS[get('weekday')]) &&
    minute >= hours.startMinute &&
    minute < hours.endMinute
  );
}

/** Whether the instant's local time occurs twice in the zone (clocks went back an hour). */
function repeatedLocalTime(at: Date, zone: string): boolean {
  const wall = (ms: number) =>
    DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss.SSS');
  const here = wall(at.getTime());
  return [-3600_000, 3600_000].some(d => wall(at.getTime() + d) === here);
}

describe('attribution across daylight-saving changes (property)', () => {
  it('gives each page to the primary at its instant, off-hours by the wall clock, and adds up', () => {
    fc.assert(
      fc.property(caseArb, c => {
        const turns = scheduleTurns(c.schedule, c.from, c.to, ref => ({ ref }));
        const load = attributeLoad({
          from: c.from,
          to: c.to,
          timeZone: c.zone,
          workingHours: c.hours,
          turns,
          pages: c.pages.map((at, i) => ({
            at,
            title: `p${i}`,
            source: 'test',
          })),
        });
        const inWindow = c.pages
          .filter(p => p >= c.from && p < c.to)
          .sort((a, b) => a.getTime() - b.getTime());
        expect(load.pages).toHaveLength(inWindow.length);
        load.pages.forEach((page, i) => {
          const at = inWindow[i];
          expect(page.at).toBe(at.toISOString());
          // A local time the clocks repeat (fall back) is read twice by
          // the wall clock; a turn is one interval, from the first reading:
          // there, any answer is taken.
          const primary = page.primary?.ref ?? null;
          expect(primary).toBe(
            repeatedLocalTime(at, c.zone)
              ? primary
              : onCallAt(c.schedule, at).primary,
          );
          expect(page.offHours).toBe(offHoursByIntl(at, c.zone, c.hours));
          expect(isOffHours(at, c.zone, c.hours)).toBe(page.offHours);
        });
        // Shifts tile the window without overlap, in order.
        for (let i = 1; i < load.shifts.length; i++) {
          expect(Date.parse(load.shifts[i].start)).toBeGreaterThanOrEqual(
            Date.parse(load.shifts[i - 1].end),
          );
        }
        for (const s of load.shifts) {
          expect(Date.parse(s.start)).toBeGreaterThanOrEqual(c.from.getTime());
          expect(Date.parse(s.end)).toBeLessThanOrEqual(c.to.getTime());
          expect(Date.parse(s.end)).toBeGreaterThan(Date.parse(s.start));
        }
        // Totals: shifts and people account for every page.
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        expect(sum(load.shifts.map(s => s.pages))).toBe(load.pages.length);
        expect(sum(load.shifts.map(s => s.offHoursPages))).toBe(
          load.pages.filter(p => p.offHours).length,
        );
        const attributed = load.pages.filter(p => p.primary).length;
        expect(sum(load.people.map(p => p.pages))).toBe(attributed);
        expect(sum(load.people.map(p => p.shifts))).toBe(
          load.shifts.filter(s => s.primary).length,
        );
        const top = load.people[0]?.pages ?? 0;
        expect(load.busiestShare).toBe(
          load.pages.length ? top / load.pages.length : 0,
        );
        // The fact's summary agrees with the full load.
        const summary = summarizeLoad({
          from: c.from,
          to: c.to,
          timeZone: c.zone,
          workingHours: c.hours,
          turns,
          pages: c.pages.map(p => p.getTime()),
        });
        expect(summary.pages).toBe(load.pages.length);
        expect(summary.offHoursPages).toBe(
          load.pages.filter(p => p.offHours).length,
        );
        expect(summary.busiest).toEqual(load.busiest);
        expect(load.busiestShare).toBeGreaterThanOrEqual(0);
        expect(load.busiestShare).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
