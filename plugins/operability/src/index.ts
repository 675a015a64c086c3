/**
 * Operability for Backstage: who owns it, who is on call, how production-ready it is.
 *
 * @packageDocumentation
 */
export {
  operabilityPlugin,
  OperabilityPage,
  EntityOperabilityCard,
  EntityOperabilityContent,
} from './plugin';
export * from './api';
