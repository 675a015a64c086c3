export { OnCallLoadCard } from './OnCallLoadCard';
export {
  TeamLoadSummary,
  teamLoadColumn,
  useTeamOnCallLoad,
} from './TeamOnCallLoad';
