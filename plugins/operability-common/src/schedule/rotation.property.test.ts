import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { parseSchedule, Schedule } from './parseSchedule';
import { onCallAt } from './rotation';
import type { ScheduleSpec } from './spec';

/** The parsed schedule of a valid spec. */
function scheduleOf(spec: ScheduleSpec): Schedule {
  const { schedule, errors } = parseSchedule(spec);
  if (errors)
    throw new Error(errors.map(e => `${e.path}: ${e.message}`).join('; '));
  return schedule;
}

/**
 * Properties over a year of instants, for schedules in zones with and without
 * daylight saving, with both secondary modes, with and without overrides.
 */
const zones = [
  'America/Toronto',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Sydney',
  'UTC',
];
const YEAR_START = Date.parse('2026-01-01T00:00:00Z');
const YEAR_MS = 365 * 24 * 3600_000;

const member = fc.integer({ min: 0, max: 9 }).map(i => `user:default/u${i}`);

const scheduleArb = fc
  .record({
    zone: fc.constantFrom(...zones),
    // Start on a day of early 2026 at a whole hour or half hour.
    startDay: fc.integer({ min: 0, max: 60 }),
    startMinutes: fc.integer({ min: 0, max: 47 }).map(h => h * 30),
    turn: fc.constantFrom('P1W', 'P2W', 'P1D', 'PT12H', 'P3D'),
    primary: fc.uniqueArray(member, { minLength: 1, maxLength: 8 }),
    explicitSecondary: fc.option(
      fc.uniqueArray(member, { minLength: 1, maxLength: 4 }),
      { nil: undefined },
    ),
    overrides: fc.array(
      fc.record({
        role: fc.constantFrom('primary' as const, 'secondary' as const),
        user: member,
        startHour: fc.integer({ min: 0, max: 364 * 24 }),
        hours: fc.integer({ min: 1, max: 72 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(r => {
    const start = DateTime.fromObject(
      { year: 2026, month: 1, day: 1 },
      { zone: 'utc' },
    )
      .plus({ days: r.startDay, minutes: r.startMinutes })
      .toFormat("yyyy-MM-dd'T'HH:mm");
    const base = DateTime.fromObject(
      { year: 2026, month: 1, day: 1 },
      { zone: 'utc' },
    );
    const spec: ScheduleSpec = {
      owner: 'group:default/t',
      timeZone: r.zone,
      handoff: { start, turn: r.turn },
      primary: r.primary,
      secondary: r.explicitSecondary
        ? { members: r.explicitSecondary }
        : 'next-in-rotation',
      overrides: r.overrides.map(o => ({
        role: o.role,
        user: o.user,
        start: base.plus({ hours: o.startHour }).toFormat("yyyy-MM-dd'T'HH:mm"),
        end: base
          .plus({ hours: o.startHour + o.hours })
          .toFormat("yyyy-MM-dd'T'HH:mm"),
      })),
    };
    return spec;
  });

const instantArb = fc
  .integer({ min: 0, max: YEAR_MS - 1 })
  .map(ms => new Date(YEAR_START + ms));

const localOf = (instant: Date, zone: string) =>
  DateTime.fromJSDate(instant).setZone(zone);

function insideOverride(
  spec: ScheduleSpec,
  role: 'primary' | 'secondary',
  instant: Date,
) {
  const wall = localOf(instant, spec.timeZone).toFormat(
    "yyyy-MM-dd'T'HH:mm:ss.SSS",
  );
  return [...(spec.overrides ?? [])]
    .reverse()
    .find(
      o =>
        o.role === role &&
        `${o.start}:00.000` <= wall &&
        wall < `${o.end}:00.000`,
    );
}

describe('rotation properties over a year', () => {
  it('has exactly one primary whenever any is defined, from the members or an override', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (spec, instant) => {
        const answer = onCallAt(scheduleOf(spec), instant);
        const override = insideOverride(spec, 'primary', instant);
        const started =
          localOf(instant, spec.timeZone).toFormat("yyyy-MM-dd'T'HH:mm") >=
          spec.handoff.start;
        if (override) return answer.primary === override.user;
        if (!started) return answer.primary === null && answer.until === null;
        return (
          typeof answer.primary === 'string' &&
          spec.primary.includes(answer.primary)
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('never makes the secondary the primary when there are two or more people', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (spec, instant) => {
        const noOverrides = { ...spec, overrides: [] };
        const answer = onCallAt(scheduleOf(noOverrides), instant);
        if (spec.secondary !== 'next-in-rotation') return true;
        if (spec.primary.length < 2 || answer.primary === null) return true;
        return answer.secondary !== null && answer.secondary !== answer.primary;
      }),
      { numRuns: 3000 },
    );
  });

  it('lets overrides win inside their window and only there', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (spec, instant) => {
        const withOverrides = onCallAt(scheduleOf(spec), instant);
        const without = onCallAt(
          scheduleOf({ ...spec, overrides: [] }),
          instant,
        );
        for (const role of ['primary', 'secondary'] as const) {
          const override = insideOverride(spec, role, instant);
          const expected = override ? override.user : without[role];
          if (withOverrides[role] !== expected) return false;
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('hands off at the configured local time, and `until` is the next hand-off or override edge', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (spec, instant) => {
        const plain = { ...spec, overrides: [] };
        const answer = onCallAt(scheduleOf(plain), instant);
        if (!answer.until) return answer.primary === null;
        // Hand-offs fall a whole number of turns after the start, on the zone's
        // wall clock, unless one fell into a spring-forward gap (then the clock
        // shows the next valid time).
        const until = localOf(answer.until, spec.timeZone);
        const untilWall = until
          .setZone('utc', { keepLocalTime: true })
          .toMillis();
        const startWall = DateTime.fromISO(spec.handoff.start, {
          zone: 'utc',
        }).toMillis();
        const turnMs = Duration.fromISO(spec.handoff.turn).toMillis();
        const onTheClock = (untilWall - startWall) % turnMs === 0;
        const inGap = until.offset !== until.minus({ hours: 3 }).offset;
        if (!onTheClock && !inGap) return false;
        // `until` is in the future, and the primary changes there or the turn simply renews.
        return answer.until.getTime() > instant.getTime();
      }),
      { numRuns: 3000 },
    );
  });

  it('answers the same person for every instant of one shift (hourly sweep of a year)', () => {
    const spec: ScheduleSpec = {
      owner: 'group:default/t',
      timeZone: 'America/Toronto',
      handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
      primary: ['user:default/a', 'user:default/b', 'user:default/c'],
      secondary: 'next-in-rotation',
      overrides: [
        {
          role: 'primary',
          user: 'user:default/z',
          start: '2026-07-01T00:00',
          end: '2026-07-02T12:00',
        },
      ],
    };
    const schedule = scheduleOf(spec);
    let previous = onCallAt(schedule, new Date(YEAR_START));
    let handoffs = 0;
    const violations: string[] = [];
    for (let h = 1; h < 365 * 24; h++) {
      const instant = new Date(YEAR_START + h * 3600_000);
      const current = onCallAt(schedule, instant);
      const until = previous.until?.getTime();
      if (current.primary !== previous.primary) {
        handoffs++;
        // A change of primary happens exactly at the previous answer's `until`
        // (before the start nobody is on call and there is no `until`).
        const changedAtUntil =
          until !== undefined &&
          until <= instant.getTime() &&
          until > instant.getTime() - 3600_000;
        if (previous.primary !== null && !changedAtUntil) {
          violations.push(
            `${instant.toISOString()}: changed, but until was ${previous.until?.toISOString()}`,
          );
        }
      } else if (until !== undefined && current.until!.getTime() < until) {
        violations.push(
          `${instant.toISOString()}: until moved back within a shift`,
        );
      }
      previous = current;
    }
    expect(violations).toEqual([]);
    // 51 weekly hand-offs after Jan 5, plus the override's two edges.
    expect(handoffs).toBe(1 + 51 + 2);
  });
});
