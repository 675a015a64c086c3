export { OnCallCell } from './OnCallCell';
