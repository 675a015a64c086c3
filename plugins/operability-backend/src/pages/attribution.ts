import type {
  OnCallLoad,
  OnCallLoadPerson,
  OnCallLoadShift,
  PagerPage,
  Person,
} from '@opsready/plugin-operability-common';
import { isOffHours, type WorkingHours } from './workingHours';

/*
 * Attribution of pages to the people on call. Pure: no I/O, no clock.
 */

/** A page as attribution needs it. */
export interface PageInput {
  at: Date;
  title: string;
  source: string;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
}

/** Who was primary over [start, end); null: nobody. */
export interface Turn {
  start: Date;
  end: Date;
  primary: Person | null;
}

/** Twelve hours: the span Google SRE's bound of two pages is stated for. */
export const TWELVE_HOURS_MS = 12 * 3600_000;

/** The busiest primary shift by pages per 12 hours on call. */
export interface BusiestShift {
  shift: OnCallLoadShift;
  /** Pages per 12 hours on call, over the shift's time in the window (at least 12 h). */
  perTwelveHours: number;
}

export interface AttributedLoad extends OnCallLoad {
  /** Undefined when no shift with a primary lies in the window. */
  busiest?: BusiestShift;
}

/**
 * Pages per 12 hours of a shift: its pages over its time in the window. A
 * shift shorter than 12 hours counts as 12 hours, so that one page in a
 * one-hour override is not "12 pages per 12 hours".
 */
export function pagesPerTwelveHours(
  pages: number,
  start: Date,
  end: Date,
): number {
  const ms = Math.max(end.getTime() - start.getTime(), TWELVE_HOURS_MS);
  return (pages * TWELVE_HOURS_MS) / ms;
}

/**
 * The turns, sorted and clipped to [from, to), with the gaps between them
 * (and at either end) filled with turns of nobody, so that every instant of
 * the window lies in exactly one turn. Overlapping input turns are cut: a
 * later-starting turn begins where the one before it ends.
 */
export function timeline(turns: Turn[], from: Date, to: Date): Turn[] {
  const f = from.getTime();
  const t = to.getTime();
  const sorted = turns
    .filter(x => x.end.getTime() > f && x.start.getTime() < t)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: Turn[] = [];
  let cursor = f;
  for (const turn of sorted) {
    const start = Math.max(turn.start.getTime(), cursor);
    const end = Math.min(turn.end.getTime(), t);
    if (end <= start) continue;
    if (start > cursor) {
      out.push({
        start: new Date(cursor),
        end: new Date(start),
        primary: null,
      });
    }
    out.push({
      start: new Date(start),
      end: new Date(end),
      primary: turn.primary,
    });
    cursor = end;
  }
  if (cursor < t) {
    out.push({ start: new Date(cursor), end: new Date(t), primary: null });
  }
  return out;
}

/** Index of the turn containing `at` (turns sorted, contiguous), or -1. */
function turnIndexAt(turns: Turn[], at: number): number {
  let lo = 0;
  let hi = turns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (turns[mid].end.getTime() <= at) lo = mid + 1;
    else if (turns[mid].start.getTime() > at) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function mean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round(values.reduce((a, b) => a + b, 0) / values.length);
}

/**
 * The on-call load of one entity over [from, to): each page raised in the
 * window attributed to whoever was primary at that instant (null in a gap)
 * and marked off-hours outside working hours in `timeZone`; the primary
 * shifts with their pages (a gap with nobody on call shows only when pages
 * fell in it); each person's shifts and pages; the busiest person's share;
 * MTTA/MTTR over the pages that have acknowledge/resolve times; and the
 * busiest shift by pages per 12 hours.
 */
