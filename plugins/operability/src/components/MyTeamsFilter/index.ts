export { MyTeamsFilter } from './MyTeamsFilter';
