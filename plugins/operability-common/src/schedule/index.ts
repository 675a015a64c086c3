/**
 * The `Schedule` catalog kind in one place: its spec as written, the parse
 * that validates it into a {@link Schedule}, and the rotation math on that.
 * Isomorphic: the catalog module, the backend and the browser use the same.
 */
export * from './spec';
export {
  parseSchedule,
  type ParseScheduleResult,
  type Schedule,
  type ScheduleFieldError,
  type ScheduleRotation,
} from './parseSchedule';
export {
  onCallAt,
  onCallWithValidity,
  rotationSummary,
  shiftsFrom,
  skippedLadder,
  type LadderSkip,
  type ScheduleOnCallAt,
  type ScheduleRole,
  type ScheduleShift,
  type ScheduleShiftRole,
} from './rotation';
