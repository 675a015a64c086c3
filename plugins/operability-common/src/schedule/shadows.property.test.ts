import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseSchedule, Schedule } from './parseSchedule';
import { onCallAt, skippedLadder } from './rotation';
import type { ScheduleSpec } from './spec';

/** The parsed schedule of a valid spec. */
function scheduleOf(spec: ScheduleSpec): Schedule {
  const { schedule, errors } = parseSchedule(spec);
  if (errors)
    throw new Error(errors.map(e => `${e.path}: ${e.message}`).join('; '));
  return schedule;
}

/**
 * Properties of shadows and of the ladder over the first months of 2026,
 * which hold the spring daylight-saving changes of Toronto (03-08) and Berlin
 * (03-29) and the autumn one of Sydney (04-05). Local times are whole hours
 * between 06:00 and 22:00, so that no time is skipped or repeated by a change
 * and every edge falls on a whole hour of real time.
 */
const zones = [
  'America/Toronto',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Tokyo',
  'UTC',
];
const DAYS = 100;
const FROM = Date.parse('2025-12-31T00:00:00Z');
const UNTIL = new Date('2026-04-15T00:00:00Z');
const STEP_MS = 3600_000;

const member = fc.integer({ min: 0, max: 9 }).map(i => `user:default/u${i}`);
const base = DateTime.fromObject(
  { year: 2026, month: 1, day: 1 },
  { zone: 'utc' },
);
const local = (day: number, hour: number) =>
  base.plus({ days: day, hours: hour }).toFormat("yyyy-MM-dd'T'HH:mm");

/** A window of local daytime hours, at least an hour long. */
const windowArb = fc
  .record({
    day: fc.integer({ min: 0, max: DAYS - 20 }),
    hour: fc.integer({ min: 6, max: 21 }),
    days: fc.integer({ min: 0, max: 9 }),
    endHour: fc.integer({ min: 6, max: 22 }),
  })
  .map(w => {
    const endDay =
      w.day + w.days + (w.days === 0 && w.endHour <= w.hour ? 1 : 0);
    return { start: local(w.day, w.hour), end: local(endDay, w.endHour) };
  });

const scheduleArb = fc
  .record({
    zone: fc.constantFrom(...zones),
    startDay: fc.integer({ min: 0, max: 30 }),
    startHour: fc.integer({ min: 6, max: 22 }),
    turn: fc.constantFrom('P1W', 'P2W', 'P1D', 'P3D'),
    primary: fc.uniqueArray(member, { minLength: 1, maxLength: 6 }),
    explicitSecondary: fc.option(
      fc.uniqueArray(member, { minLength: 1, maxLength: 4 }),
      { nil: undefined },
    ),
    secondaryDelay: fc.integer({ min: 0, max: 10 }),
    overrides: fc.array(
      fc.record({
        role: fc.constantFrom('primary' as const, 'secondary' as const),
        user: member,
        window: windowArb,
      }),
      { maxLength: 3 },
    ),
    shadows: fc.array(fc.record({ user: member, window: windowArb }), {
      maxLength: 3,
    }),
  })
  .map(
    (r): ScheduleSpec => ({
      owner: 'group:default/t',
      timeZone: r.zone,
      handoff: { start: local(r.startDay, r.startHour), turn: r.turn },
      primary: r.primary,
      secondary: r.explicitSecondary
        ? {
            members: r.explicitSecondary,
            handoff: {
              start: local(r.startDay + r.secondaryDelay, r.startHour),
              turn: r.turn,
            },
          }
        : 'next-in-rotation',
      overrides: r.overrides.map(o => ({
        role: o.role,
        user: o.user,
        ...o.window,
      })),
      shadows: r.shadows.map(w => ({ user: w.user, ...w.window })),
    }),
  );

const instantArb = fc
  .integer({ min: 0, max: DAYS * 24 * 60 - 1 })
  .map(minutes => new Date(FROM + minutes * 60_000));

const wallOf = (instant: Date, zone: string) =>
  DateTime.fromJSDate(instant)
    .setZone(zone)
    .toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS");

describe('shadow and ladder properties across daylight-saving changes', () => {
  it('answers exactly the shadows whose local window holds the instant, in spec order, each once', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (spec, instant) => {
        const wall = wallOf(instant, spec.timeZone);
        const expected = [
          ...new Set(
            (spec.shadows ?? [])
              .filter(
                w => `${w.start}:00.000` <= wall && wall < `${w.end}:00.000`,
              )
              .map(w => w.user),
          ),
        ];
        expect(onCallAt(scheduleOf(spec), instant).shadows).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('shadows change nobody on call', () => {
    fc.assert(
      fc.property(scheduleArb, instantArb, (spec, instant) => {
        const { shadows: _, ...withShadows } = onCallAt(
          scheduleOf(spec),
          instant,
        );
        const { shadows, ...without } = onCallAt(
          scheduleOf({ ...spec, shadows: [] }),
          instant,
        );
        expect(shadows).toEqual([]);
        expect(withShadows).toEqual(without);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds exactly whom an hourly sweep finds primary after the start, without a secondary or shadow turn before', () => {
    fc.assert(
      fc.property(scheduleArb, spec => {
        const schedule = scheduleOf(spec);
        const firstPrimary = new Map<string, number>();
        const firstLearning = new Map<string, number>();
        for (let t = FROM; t < UNTIL.getTime(); t += STEP_MS) {
          const answer = onCallAt(schedule, new Date(t));
          if (answer.primary && !firstPrimary.has(answer.primary)) {
            firstPrimary.set(answer.primary, t);
          }
          for (const user of [answer.secondary, ...answer.shadows]) {
            if (user && !firstLearning.has(user)) firstLearning.set(user, t);
          }
        }
        const start = DateTime.fromISO(spec.handoff.start, {
          zone: spec.timeZone,
        }).toMillis();
        const expected = [...firstPrimary]
          .filter(
            ([user, t]) =>
              t > start && !((firstLearning.get(user) ?? Infinity) < t),
          )
          .sort(([, a], [, b]) => a - b)
          .map(([user, t]) => [user, t]);
        const actual = skippedLadder(schedule, UNTIL).map(s => [
          s.user,
          s.firstPrimary.getTime(),
        ]);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('finds nobody on a next-in-rotation schedule without overrides, whatever the shadows', () => {
    fc.assert(
      fc.property(scheduleArb, spec => {
        const plain = scheduleOf({
          ...spec,
          secondary: 'next-in-rotation',
          overrides: [],
        });
        expect(skippedLadder(plain, UNTIL)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
