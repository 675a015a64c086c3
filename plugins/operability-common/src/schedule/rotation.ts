import { DateTime, Duration, Info, type Zone } from 'luxon';
import type { EntityRef } from '../types';
import type { Schedule, ScheduleRotation } from './parseSchedule';

/*
 * Rotation math for `Schedule` entities. Pure: no I/O, no clock.
 *
 * Hand-offs are counted in the schedule zone's wall-clock time, so a turn that
 * starts Monday 09:00 starts Monday 09:00 in summer and in winter. To get that,
 * all arithmetic runs on "wall" times: the local date and time re-read as if
 * they were UTC, a timeline without daylight-saving jumps. Results are turned
 * back into real instants in the zone at the end.
 *
 * Around a daylight-saving change a local time is skipped or read twice, so
 * both directions are decided by the wall clock as it runs: a boundary at
 * local time W is passed from the first instant the clock has read W or later.
 * A skipped time (02:30 when the clocks jump from 02:00 to 03:00) is passed at
 * the jump; a repeated one (01:30 when they go back from 02:00 to 01:00) the
 * first time the clock reads it, and stays passed while the hour repeats.
 * `wallOf` (an instant's reading, the latest the clock has shown so far) and
 * `instantOf` (the first instant of a reading) are exact inverses in that
 * sense, so `onCallAt` and `shiftsFrom` agree at every instant.
 */
/** @public */
export type ScheduleRole = 'primary' | 'secondary';

/**
 * The role of a {@link ScheduleShift}: primary or secondary, or `shadow` for
 * someone learning the rotation (told about pages, not paged).
 * @public
 */
export type ScheduleShiftRole = ScheduleRole | 'shadow';

/**
 * A person's time on call in one role: [start, end).
 * @public
 */
export interface ScheduleShift {
  role: ScheduleShiftRole;
  /** Full User ref. */
  user: EntityRef;
  start: Date;
  end: Date;
  /** True when an override, not the rotation, put this person here (never for a shadow). */
  override: boolean;
}

/**
 * Who is on call at an instant, by a {@link Schedule}'s rules.
 * @public
 */
export interface ScheduleOnCallAt {
  /** Full User ref, or null before the start (or with nobody in the role). */
  primary: EntityRef | null;
  secondary: EntityRef | null;
  /** End of the current primary's shift: the next hand-off or override boundary. */
  until: Date | null;
  /**
   * Full User refs of the shadows whose window holds the instant, in the
   * order of `spec.shadows`, each once; empty when none.
   */
  shadows: EntityRef[];
}

interface Rotation {
  members: readonly EntityRef[];
  startWall: DateTime;
  turn: Duration;
  /** Approximate turn length in ms, to estimate turn indexes quickly. */
  turnMs: number;
}

interface WallWindow {
  user: EntityRef;
  startWall: DateTime;
  endWall: DateTime;
}

interface WallOverride extends WallWindow {
  role: ScheduleRole;
}

/** A schedule prepared once for many questions. */
interface CompiledSchedule {
  zone: Zone;
  primary: Rotation;
  secondary: Rotation | 'next-in-rotation';
  overrides: WallOverride[];
  shadows: WallWindow[];
}

function wallFromLocalIso(local: string): DateTime {
  const wall = DateTime.fromISO(local, { zone: 'utc' });
  if (!wall.isValid) throw new Error(`Invalid local date-time '${local}'`);
  return wall;
}

const MINUTE_MS = 60_000;
/**
 * Offsets lie within -12 h and +14 h: a window wider than that, to find the
 * offset change a local time is near. Zones change their offset far less
 * often than twice in it; where one did, `instantOf` falls back to luxon.
 */
const SPAN_MS = 26 * 3600_000;

function offsetMs(zone: Zone, ms: number): number {
  return Math.round(zone.offset(ms) * MINUTE_MS);
}

/** The first instant in (lo, hi] whose offset is not `before`'s (lo has it, hi not). */
function offsetChangeIn(
  zone: Zone,
  lo: number,
  hi: number,
  before: number,
): number {
  let a = lo;
  let b = hi;
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetMs(zone, mid) === before) a = mid;
    else b = mid;
  }
  return b;
}

/**
 * The wall reading of an instant: the latest local time the clock has shown
 * up to it. That is its local time, except in a repeated hour after the clocks
 * went back, where it stays at the last reading before they did.
 */
