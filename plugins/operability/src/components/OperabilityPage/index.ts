export { OperabilityPage } from './OperabilityPage';
