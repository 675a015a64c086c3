import fc from 'fast-check';
import { DateTime, Duration } from 'luxon';
import { parseSchedule, Schedule } from './parseSchedule';
import { onCallAt, onCallWithValidity, shiftsFrom } from './rotation';
import type { ScheduleSpec } from './spec';

/**
 * `onCallAt` and `shiftsFrom` answer the same at every instant, also where the
 * clocks skip or repeat a local time: hand-offs, override edges and instants
 * are drawn inside the daylight-saving gaps and overlaps of zones that move
 * by an hour (New York, London, Sydney), by 45 minutes' zone (Chatham) and
 * of zones that never move (Kolkata, UTC).
 */

function scheduleOf(spec: ScheduleSpec): Schedule {
  const { schedule, errors } = parseSchedule(spec);
  if (errors)
    throw new Error(errors.map(e => `${e.path}: ${e.message}`).join('; '));
  return schedule;
}

const HOUR = 3600_000;
const zones = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];

interface Change {
  /** The instant the offset changes. */
  at: number;
  /** Offsets before and after, in ms. */
  before: number;
  after: number;
}

const offsetAt = (zone: string, ms: number) =>
  DateTime.fromMillis(ms, { zone }).offset * 60_000;

/** The offset changes of a zone in 2025–2027, found by scanning (not from a table). */
function changesOf(zone: string): Change[] {
  const out: Change[] = [];
  const from = Date.parse('2025-01-01T00:00:00Z');
  const to = Date.parse('2028-01-01T00:00:00Z');
  for (let t = from; t < to; t += HOUR) {
    const before = offsetAt(zone, t);
    const after = offsetAt(zone, t + HOUR);
    if (before === after) continue;
    let lo = t;
    let hi = t + HOUR;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, before, after });
  }
  return out;
}

const changes = new Map(zones.map(z => [z, changesOf(z)]));

it('finds the daylight-saving changes of the zones that have them', () => {
  expect(changes.get('America/New_York')).toHaveLength(6);
  expect(changes.get('Pacific/Chatham')).toHaveLength(6);
  expect(changes.get('Asia/Kolkata')).toEqual([]);
  expect(changes.get('UTC')).toEqual([]);
});

const LOCAL = "yyyy-MM-dd'T'HH:mm";
/** A wall time (local time read as UTC) as the spec writes it. */
const localIso = (wallMs: number) =>
  DateTime.fromMillis(wallMs, { zone: 'utc' }).toFormat(LOCAL);

const turns = [
  'PT15M',
  'PT30M',
  'PT45M',
  'PT1H',
  'PT90M',
  'PT12H',
  'P1D',
  'P1W',
  'P1M',
];
const member = fc.integer({ min: 0, max: 7 }).map(i => `user:default/u${i}`);

/**
 * A case: a schedule whose hand-off (and override edges) fall inside the gap
 * or overlap of one of its zone's changes (or anywhere in 2026 for a zone
 * without), an instant near that change and a `from` before the instant.
 */
