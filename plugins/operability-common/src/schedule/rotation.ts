import { DateTime, Duration } from 'luxon';
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
 */

/** @public */
export type ScheduleRole = 'primary' | 'secondary';

/**
 * A person's time on call in one role: [start, end).
 * @public
 */
export interface ScheduleShift {
  role: ScheduleRole;
  /** Full User ref. */
  user: EntityRef;
  start: Date;
  end: Date;
  /** True when an override, not the rotation, put this person here. */
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
}

interface Rotation {
  members: readonly EntityRef[];
  startWall: DateTime;
  turn: Duration;
  /** Approximate turn length in ms, to estimate turn indexes quickly. */
  turnMs: number;
}

interface WallOverride {
  role: ScheduleRole;
  user: EntityRef;
  startWall: DateTime;
  endWall: DateTime;
}

/** A schedule prepared once for many questions. */
interface CompiledSchedule {
  zone: string;
  primary: Rotation;
  secondary: Rotation | 'next-in-rotation';
  overrides: WallOverride[];
}

function wallFromLocalIso(local: string): DateTime {
  const wall = DateTime.fromISO(local, { zone: 'utc' });
  if (!wall.isValid) throw new Error(`Invalid local date-time '${local}'`);
  return wall;
}

function wallOf(instant: Date, zone: string): DateTime {
  return DateTime.fromJSDate(instant)
    .setZone(zone)
    .setZone('utc', { keepLocalTime: true });
}

function instantOf(wall: DateTime, zone: string): Date {
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
  if (!DateTime.local().setZone(schedule.timeZone).isValid) {
    throw new Error(`Invalid time zone '${schedule.timeZone}'`);
  }
  return {
    zone: schedule.timeZone,
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

/**
 * Who is on call at an instant. Before the schedule's start nobody is; an
 * override holds its role in [start, end), the later of two overlapping ones
 * winning.
 * @public
 */
export function onCallAt(schedule: Schedule, at: Date): ScheduleOnCallAt {
  return onCallWithValidity(schedule, at).answer;
}

/**
 * Who is on call at an instant, and until when the whole answer (both roles)
 * stays the same, so callers can reuse it for any instant in [at, validUntil).
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
  const changes = [primary.changesAt, secondary.changesAt].filter(
    (c): c is DateTime => c !== null,
  );
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
    },
    validUntil: next ? instantOf(next, prepared.zone) : null,
  };
}

/**
 * The shifts from the one in force at `from`, in order: at most `count` of
 * the primary's, then at most `count` of the secondary's (of `role`'s alone
 * when given). Consecutive pieces held by the same person are one shift; gaps
 * with nobody on call are left out.
 * @public
 */
export function shiftsFrom(
  schedule: Schedule,
  from: Date,
  count: number,
  role?: ScheduleRole,
): ScheduleShift[] {
  const prepared = compiledOf(schedule);
  const roles: ScheduleRole[] = role ? [role] : ['primary', 'secondary'];
  return roles.flatMap(r => shiftsOfRole(prepared, r, from, count));
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
    if (current.user) {
      const last = shifts[shifts.length - 1];
      const start = instantOf(wall, schedule.zone);
      if (
        last &&
        last.user === current.user &&
        last.override === current.override &&
        last.end.getTime() === start.getTime()
      ) {
        last.end = instantOf(current.changesAt, schedule.zone);
      } else {
        shifts.push({
          role,
          user: current.user,
          start,
          end: instantOf(current.changesAt, schedule.zone),
          override: current.override,
        });
      }
    }
    wall = current.changesAt;
  }
  // The first shift began at the last boundary at or before `from`.
  if (shifts.length > 0) {
    const began = lastBoundary(schedule, role, wallOf(from, schedule.zone));
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
