/**
 * Catalog module for the operability plugins: the Schedule kind.
 *
 * @packageDocumentation
 */
export { catalogModuleOperability as default } from './module';
export { ScheduleEntitiesProcessor } from './processor/ScheduleEntitiesProcessor';
