export { UpcomingChecks, upcomingChecks } from './UpcomingChecks';