function wallOf(instant: Date, zone: Zone): DateTime {
  const t = instant.getTime();
  const offset = offsetMs(zone, t);
  let reading = t + offset;
  if (!zone.isUniversal) {
    const earlier = offsetMs(zone, t - SPAN_MS);
    const drop = earlier - offset;
    // The clocks went back within the window and less than `drop` ago.
    if (drop > 0 && offsetMs(zone, t - drop) !== offset) {
      const change = offsetChangeIn(zone, t - drop, t, earlier);
      reading = Math.max(reading, change - 1 + earlier);
    }
  }
  return DateTime.fromMillis(reading, { zone: 'utc' });
}

/**
 * The first instant whose wall reading is `wall` or later: when the clock
 * first reads a repeated local time, the jump past a skipped one.
 */
function instantOf(wall: DateTime, zone: Zone): Date {
  const w = wall.toMillis();
  if (zone.isUniversal) return new Date(w - offsetMs(zone, w));
  const before = offsetMs(zone, w - SPAN_MS);
  const after = offsetMs(zone, w + SPAN_MS);
  const readsAt = [w - before, w - after].filter(
    (t, k) => offsetMs(zone, t) === (k === 0 ? before : after),
  );
  if (readsAt.length > 0) return new Date(Math.min(...readsAt));
  if (after > before) {
    // Skipped: the clocks jump past it at the change.
    return new Date(offsetChangeIn(zone, w - after, w - before, before));
  }
  // More than one change near it (not in any zone's rules): luxon's guess.
  return wall.setZone(zone, { keepLocalTime: true }).toJSDate();
}

function compileRotation({ members, handoff }: ScheduleRotation): Rotation {
  const turn = Duration.fromISO(handoff.turn);
  const turnMs = turn.toMillis();
  if (!turn.isValid || turnMs <= 0) {
    throw new Error(`Invalid turn '${handoff.turn}'`);
  }
  return {
    members,
    startWall: wallFromLocalIso(handoff.start),
    turn,
    turnMs,
  };
}

function compileSchedule(schedule: Schedule): CompiledSchedule {
  const zone = Info.normalizeZone(schedule.timeZone);
  if (!zone.isValid) {
    throw new Error(`Invalid time zone '${schedule.timeZone}'`);
  }
  return {
    zone,
    primary: compileRotation(schedule.primary),
    secondary:
      schedule.secondary === 'next-in-rotation'
        ? 'next-in-rotation'
        : compileRotation(schedule.secondary),
    overrides: schedule.overrides.map(o => ({
      role: o.role,
      user: o.user,
      startWall: wallFromLocalIso(o.start),
      endWall: wallFromLocalIso(o.end),
    })),
    shadows: schedule.shadows.map(w => ({
      user: w.user,
      startWall: wallFromLocalIso(w.start),
      endWall: wallFromLocalIso(w.end),
    })),
  };
}

/**
 * Each parsed schedule is prepared once, on first use (schedules are frozen,
 * so the object is the key). A schedule built by hand rather than by
 * `parseSchedule` is prepared the same way and throws here if it is invalid.
 */
const compiled = new WeakMap<Schedule, CompiledSchedule>();

function compiledOf(schedule: Schedule): CompiledSchedule {
  let result = compiled.get(schedule);
  if (!result) {
    result = compileSchedule(schedule);
    compiled.set(schedule, result);
  }
  return result;
}

/** Wall time at which turn `i` starts. Calendar units (months) stay calendar units. */
function turnStart(rotation: Rotation, i: number): DateTime {
  return rotation.startWall.plus(rotation.turn.mapUnits(x => x * i));
}

/** Index of the turn containing `wall`; negative before the start. */
function turnIndex(rotation: Rotation, wall: DateTime): number {
  let i = Math.floor(
    (wall.toMillis() - rotation.startWall.toMillis()) / rotation.turnMs,
  );
  // The estimate is exact for fixed-length turns; calendar turns (P1M) need a nudge.
  while (turnStart(rotation, i) > wall) i--;
  while (turnStart(rotation, i + 1) <= wall) i++;
  return i;
}

function memberAt(members: readonly EntityRef[], i: number): EntityRef | null {
  if (members.length === 0 || i < 0) return null;
  return members[i % members.length];
}

/** The rotation whose hand-offs a role follows. */
function rotationFor(schedule: CompiledSchedule, role: ScheduleRole): Rotation {
  return role === 'primary' || schedule.secondary === 'next-in-rotation'
    ? schedule.primary
    : schedule.secondary;
}

