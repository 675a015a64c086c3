import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { OperabilityClient, operabilityApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The operability plugin, for apps on the legacy frontend system.
 * @public
 */
export const operabilityPlugin = createPlugin({
  id: 'operability',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: operabilityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new OperabilityClient(deps),
    }),
  ],
});

/**
 * The org-wide page, usually mounted at `/operability`.
 * @public
 */
export const OperabilityPage = operabilityPlugin.provide(
  createRoutableExtension({
    name: 'OperabilityPage',
    component: () =>
      import('./components/OperabilityPage').then(m => m.OperabilityPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The overview card of an entity page.
 * @public
 */
export const EntityOperabilityCard = operabilityPlugin.provide(
  createComponentExtension({
    name: 'EntityOperabilityCard',
    component: {
      lazy: () =>
        import('./components/EntityOperabilityCard').then(
          m => m.EntityOperabilityCard,
        ),
    },
  }),
);

/**
 * The "Operability" tab of an entity page.
 * @public
 */
export const EntityOperabilityContent = operabilityPlugin.provide(
  createComponentExtension({
    name: 'EntityOperabilityContent',
    component: {
      lazy: () =>
        import('./components/EntityOperabilityContent').then(
          m => m.EntityOperabilityContent,
        ),
    },
  }),
);

/**
 * For Group pages: the team's services with their levels, and who is on
 * call for each of them now.
 * @public
 */
export const EntityTeamOperabilityCard = operabilityPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamOperabilityCard',
    component: {
      lazy: () =>
        import('./components/EntityTeamOperabilityCard').then(
          m => m.EntityTeamOperabilityCard,
        ),
    },
  }),
);

/**
 * "Who owns this?" for a service name, a repository or an alert's labels.
 * Provided as an extension so that using it anywhere registers the plugin
 * and its API in the app.
 * @public
 */
export const WhoOwnsSearch = operabilityPlugin.provide(
  createComponentExtension({
    name: 'WhoOwnsSearch',
    component: {
      lazy: () =>
        import('./components/WhoOwnsSearch').then(m => m.WhoOwnsSearch),
    },
  }),
);

export { operabilityLevelColumn } from './components/OperabilityLevelColumn';
export {
  EntityOperabilityLevelFilter,
  EntityOperabilityLevelPicker,
} from './components/EntityOperabilityLevelPicker';
export type { OperabilityEntityFilters } from './components/EntityOperabilityLevelPicker';