export function attributeLoad(input: {
  from: Date;
  to: Date;
  timeZone: string;
  workingHours: WorkingHours;
  pages: PageInput[];
  turns: Turn[];
}): AttributedLoad {
  const { from, to, timeZone, workingHours } = input;
  const turns = timeline(input.turns, from, to);
  const counts = turns.map(() => ({ pages: 0, offHours: 0 }));
  const f = from.getTime();
  const t = to.getTime();
  const pages: PagerPage[] = [];
  const acks: number[] = [];
  const resolves: number[] = [];
  const sortedPages = input.pages
    .filter(p => p.at.getTime() >= f && p.at.getTime() < t)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const page of sortedPages) {
    const at = page.at.getTime();
    const i = turnIndexAt(turns, at);
    const offHours = isOffHours(page.at, timeZone, workingHours);
    if (i >= 0) {
      counts[i].pages++;
      if (offHours) counts[i].offHours++;
    }
    pages.push({
      at: page.at.toISOString(),
      title: page.title,
      source: page.source,
      primary: i >= 0 ? turns[i].primary : null,
      offHours,
    });
    if (page.acknowledgedAt && page.acknowledgedAt.getTime() >= at) {
      acks.push((page.acknowledgedAt.getTime() - at) / 1000);
    }
    if (page.resolvedAt && page.resolvedAt.getTime() >= at) {
      resolves.push((page.resolvedAt.getTime() - at) / 1000);
    }
  }

  const shifts: OnCallLoadShift[] = [];
  const people = new Map<string, OnCallLoadPerson>();
  let busiest: BusiestShift | undefined;
  turns.forEach((turn, i) => {
    const { pages: n, offHours } = counts[i];
    if (!turn.primary && n === 0) return;
    const shift: OnCallLoadShift = {
      start: turn.start.toISOString(),
      end: turn.end.toISOString(),
      primary: turn.primary,
      pages: n,
      offHoursPages: offHours,
    };
    shifts.push(shift);
    if (!turn.primary) return;
    let person = people.get(turn.primary.ref);
    if (!person) {
      person = { person: turn.primary, shifts: 0, pages: 0, offHoursPages: 0 };
      people.set(turn.primary.ref, person);
    }
    person.shifts++;
    person.pages += n;
    person.offHoursPages += offHours;
    const rate = pagesPerTwelveHours(n, turn.start, turn.end);
    if (!busiest || rate > busiest.perTwelveHours) {
      busiest = { shift, perTwelveHours: rate };
    }
  });

  const byLoad = [...people.values()].sort(
    (a, b) =>
      b.pages - a.pages ||
      b.offHoursPages - a.offHoursPages ||
      a.person.ref.localeCompare(b.person.ref),
  );
  const top = byLoad[0]?.pages ?? 0;
  const mtta = mean(acks);
  const mttr = mean(resolves);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    timeZone,
    pages,
    shifts,
    people: byLoad,
    busiestShare: pages.length > 0 ? top / pages.length : 0,
    ...(mtta !== undefined ? { mtta } : {}),
    ...(mttr !== undefined ? { mttr } : {}),
    ...(busiest ? { busiest } : {}),
  };
}

/** What the fact needs of a load: the busiest shift and the page counts. */
export interface LoadSummary {
  busiest?: BusiestShift;
  pages: number;
  offHoursPages: number;
}

/**
 * The busiest primary shift of a load and its page counts, as
 * {@link attributeLoad} finds them, without listing pages, shifts or people:
 * for many entities at once. `pages` are instants (ms), in any order.
 */
export function summarizeLoad(input: {
  from: Date;
  to: Date;
  timeZone: string;
  workingHours: WorkingHours;
  pages: number[];
  turns: Turn[];
}): LoadSummary {
  const { from, to, timeZone, workingHours } = input;
  const turns = timeline(input.turns, from, to);
  const f = from.getTime();
  const t = to.getTime();
  const pages = new Array<number>(turns.length).fill(0);
  const offHours = new Array<number>(turns.length).fill(0);
  let total = 0;
  let totalOff = 0;
  for (const at of input.pages) {
    if (at < f || at >= t) continue;
    const off = isOffHours(new Date(at), timeZone, workingHours);
    total++;
    if (off) totalOff++;
    const i = turnIndexAt(turns, at);
    if (i < 0) continue;
    pages[i]++;
    if (off) offHours[i]++;
  }
  let busiest: BusiestShift | undefined;
  turns.forEach((turn, i) => {
    if (!turn.primary) return;
    const rate = pagesPerTwelveHours(pages[i], turn.start, turn.end);
    if (!busiest || rate > busiest.perTwelveHours) {
      busiest = {
        shift: {
          start: turn.start.toISOString(),
          end: turn.end.toISOString(),
          primary: turn.primary,
          pages: pages[i],
          offHoursPages: offHours[i],
        },
        perTwelveHours: rate,
      };
    }
  });
  return {
    ...(busiest ? { busiest } : {}),
    pages: total,
    offHoursPages: totalOff,
  };
}