const caseArb = fc
  .record({
    zone: fc.constantFrom(...zones),
    change: fc.nat(),
    /** Where in the skipped or repeated hour (or near it) the hand-off is. */
    handoffMinute: fc.integer({ min: -90, max: 150 }),
    turn: fc.constantFrom(...turns),
    turnsBack: fc.integer({ min: 0, max: 4 }),
    primary: fc.uniqueArray(member, { minLength: 1, maxLength: 6 }),
    secondary: fc.option(
      fc.record({
        members: fc.uniqueArray(member, { minLength: 1, maxLength: 4 }),
        ownHandoff: fc.boolean(),
        minute: fc.integer({ min: -30, max: 90 }),
      }),
      { nil: undefined },
    ),
    overrides: fc.array(
      fc.record({
        role: fc.constantFrom('primary' as const, 'secondary' as const),
        user: member,
        startMinute: fc.integer({ min: -120, max: 180 }),
        minutes: fc.integer({ min: 1, max: 240 }),
      }),
      { maxLength: 2 },
    ),
    /** The instant, around the change. */
    atMs: fc.integer({ min: -4 * HOUR, max: 4 * HOUR }),
    farMs: fc.integer({ min: -40 * 24 * HOUR, max: 40 * 24 * HOUR }),
    far: fc.boolean(),
    /** How far before the instant `shiftsFrom` is asked from. */
    backTurns: fc.integer({ min: 0, max: 3 }),
    backMinutes: fc.integer({ min: 0, max: 120 }),
  })
  .map(r => {
    const list = changes.get(r.zone)!;
    const change: Change = list.length
      ? list[r.change % list.length]
      : {
          at: Date.parse('2026-03-29T01:00:00Z') + (r.change % 300) * HOUR,
          before: offsetAt(r.zone, 0),
          after: offsetAt(r.zone, 0),
        };
    // The affected local times: [at + smaller offset, at + larger offset).
    const wallFrom = change.at + Math.min(change.before, change.after);
    const turn = Duration.fromISO(r.turn);
    const wallOfHandoff = (minute: number, back: number) =>
      localIso(
        DateTime.fromMillis(wallFrom + minute * 60_000, { zone: 'utc' })
          .minus(turn.mapUnits(x => x * back))
          .toMillis(),
      );
    const spec: ScheduleSpec = {
      owner: 'group:default/t',
      timeZone: r.zone,
      handoff: {
        start: wallOfHandoff(r.handoffMinute, r.turnsBack),
        turn: r.turn,
      },
      primary: r.primary,
      secondary: r.secondary
        ? {
            members: r.secondary.members,
            ...(r.secondary.ownHandoff
              ? {
                  handoff: {
                    start: wallOfHandoff(r.secondary.minute, r.turnsBack + 1),
                    turn: r.turn,
                  },
                }
              : {}),
          }
        : 'next-in-rotation',
      overrides: r.overrides.map(o => ({
        role: o.role,
        user: o.user,
        start: wallOfHandoff(o.startMinute, 0),
        end: wallOfHandoff(o.startMinute + o.minutes, 0),
      })),
    };
    const at = new Date(change.at + (r.far ? r.farMs : r.atMs));
    const from = new Date(
      at.getTime() -
        r.backTurns * turn.toMillis() -
        r.backMinutes * 60_000 -
        (r.backTurns > 0 ? 1 : 0),
    );
    return { spec, at, from };
  });

/** The user of the shift of `role` that holds `at`, or undefined when the list does not reach it. */
function holderIn(
  shifts: ReturnType<typeof shiftsFrom>,
  role: 'primary' | 'secondary',
  at: Date,
  count: number,
): string | null | undefined {
  const mine = shifts.filter(s => s.role === role);
  const holding = mine.find(s => s.start <= at && at < s.end);
  if (holding) return holding.user;
  const last = mine[mine.length - 1];
  if (mine.length === count && last && last.end <= at) return undefined;
  return null;
}

/** What disagrees between the two answers at `at`; empty when they agree. */
function disagreements(
  schedule: Schedule,
  at: Date,
  from: Date,
  count: number,
): { problems: string[]; reached: boolean } {
  const problems: string[] = [];
  const answer = onCallAt(schedule, at);
  const shifts = shiftsFrom(schedule, from, count);
  let reached = false;
  for (const role of ['primary', 'secondary'] as const) {
    const holder = holderIn(shifts, role, at, count);
    if (holder !== undefined) {
      if (role === 'primary') reached = true;
      if (holder !== answer[role]) {
        problems.push(`${role}: shift of ${holder}, onCallAt ${answer[role]}`);
      }
    }
    // Asked from the instant itself, the first shift is the one in force.
    const [first] = shiftsFrom(schedule, at, 1, role);
    if (answer[role]) {
      if (!first || first.user !== answer[role]) {
        problems.push(`${role}: first shift of ${first?.user}`);
      } else if (!(first.start <= at && at < first.end)) {
        problems.push(`${role}: first shift does not hold the instant`);
      }
    } else if (first && first.start <= at) {
      problems.push(`${role}: a shift holds an instant with nobody on`);
    }
    // No shift is empty, and a role's shifts follow one another in order.
    const mine = shifts.filter(x => x.role === role);
    mine.forEach((x, k) => {
      if (!(x.start < x.end)) problems.push(`${role}: empty shift ${k}`);
      if (k > 0 && x.start < mine[k - 1].end) {
        problems.push(`${role}: shift ${k} starts before ${k - 1} ends`);
      }
    });
  }
  return { problems, reached };
}

