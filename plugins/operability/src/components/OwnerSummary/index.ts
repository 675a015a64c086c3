export { OwnerSummary } from './OwnerSummary';
