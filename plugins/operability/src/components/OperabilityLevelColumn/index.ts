export { operabilityLevelColumn } from './operabilityLevelColumn';
