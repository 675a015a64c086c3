export { EntityOperabilityLevelPicker } from './EntityOperabilityLevelPicker';
export { EntityOperabilityLevelFilter } from './EntityOperabilityLevelFilter';
export type { OperabilityEntityFilters } from './EntityOperabilityLevelFilter';
