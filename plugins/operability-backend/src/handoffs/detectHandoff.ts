import {
  shiftsFrom,
  type EntityRef,
  type Schedule,
} from '@opsready/plugin-operability-common';

/** One person's unbroken time as primary: consecutive shifts of theirs joined. */
export interface PrimarySpan {
  primary: EntityRef;
  start: Date;
  /** Exclusive; null when the schedule has no end for it. */
  end: Date | null;
}

/** A hand-off: who takes over as primary at `at`, and the turn that ended. */
export interface DetectedHandoff {
  at: Date;
  incoming: PrimarySpan;
  /** The primary turn that ended at `at`; null when nobody was primary right before. */
  outgoing: PrimarySpan | null;
}

/** Shifts walked back or forward to join one person's turns: plenty, and bounded. */
const MAX_STEPS = 64;
/** shiftsFrom's end for a shift without one. */
const OPEN_END = 8.64e15;

function shiftAt(schedule: Schedule, at: Date) {
  const [shift] = shiftsFrom(schedule, at, 1, 'primary');
  return shift && shift.start <= at && at < shift.end ? shift : undefined;
}

/**
 * The primary's unbroken time around an instant (pure): the shift in force
 * joined with the same person's shifts right before it (an override of the
 * same person, a one-person rotation), back to `notBefore` at most, and
 * after it when `forward`; undefined when nobody is primary then.
 */
export function primarySpanAt(
  schedule: Schedule,
  at: Date,
  options: { notBefore?: Date; forward?: boolean } = {},
): PrimarySpan | undefined {
  const shift = shiftAt(schedule, at);
  if (!shift) return undefined;
  const floor = options.notBefore?.getTime() ?? -Infinity;
  let start = shift.start;
  for (let step = 0; step < MAX_STEPS && start.getTime() > floor; step++) {
    const before = shiftAt(schedule, new Date(start.getTime() - 1));
    if (!before || before.user !== shift.user || before.start >= start) break;
    start = before.start;
  }
  let end = shift.end;
  for (
    let step = 0;
    options.forward && step < MAX_STEPS && end.getTime() < OPEN_END;
    step++
  ) {
    const after = shiftAt(schedule, end);
    if (!after || after.user !== shift.user || after.end <= end) break;
    end = after.end;
  }
  return {
    primary: shift.user,
    start,
    end: end.getTime() >= OPEN_END ? null : end,
  };
}

/**
 * The latest hand-off of a schedule's primary (pure): the start of the turn
 * in force at `now`, when it began after `since` and someone else (or
 * nobody) was primary right before it. Undefined when nobody is primary now
 * or the turn began at or before `since`. Hand-offs between `since` and that
 * one (missed while the task did not run) are not reported: their incoming
 * primary is no longer on call. Cheap when there is none: the walk back
 * stops at `since`.
 */
export function latestHandoff(
  schedule: Schedule,
  since: Date,
  now: Date,
): DetectedHandoff | undefined {
  const current = primarySpanAt(schedule, now, { notBefore: since });
  if (!current || current.start.getTime() <= since.getTime()) {
    return undefined;
  }
  const at = current.start;
  // Who was primary right before; nobody after a gap (or before the start).
  const outgoing = primarySpanAt(schedule, new Date(at.getTime() - 1)) ?? null;
  // The same person still (past the bounded walk back): no hand-off.
  if (outgoing?.primary === current.primary) return undefined;
  const incoming = primarySpanAt(schedule, now, {
    notBefore: since,
    forward: true,
  })!;
  return { at, incoming, outgoing: outgoing && { ...outgoing, end: at } };
}
