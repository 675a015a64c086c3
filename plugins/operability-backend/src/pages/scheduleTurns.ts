import type {
  EntityRef,
  Person,
  Schedule,
} from '@opsready/plugin-operability-common';
import { onCallAt, shiftsFrom } from '@opsready/plugin-operability-common';
import { DateTime, Duration } from 'luxon';
import type { Turn } from './attribution';

/** Shifts asked of the rotation math at a time. */
const CHUNK = 64;

/**
 * The primary turns of a Schedule that overlap [from, to), in order: the
 * rotation's hand-offs in the schedule's zone, split where an override
 * starts or ends (an override is a turn of its own). Gaps with nobody on
 * call are left out (attribution fills them with nobody).
 */
export function scheduleTurns(
  schedule: Schedule,
  from: Date,
  to: Date,
  personOf: (ref: EntityRef) => Person,
): Turn[] {
  const turns: (Turn & { override: boolean })[] = [];
  const people = new Map<EntityRef, Person>();
  const person = (ref: EntityRef) => {
    let p = people.get(ref);
    if (!p) people.set(ref, (p = personOf(ref)));
    return p;
  };
  let cursor = from;
  // Bounded: every round moves the cursor forward by at least one shift.
  for (let round = 0; round < 10_000; round++) {
    const shifts = shiftsFrom(schedule, cursor, CHUNK, 'primary');
    let advanced = false;
    for (const s of shifts) {
      if (s.start >= to) break;
      if (s.end <= cursor) continue;
      const last = turns[turns.length - 1];
      // A shift cut at a chunk boundary continues in the next chunk.
      if (
        last &&
        last.primary?.ref === s.user &&
        last.end.getTime() === s.start.getTime() &&
        last.override === s.override
      ) {
        last.end = s.end;
      } else {
        turns.push({
          start: s.start,
          end: s.end,
          primary: person(s.user),
          override: s.override,
        });
      }
      if (s.end > cursor) {
        cursor = s.end;
        advanced = true;
      }
    }
    if (!advanced || shifts.length < CHUNK || cursor >= to) break;
  }
  refineAtOffsetChanges(schedule, turns);
  return splitAtHandoffs(schedule, turns, from, to);
}

/**
 * The rotation's hand-off instants in [from, to]: the turn starts, counted
 * on the zone's wall clock as the rotation math counts them.
 */
export function handoffsBetween(
  schedule: Schedule,
  from: Date,
  to: Date,
): Date[] {
  const { start, turn } = schedule.primary.handoff;
  const zone = schedule.timeZone;
  const wallStart = DateTime.fromISO(start, { zone: 'utc' });
  const duration = Duration.fromISO(turn);
  const turnMs = duration.toMillis();
  if (!wallStart.isValid || !duration.isValid || !(turnMs > 0)) return [];
  const instantOf = (k: number) =>
    wallStart
      .plus(duration.mapUnits(x => x * k))
      .setZone(zone, { keepLocalTime: true })
      .toMillis();
  // Estimate the first index from the offset-free timeline, then step.
  let k = Math.max(
    0,
    Math.floor((from.getTime() - wallStart.toMillis()) / turnMs) - 2,
  );
  while (k > 0 && instantOf(k) > from.getTime()) k--;
  const out: Date[] = [];
  for (let steps = 0; steps < 100_000; steps++, k++) {
    const t = instantOf(k);
    if (t > to.getTime()) break;
    if (t >= from.getTime()) out.push(new Date(t));
  }
  return out;
}

/**
 * A primary turn per hand-off: the rotation's pieces split where a turn
 * hands off, also to the same person (a one-person rotation has a turn a
 * week, not one endless shift). Overrides stay whole: each is a turn.
 */
function splitAtHandoffs(
  schedule: Schedule,
  turns: (Turn & { override: boolean })[],
  from: Date,
  to: Date,
): Turn[] {
  if (turns.length === 0) return [];
  const first = turns[0].start < from ? turns[0].start : from;
  // Past `to` too, so the last turn ends at its hand-off (up to a month on).
  const lastEnd = turns[turns.length - 1].end.getTime();
  const last = new Date(Math.min(lastEnd, to.getTime() + 32 * 86_400_000));
  const handoffs = handoffsBetween(schedule, first, last).map(d => d.getTime());
  const out: Turn[] = [];
  let h = 0;
  for (const { override, ...turn } of turns) {
    if (override) {
      out.push(turn);
      continue;
    }
    let start = turn.start.getTime();
    const end = turn.end.getTime();
    while (h < handoffs.length && handoffs[h] <= start) h++;
    for (let i = h; i < handoffs.length && handoffs[i] < end; i++) {
      // A hand-off the DST refinement moved this piece's edge off already.
      if (nearOffsetChange(schedule.timeZone, handoffs[i], start, end)) {
        continue;
      }
      out.push({ ...turn, start: new Date(start), end: new Date(handoffs[i]) });
      start = handoffs[i];
    }
    out.push({ ...turn, start: new Date(start), end: new Date(end) });
  }
  return out.filter(t => t.start < to);
}

const NEAR_MS = 3 * 3600_000;

/**
 * Moves hand-offs next to a daylight-saving change to the first instant at
 * which the wall clock says the next person is on (what `onCallAt` answers).
 * The rotation math turns a local boundary into an instant on its own: a
 * local time the clocks skip (02:30 when they jump from 02:00 to 03:00)
 * becomes the instant after the gap, and one they repeat (02:00 when they go
 * back from 03:00) the later of its two instants; by the wall clock the next
 * person is on from the jump, and from the first time the clock reads it.
 * Elsewhere the boundaries are exact already and nothing is searched.
 */
function refineAtOffsetChanges(
  schedule: Schedule,
  turns: { start: Date; end: Date; primary: Person | null }[],
): void {
  for (let i = 1; i < turns.length; i++) {
    const prev = turns[i - 1];
    const next = turns[i];
    const b = next.start.getTime();
    if (prev.end.getTime() !== b || !prev.primary || !next.primary) continue;
    const zone = schedule.timeZone;
    const before = DateTime.fromMillis(b - NEAR_MS, { zone }).offset;
    const after = DateTime.fromMillis(b + NEAR_MS, { zone }).offset;
    if (before === after) continue;
    const primaryAt = (ms: number) => onCallAt(schedule, new Date(ms)).primary;
    let lo = Math.max(b - NEAR_MS, prev.start.getTime());
    let hi = Math.min(b + NEAR_MS, next.end.getTime() - 1);
    if (primaryAt(lo) !== prev.primary.ref) continue;
    if (primaryAt(hi) === prev.primary.ref) continue;
    // The first instant (to the millisecond) the previous person is off.
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (primaryAt(mid) === prev.primary.ref) lo = mid;
      else hi = mid;
    }
    if (hi === b) continue;
    prev.end = new Date(hi);
    next.start = new Date(hi);
  }
}

function nearOffsetChange(
  zone: string,
  handoff: number,
  start: number,
  end: number,
): boolean {
  if (handoff - start >= NEAR_MS && end - handoff >= NEAR_MS) return false;
  return (
    DateTime.fromMillis(handoff - NEAR_MS, { zone }).offset !==
    DateTime.fromMillis(handoff + NEAR_MS, { zone }).offset
  );
}