/** The rotation's own assignment (no overrides) for a role at a wall time. */
function rotationAssignment(
  schedule: CompiledSchedule,
  role: ScheduleRole,
  wall: DateTime,
): { user: EntityRef | null; turnEnd: DateTime | null } {
  const rotation = rotationFor(schedule, role);
  const i = turnIndex(rotation, wall);
  if (i < 0) return { user: null, turnEnd: rotation.startWall };
  const turnEnd = turnStart(rotation, i + 1);
  if (role === 'secondary' && schedule.secondary === 'next-in-rotation') {
    // Secondary this turn, primary the next; nobody when there is no one else.
    const members = schedule.primary.members;
    return {
      user: members.length > 1 ? memberAt(members, i + 1) : null,
      turnEnd,
    };
  }
  return { user: memberAt(rotation.members, i), turnEnd };
}

/** The override in force for a role at a wall time; later entries win. */
function overrideAt(
  schedule: CompiledSchedule,
  role: ScheduleRole,
  wall: DateTime,
): WallOverride | undefined {
  for (let k = schedule.overrides.length - 1; k >= 0; k--) {
    const o = schedule.overrides[k];
    if (o.role === role && o.startWall <= wall && wall < o.endWall) return o;
  }
  return undefined;
}

/** Who holds a role at a wall time, and the next wall time that may change it. */
function assignment(
  schedule: CompiledSchedule,
  role: ScheduleRole,
  wall: DateTime,
): { user: EntityRef | null; override: boolean; changesAt: DateTime | null } {
  const base = rotationAssignment(schedule, role, wall);
  const override = overrideAt(schedule, role, wall);
  // The next boundary: a hand-off, or the start or end of any override of this role.
  let changesAt = base.turnEnd;
  for (const o of schedule.overrides) {
    if (o.role !== role) continue;
    for (const edge of [o.startWall, o.endWall]) {
      if (edge > wall && (!changesAt || edge < changesAt)) changesAt = edge;
    }
  }
  return {
    user: override ? override.user : base.user,
    override: Boolean(override),
    changesAt,
  };
}

/** The shadows at a wall time, and the next wall time that may change them. */
function shadowsAt(
  schedule: CompiledSchedule,
  wall: DateTime,
): { users: EntityRef[]; changesAt: DateTime | null } {
  const users = new Set<EntityRef>();
  let changesAt: DateTime | null = null;
  for (const w of schedule.shadows) {
    if (w.startWall <= wall && wall < w.endWall) users.add(w.user);
    for (const edge of [w.startWall, w.endWall]) {
      if (edge > wall && (!changesAt || edge < changesAt)) changesAt = edge;
    }
  }
  return { users: [...users], changesAt };
}

/**
 * Who is on call at an instant. Before the schedule's start nobody is; an
 * override holds its role in [start, end), the later of two overlapping ones
 * winning. Shadows are whoever's shadow window holds the instant.
 * @public
 */
export function onCallAt(schedule: Schedule, at: Date): ScheduleOnCallAt {
  return onCallWithValidity(schedule, at).answer;
}

/**
 * Who is on call at an instant, and until when the whole answer (both roles
 * and the shadows) stays the same, so callers can reuse it for any instant in [at, validUntil).
 * @public
 */
export function onCallWithValidity(
  schedule: Schedule,
  at: Date,
): { answer: ScheduleOnCallAt; validUntil: Date | null } {
  const prepared = compiledOf(schedule);
  const wall = wallOf(at, prepared.zone);
  const primary = assignment(prepared, 'primary', wall);
  const secondary = assignment(prepared, 'secondary', wall);
  const shadows = shadowsAt(prepared, wall);
  const changes = [
    primary.changesAt,
    secondary.changesAt,
    shadows.changesAt,
  ].filter((c): c is DateTime => c !== null);
  const next = changes.length
    ? changes.reduce((a, b) => (a < b ? a : b))
    : null;
  return {
    answer: {
      primary: primary.user,
      secondary: secondary.user,
      until:
        primary.user && primary.changesAt
          ? instantOf(primary.changesAt, prepared.zone)
          : null,
      shadows: shadows.users,
    },
    validUntil: next ? instantOf(next, prepared.zone) : null,
  };
}

/**
 * The shifts from the one in force at `from`, in order: at most `count` of
 * the primary's, then at most `count` of the secondary's, then the shadow
 * windows that begin before the last of those primary shifts ends (the
 * shadows of the weeks shown), at most `count`. Consecutive pieces held by
 * the same person are one shift; gaps with nobody on call are left out.
 *
 * With `role`, that role's alone; for `shadow`, at most `count` shadow
 * windows that end after `from`, however far ahead. Shadow windows are
 * listed as written (one shift each, by start), not merged.
 * @public
 */
