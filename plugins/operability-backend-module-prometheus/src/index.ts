/**
 * Operability facts from Prometheus, Alertmanager and rule files.
 *
 * @packageDocumentation
 */
export { operabilityModulePrometheus as default } from './module';
