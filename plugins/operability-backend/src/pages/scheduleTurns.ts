import type {
  EntityRef,
  Person,
  Schedule,
} from '@opsready/plugin-operability-common';
import { onCallAt, shiftsFrom } from '@opsready/plugin-operability-common';
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
  return splitAtHandoffs(schedule, turns, to);
}

/**
 * A primary turn per hand-off: the rotation's pieces split where a turn
 * hands off, also to the same person (a one-person rotation has a turn a
 * week, not one endless shift). Overrides stay whole: each is a turn. Inside
 * a piece of the rotation's own only hand-offs change the primary, so the
 * end of each turn is where `onCallAt` says the primary's turn ends.
 */
function splitAtHandoffs(
  schedule: Schedule,
  turns: (Turn & { override: boolean })[],
  to: Date,
): Turn[] {
  const out: Turn[] = [];
  for (const { override, ...turn } of turns) {
    if (override) {
      out.push(turn);
      continue;
    }
    let start = turn.start;
    // Bounded: every step moves past one hand-off.
    for (
      let step = 0;
      step < 100_000 && start < turn.end && start < to;
      step++
    ) {
      const { until } = onCallAt(schedule, start);
      if (!until || until >= turn.end) break;
      out.push({ ...turn, start, end: until });
      start = until;
    }
    out.push({ ...turn, start, end: turn.end });
  }
  return out.filter(t => t.start < to);
}
