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
  EntityTeamOperabilityCard,
  WhoOwnsSearch,
  HomePageOnCallForMyTeamsCard,
  operabilityLevelColumn,
  EntityOperabilityLevelPicker,
  EntityOperabilityLevelFilter,
} from './plugin';
export type { OperabilityEntityFilters } from './plugin';
export * from './api';
