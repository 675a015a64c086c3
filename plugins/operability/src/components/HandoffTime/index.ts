export {
  formatInZone,
  HandoffTime,
  useScheduleTimeZone,
  viewerTimeZone,
} from './HandoffTime';
