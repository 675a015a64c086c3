export { operabilityApiRef } from './OperabilityApi';
export type { OperabilityApi, ScorecardsQuery } from './OperabilityApi';
export { OperabilityClient } from './OperabilityClient';
