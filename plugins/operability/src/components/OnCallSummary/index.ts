export { OnCallSummary } from './OnCallSummary';