describe('rotation math across daylight-saving changes', () => {
  it('shiftsFrom and onCallAt name the same primary and secondary at every instant', () => {
    let reached = 0;
    let total = 0;
    fc.assert(
      fc.property(caseArb, ({ spec, at, from }) => {
        // Enough to reach the instant: at most 3 turns and 2 hours before.
        const result = disagreements(scheduleOf(spec), at, from, 24);
        total++;
        if (result.reached) reached++;
        expect(result.problems).toEqual([]);
      }),
      { numRuns: 1000 },
    );
    // The shifts listed reach the instant in (nearly) every case.
    expect(reached).toBeGreaterThan(total * 0.95);
  });

  it('keeps its answer until validUntil, within the primary shift', () => {
    fc.assert(
      fc.property(caseArb, ({ spec, at }) => {
        const schedule = scheduleOf(spec);
        const { answer, validUntil } = onCallWithValidity(schedule, at);
        const [shift] = shiftsFrom(schedule, at, 1, 'primary');
        const justBefore = validUntil && new Date(validUntil.getTime() - 1);
        expect({
          later: validUntil ? validUntil > at : true,
          same: justBefore ? onCallAt(schedule, justBefore) : answer,
          within: answer.until ? shift.end >= answer.until : true,
        }).toEqual({ later: true, same: answer, within: true });
      }),
      { numRuns: 1500 },
    );
  });
});

describe('hand-offs at local times the clocks skip or repeat', () => {
  const daily = (start: string): Schedule =>
    scheduleOf({
      owner: 'group:default/t',
      timeZone: 'America/New_York',
      handoff: { start, turn: 'P1D' },
      primary: ['user:default/a', 'user:default/b'],
    });
  const primaryAt = (s: Schedule, iso: string) =>
    onCallAt(s, new Date(iso)).primary;

  it('hands off at the jump when the hand-off time is skipped', () => {
    // 2026-03-08: New York's clocks jump from 02:00 EST to 03:00 EDT (07:00Z).
    const s = daily('2026-03-07T02:30');
    expect(primaryAt(s, '2026-03-08T06:59:59.999Z')).toBe('user:default/a');
    expect(primaryAt(s, '2026-03-08T07:00:00Z')).toBe('user:default/b');
    const [first, second] = shiftsFrom(
      s,
      new Date('2026-03-08T00:00Z'),
      2,
      'primary',
    );
    expect(first.end).toEqual(new Date('2026-03-08T07:00:00Z'));
    expect(second.start).toEqual(new Date('2026-03-08T07:00:00Z'));
    // The next day the hand-off is at 02:30 EDT again.
    expect(second.end).toEqual(new Date('2026-03-09T06:30:00Z'));
  });

  it('hands off the first time the clock reads a repeated hand-off time, once', () => {
    // 2026-11-01: back from 02:00 EDT to 01:00 EST (06:00Z); 01:30 is read twice.
    const s = daily('2026-10-31T01:30');
    expect(primaryAt(s, '2026-11-01T05:29:59.999Z')).toBe('user:default/a');
    expect(primaryAt(s, '2026-11-01T05:30:00Z')).toBe('user:default/b');
    // 01:00–01:59 EST: the clock reads 01:30 again; b stays on.
    expect(primaryAt(s, '2026-11-01T06:15:00Z')).toBe('user:default/b');
    expect(primaryAt(s, '2026-11-01T06:45:00Z')).toBe('user:default/b');
    const [first, second] = shiftsFrom(
      s,
      new Date('2026-11-01T00:00Z'),
      2,
      'primary',
    );
    expect(first.end).toEqual(new Date('2026-11-01T05:30:00Z'));
    expect(second).toMatchObject({
      user: 'user:default/b',
      start: new Date('2026-11-01T05:30:00Z'),
      end: new Date('2026-11-02T06:30:00Z'),
    });
  });

  it('counts an override edge in a skipped hour from the jump', () => {
    const s = scheduleOf({
      owner: 'group:default/t',
      timeZone: 'America/New_York',
      handoff: { start: '2026-03-01T09:00', turn: 'P1W' },
      primary: ['user:default/a', 'user:default/b'],
      overrides: [
        {
          role: 'primary',
          user: 'user:default/c',
          start: '2026-03-08T02:15',
          end: '2026-03-08T02:45',
        },
      ],
    });
    // The whole override is skipped by the clock: nobody sees c on call.
    expect(primaryAt(s, '2026-03-08T06:59:59.999Z')).toBe('user:default/a');
    expect(primaryAt(s, '2026-03-08T07:00:00Z')).toBe('user:default/a');
    const shifts = shiftsFrom(s, new Date('2026-03-07T00:00Z'), 5, 'primary');
    expect(shifts.map(x => x.user)).not.toContain('user:default/c');
  });
});
