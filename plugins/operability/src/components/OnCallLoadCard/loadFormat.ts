import type {
  OnCallLoad,
  OnCallLoadShift,
  Person,
} from '@opsready/plugin-operability-common';
import { formatLocalDate, formatLocalDateTime } from '../shared/time';

const DAY_MS = 86_400_000;

/** The load's window in whole days (28 for the default window). */
export function windowDays(load: Pick<OnCallLoad, 'from' | 'to'>): number {
  return Math.max(
    1,
    Math.round((Date.parse(load.to) - Date.parse(load.from)) / DAY_MS),
  );
}

/** A person's name as the card shows it: the title, else the ref's name. */
export function personName(person: Person | null): string {
  if (!person) return 'nobody';
  return person.title ?? person.ref.replace(/^[^:]*:(?:[^/]*\/)?/, '');
}

/** A mean time in seconds, in its two largest units: "45 s", "4 min", "1 h 20 min", "2 d 3 h". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

/** A share 0..1 as a whole percentage: "60%". */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** One bar of the chart: a primary shift, its pages split by working hours. */
export interface ShiftBar {
  /** Epoch ms of the shift's start: the bar's key. */
  at: number;
  label: string;
  primary: string;
  range: string;
  /** Pages in working hours. */
  working: number;
  offHours: number;
}

/**
 * The chart's bars (pure): one per shift, oldest first. A bar is labelled
 * with the day its shift starts; when two shifts start the same day (a
 * shift cut at the window's start, then the hand-off), those bars carry the
 * hand-off time too, so that no two bars share a label.
 */
export function shiftBars(shifts: readonly OnCallLoadShift[]): ShiftBar[] {
  const bars = shifts
    .map(s => ({
      at: Date.parse(s.start),
      label: formatLocalDate(s.start),
      primary: personName(s.primary),
      range: `${formatLocalDateTime(s.start)} – ${formatLocalDateTime(s.end)}`,
      working: Math.max(0, s.pages - s.offHoursPages),
      offHours: s.offHoursPages,
    }))
    .sort((a, b) => a.at - b.at);
  const perDay = new Map<string, number>();
  for (const bar of bars) {
    perDay.set(bar.label, (perDay.get(bar.label) ?? 0) + 1);
  }
  const used = new Map<string, number>();
  return bars.map(bar => {
    const label =
      (perDay.get(bar.label) ?? 0) > 1
        ? formatLocalDateTime(new Date(bar.at))
        : bar.label;
    // Shifts starting the same minute (a schedule's overlap): numbered.
    const seen = (used.get(label) ?? 0) + 1;
    used.set(label, seen);
    return { ...bar, label: seen > 1 ? `${label} (${seen})` : label };
  });
}

/** Pages, off-hours pages and primary shifts in the window. */
export function loadTotals(load: Pick<OnCallLoad, 'pages' | 'shifts'>): {
  pages: number;
  offHours: number;
  shifts: number;
} {
  return {
    pages: load.pages.length,
    offHours: load.pages.filter(p => p.offHours).length,
    shifts: load.shifts.filter(s => s.primary).length,
  };
}
