import type { EntityRef, Level, Person } from './types';

/**
 * A page of a hand-off report: one of the covered services' pages during
 * the shift that ended.
 * @public
 */
export interface HandoffPage {
  /** ISO instant the page was raised. */
  at: string;
  title: string;
  /** The page source's id (`pagerduty`, `prometheus`, `file`, …). */
  source: string;
  entityRef: EntityRef;
  /** Outside working hours in the schedule's time zone. */
  offHours: boolean;
}

/**
 * A covered service that got worse during the shift that ended: checks that
 * failed at its end and did not at its start, and its level then and now.
 * @public
 */
export interface HandoffRegression {
  entityRef: EntityRef;
  title?: string;
  /** Checks failing now that did not fail when the shift began. */
  checks: { id: string; title: string }[];
  /** The level when the shift began, and now. */
  level: { before: Level; after: Level };
}

/**
 * A covered service that is not ready: below the report's target level, or
 * not evaluated yet (`level: null`).
 * @public
 */
export interface HandoffNotReady {
  entityRef: EntityRef;
  title?: string;
  level: Level | null;
  /** Failing checks at or below the target level: what keeps it below. */
  blocking: { id: string; title: string }[];
}

/**
 * What the incoming primary and secondary of a Schedule are told at a
 * hand-off, as stored and as `GET …/on-call/handoffs` lists it.
 * @public
 */
export interface HandoffReport {
  scheduleRef: EntityRef;
  /** ISO instant of the hand-off: the incoming primary's shift starts. */
  at: string;
  /** The schedule's IANA zone: off-hours are judged in it. */
  timeZone: string;
  incoming: {
    primary: Person;
    secondary: Person | null;
    /** ISO instant the incoming primary's shift ends; null when open-ended. */
    until: string | null;
  };
  /** The primary turn that ended at the hand-off; null when nobody held one. */
  lastShift: { primary: Person; start: string; end: string } | null;
  /**
   * The covered services' pages during the last shift (the newest first, at
   * most 20 listed); null when no pages are collected (no page source) or
   * there was no last shift.
   */
  pages: { total: number; offHours: number; items: HandoffPage[] } | null;
  /**
   * Covered services that regressed during the last shift, compared with
   * their state at `since` (the previous hand-off, or when the report first
   * saw the schedule, whichever is later).
   */
  regressions: { since: string; items: HandoffRegression[] };
  /** Covered services below `target` (or not evaluated) at the hand-off. */
  notReady: { target: Level; items: HandoffNotReady[] };
  /** How many services the schedule covers. */
  services: number;
}

/**
 * The answer of `GET /v1/entities/:kind/:namespace/:name/on-call/handoffs`:
 * the reports of the hand-offs in [from, to) of the Schedule that covers the
 * entity, newest first.
 * @public
 */
export interface HandoffReportList {
  scheduleRef: EntityRef;
  /** ISO instant, inclusive. */
  from: string;
  /** ISO instant, exclusive. */
  to: string;
  items: (HandoffReport & {
    /** ISO instant the notification went out; null when it has not yet. */
    notifiedAt: string | null;
  })[];
}
