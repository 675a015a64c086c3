export { OnCallForMyTeamsContent, rotationsOf } from './OnCallForMyTeamsCard';