export function shiftsFrom(
  schedule: Schedule,
  from: Date,
  count: number,
  role?: ScheduleShiftRole,
): ScheduleShift[] {
  const prepared = compiledOf(schedule);
  if (role === 'shadow') return shadowShifts(prepared, from, count);
  if (role) return shiftsOfRole(prepared, role, from, count);
  const primary = shiftsOfRole(prepared, 'primary', from, count);
  const secondary = shiftsOfRole(prepared, 'secondary', from, count);
  const last = primary[primary.length - 1];
  const shadows = last ? shadowShifts(prepared, from, count, last.end) : [];
  return [...primary, ...secondary, ...shadows];
}

/** Shadow windows that end after `from` (and begin before `before`), by start. */
function shadowShifts(
  schedule: CompiledSchedule,
  from: Date,
  count: number,
  before?: Date,
): ScheduleShift[] {
  return schedule.shadows
    .map(w => ({
      role: 'shadow' as const,
      user: w.user,
      start: instantOf(w.startWall, schedule.zone),
      end: instantOf(w.endWall, schedule.zone),
      override: false,
    }))
    .filter(
      s =>
        s.start < s.end &&
        s.end.getTime() > from.getTime() &&
        (!before || s.start.getTime() < before.getTime()),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .slice(0, count);
}

function shiftsOfRole(
  schedule: CompiledSchedule,
  role: ScheduleRole,
  from: Date,
  count: number,
): ScheduleShift[] {
  const shifts: ScheduleShift[] = [];
  let wall = wallOf(from, schedule.zone);
  // Bounded: each step moves to the next boundary; stop after plenty of steps.
  for (let step = 0; step < count * 4 + 16 && shifts.length <= count; step++) {
    const current = assignment(schedule, role, wall);
    if (!current.changesAt) {
      if (current.user) {
        shifts.push({
          role,
          user: current.user,
          start: instantOf(wall, schedule.zone),
          end: new Date(8.64e15),
          override: current.override,
        });
      }
      break;
    }
    const start = instantOf(wall, schedule.zone);
    const end = instantOf(current.changesAt, schedule.zone);
    // A piece wholly inside a skipped hour is never on the clock: left out.
    if (current.user && start < end) {
      const last = shifts[shifts.length - 1];
      if (
        last &&
        last.user === current.user &&
        last.override === current.override &&
        last.end.getTime() === start.getTime()
      ) {
        last.end = end;
      } else {
        shifts.push({
          role,
          user: current.user,
          start,
          end,
          override: current.override,
        });
      }
    }
    wall = current.changesAt;
  }
  // The shift in force at `from` began at the last boundary at or before it.
  const fromWall = wallOf(from, schedule.zone);
  if (
    shifts.length > 0 &&
    shifts[0].start.getTime() === instantOf(fromWall, schedule.zone).getTime()
  ) {
    const began = lastBoundary(schedule, role, fromWall);
    if (began) shifts[0].start = instantOf(began, schedule.zone);
  }
  return shifts.slice(0, count);
}

/** The latest hand-off or override edge of a role at or before a wall time. */
function lastBoundary(
  schedule: CompiledSchedule,
  role: ScheduleRole,
  wall: DateTime,
): DateTime | undefined {
  const rotation = rotationFor(schedule, role);
  const i = turnIndex(rotation, wall);
  let latest = i >= 0 ? turnStart(rotation, i) : undefined;
  for (const o of schedule.overrides) {
    if (o.role !== role) continue;
    for (const edge of [o.startWall, o.endWall]) {
      if (edge <= wall && (!latest || edge > latest)) latest = edge;
    }
  }
  return latest;
}

/**
 * Someone who went straight to primary: their first primary shift on the
 * schedule, with no secondary shift or shadow window of theirs before it.
 * @public
 */
export interface LadderSkip {
  /** Full User ref. */
  user: EntityRef;
  /** When their first primary shift began. */
  firstPrimary: Date;
  /** True when an override, not the rotation, made them primary then. */
  override: boolean;
}

/** Steps of one walk along a role's timeline, at most (a guard, never reached in practice). */
const MAX_WALK_STEPS = 100_000;

/** The people a role's rotation (not its overrides) puts in it. */
function rotationMembersOf(
  schedule: CompiledSchedule,
  role: ScheduleRole,
): readonly EntityRef[] {
  if (role === 'primary') return schedule.primary.members;
  if (schedule.secondary === 'next-in-rotation') {
    return schedule.primary.members.length > 1 ? schedule.primary.members : [];
  }
  return schedule.secondary.members;
}

/** Whether a piece [start, end) of wall time lasts on the clock (not wholly skipped). */
function onTheClock(
  schedule: CompiledSchedule,
  startWall: DateTime,
  endWall: DateTime | null,
): boolean {
  if (!endWall || endWall.toMillis() - startWall.toMillis() > SPAN_MS) {
    return true;
  }
  return (
    instantOf(startWall, schedule.zone) < instantOf(endWall, schedule.zone)
  );
}

/**
 * When each person first holds a role, walking its timeline from its earliest
 * moment (the start, or an earlier override) up to `untilWall` (exclusive),
 * or until `done` says enough is known. Once every member of the role's
 * rotation has been seen, only override edges can bring someone new, so the
 * walk jumps from one to the next.
 */
function firstHolds(
  schedule: CompiledSchedule,
  role: ScheduleRole,
  untilWall: DateTime,
  done: (
    firsts: Map<EntityRef, { wall: DateTime; override: boolean }>,
  ) => boolean,
): Map<EntityRef, { wall: DateTime; override: boolean }> {
  const firsts = new Map<EntityRef, { wall: DateTime; override: boolean }>();
  const overrides = schedule.overrides.filter(o => o.role === role);
  const edges = overrides
    .flatMap(o => [o.startWall, o.endWall])
    .sort((a, b) => a.toMillis() - b.toMillis());
  const unseen = new Set(rotationMembersOf(schedule, role));
  let wall = rotationFor(schedule, role).startWall;
  for (const o of overrides) if (o.startWall < wall) wall = o.startWall;
  for (let step = 0; step < MAX_WALK_STEPS && wall < untilWall; step++) {
    const current = assignment(schedule, role, wall);
    if (current.user && onTheClock(schedule, wall, current.changesAt)) {
      if (!firsts.has(current.user)) {
        firsts.set(current.user, { wall, override: current.override });
        if (done(firsts)) break;
      }
      unseen.delete(current.user);
    }
    const after = wall;
    const next =
      unseen.size === 0
        ? edges.find(edge => edge > after) ?? null
        : current.changesAt;
    if (!next) break;
    wall = next;
  }
  return firsts;
}

/**
 * Who went straight to primary on a schedule: the people whose first primary
 * shift began after the schedule's start (`spec.handoff.start`) and before
 * `until`, and who had held no secondary shift and no shadow window on this
 * schedule that began before it — the ladder being "secondary (or shadow)
 * one week, primary the next". Whoever is primary at the start (or earlier,
 * by an override) is exempt: there was nobody to learn from. With
 * `secondary: next-in-rotation` each member is secondary the turn before
 * their first primary turn, so what this finds is overrides that make
 * someone primary first, secondary lists that start after the people they
 * should prepare, and members added to a rotation at a place already past.
 *
 * In order of first primary shift.
 * @public
 */
export function skippedLadder(schedule: Schedule, until: Date): LadderSkip[] {
  const prepared = compiledOf(schedule);
  const untilWall = wallOf(until, prepared.zone);
  const startWall = prepared.primary.startWall;
  const primaries = firstHolds(prepared, 'primary', untilWall, () => false);
  const candidates = [...primaries].filter(
    ([, first]) => first.wall > startWall,
  );
  if (candidates.length === 0) return [];
  // Only whether they learned before their first primary shift matters.
  const latest = candidates.reduce(
    (a, [, first]) => (first.wall > a ? first.wall : a),
    startWall,
  );
  const wanted = new Set(candidates.map(([user]) => user));
  const secondaries = firstHolds(prepared, 'secondary', latest, firsts =>
    [...wanted].every(user => firsts.has(user)),
  );
  const learnedBefore = (user: EntityRef, wall: DateTime) => {
    const secondary = secondaries.get(user);
    if (secondary && secondary.wall < wall) return true;
    return prepared.shadows.some(w => w.user === user && w.startWall < wall);
  };
  return candidates
    .filter(([user, first]) => !learnedBefore(user, first.wall))
    .sort(([, a], [, b]) => a.wall.toMillis() - b.wall.toMillis())
    .map(([user, first]) => ({
      user,
      firstPrimary: instantOf(first.wall, prepared.zone),
      override: first.override,
    }));
}

/**
 * The people of a schedule (the primary rotation's, then an own secondary
 * rotation's) and the primary's turn length (ISO-8601).
 * @public
 */
export function rotationSummary(schedule: Schedule): {
  members: EntityRef[];
  turn: string;
} {
  const secondary =
    schedule.secondary === 'next-in-rotation' ? [] : schedule.secondary.members;
  return {
    members: [...schedule.primary.members, ...secondary],
    turn: schedule.primary.handoff.turn,
  };
}
