import type {
  ScheduleHandoff,
  ScheduleSpec,
} from '@opsready/plugin-operability-common';
import { DateTime, Duration } from 'luxon';

/**
 * Rotation math for `Schedule` entities. Pure: no I/O, no clock.
 *
 * Hand-offs are counted in the schedule zone's wall-clock time, so a turn that
 * starts Monday 09:00 starts Monday 09:00 in summer and in winter. To get that,
 * all arithmetic runs on "wall" times: the local date and time re-read as if
 * they were UTC, a timeline without daylight-saving jumps. Results are turned
 * back into real instants in the zone at the end.
 */

export type Role = 'primary' | 'secondary';

/** A person's time on call in one role: [start, end). */
export interface Shift {
  role: Role;
  user: string;
  start: Date;
  end: Date;
  /** True when an override, not the rotation, put this person here. */
  override: boolean;
}

export interface OnCallAt {
  primary: string | null;
  secondary: string | null;
  /** End of the current primary's shift: the next hand-off or override boundary. */
  until: Date | null;
}

interface Rotation {
  members: string[];
  startWall: DateTime;
  turn: Duration;
  /** Approximate turn length in ms, to estimate turn indexes quickly. */
  turnMs: number;
}

interface WallOverride {
  role: Role;
  user: string;
  startWall: DateTime;
  endWall: DateTime;
}

/** A schedule prepared once for many questions. */
export interface CompiledSchedule {
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

function compileRotation(
  members: string[],
  handoff: ScheduleHandoff,
): Rotation {
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

export function compileSchedule(spec: ScheduleSpec): CompiledSchedule {
  if (!DateTime.local().setZone(spec.timeZone).isValid) {
    throw new Error(`Invalid time zone '${spec.timeZone}'`);
  }
  const secondary = spec.secondary;
  return {
    zone: spec.timeZone,
    primary: compileRotation(spec.primary, spec.handoff),
    secondary:
      secondary === undefined || secondary === 'next-in-rotation'
        ? 'next-in-rotation'
        : compileRotation(secondary.members, secondary.handoff ?? spec.handoff),
    overrides: (spec.overrides ?? []).map(o => ({
      role: o.role,
      user: o.user,
      startWall: wallFromLocalIso(o.start),
      endWall: wallFromLocalIso(o.end),
    })),
  };
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

function memberAt(members: string[], i: number): string | null {
  if (members.length === 0 || i < 0) return null;
  return members[i % members.length];
}

/** The rotation whose hand-offs a role follows. */
function rotationFor(schedule: CompiledSchedule, role: Role): Rotation {
  return role === 'primary' || schedule.secondary === 'next-in-rotation'
    ? schedule.primary
    : schedule.secondary;
}

/** The rotation's own assignment (no overrides) for a role at a wall time. */
function rotationAssignment(
  schedule: CompiledSchedule,
  role: Role,
  wall: DateTime,
): { user: string | null; turnEnd: DateTime | null } {
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
  role: Role,
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
  role: Role,
  wall: DateTime,
): { user: string | null; override: boolean; changesAt: DateTime | null } {
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

/** Who is on call at an instant. */
export function onCallAt(schedule: CompiledSchedule, at: Date): OnCallAt {
  return onCallWithValidity(schedule, at).answer;
}

/**
 * Who is on call at an instant, and until when the whole answer (both roles)
 * stays the same, so callers can reuse it for any instant in [at, validUntil).
 */
export function onCallWithValidity(
  schedule: CompiledSchedule,
  at: Date,
): { answer: OnCallAt; validUntil: Date | null } {
  const wall = wallOf(at, schedule.zone);
  const primary = assignment(schedule, 'primary', wall);
  const secondary = assignment(schedule, 'secondary', wall);
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
          ? instantOf(primary.changesAt, schedule.zone)
          : null,
    },
    validUntil: next ? instantOf(next, schedule.zone) : null,
  };
}

/**
 * The shifts of a role from the one in force at `from`, in order, at most
 * `count` of them. Consecutive pieces held by the same person are one shift;
 * gaps with nobody on call are left out.
 */
export function nextShifts(
  schedule: CompiledSchedule,
  role: Role,
  from: Date,
  count: number,
): Shift[] {
  const shifts: Shift[] = [];
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
  role: Role,
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
