export { EntityOperabilityCard } from './EntityOperabilityCard';
