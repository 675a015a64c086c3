export { EntityTeamOperabilityCard } from './EntityTeamOperabilityCard';
