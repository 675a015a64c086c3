/**
 * Operability on-call from PagerDuty.
 *
 * @packageDocumentation
 */
export { operabilityModulePagerDuty as default } from './module';
