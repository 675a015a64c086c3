export { operabilityApiRef } from './OperabilityApi';
export type {
  Exemption,
  HistoryPoint,
  OperabilityApi,
  ScorecardsQuery,
  Shift,
} from './OperabilityApi';
export { OperabilityClient } from './OperabilityClient';
