/**
 * The `Schedule` catalog kind: an on-call rotation kept in the catalog.
 */

/** @public */
export const SCHEDULE_API_VERSION = 'operability.io/v1alpha1';
/** @public */
export const SCHEDULE_KIND = 'Schedule';

/**
 * A hand-off rule: turns start at `start` (local wall-clock time in the schedule's
 * zone, ISO-8601 without offset) and last `turn` (an ISO-8601 duration).
 * @public
 */
export interface ScheduleHandoff {
  start: string;
  turn: string;
}

/** @public */
export interface ScheduleOverride {
  role: 'primary' | 'secondary';
  user: string;
  /** Local times in the schedule's zone; the window is [start, end). */
  start: string;
  end: string;
}

/**
 * A shadow: someone learning the rotation, who is told about pages but not
 * paged, for a window of local times in the schedule's zone, [start, end).
 * @public
 */
export interface ScheduleShadow {
  user: string;
  start: string;
  end: string;
}

/** @public */
export interface ScheduleSpec {
  owner: string;
  timeZone: string;
  handoff: ScheduleHandoff;
  primary: string[];
  secondary?:
    | 'next-in-rotation'
    | { members: string[]; handoff?: ScheduleHandoff };
  overrides?: ScheduleOverride[];
  shadows?: ScheduleShadow[];
}

/**
 * Relation from an entity to the Schedule named by its
 * `operability.io/on-call-schedule` annotation.
 * @public
 */
export const RELATION_ON_CALL_SCHEDULE = 'hasOnCallSchedule';

/**
 * Relation from a Schedule to an entity that names it.
 * @public
 */
export const RELATION_ON_CALL_SCHEDULE_OF = 'onCallScheduleOf';
