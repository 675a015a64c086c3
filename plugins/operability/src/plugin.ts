import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  type CardExtensionProps,
  createCardExtension,
} from '@backstage/plugin-home-react';
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
export const OperabilityPage: () => JSX.Element = operabilityPlugin.provide(
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
export const EntityOperabilityCard: () => JSX.Element =
  operabilityPlugin.provide(
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
export const EntityOperabilityContent: () => JSX.Element | null =
  operabilityPlugin.provide(
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
export const EntityTeamOperabilityCard: () => JSX.Element =
  operabilityPlugin.provide(
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
export const WhoOwnsSearch: (props: { initialQuery?: string }) => JSX.Element =
  operabilityPlugin.provide(
    createComponentExtension({
      name: 'WhoOwnsSearch',
      component: {
        lazy: () =>
          import('./components/WhoOwnsSearch').then(m => m.WhoOwnsSearch),
      },
    }),
  );

/**
 * A home page card (`@backstage/plugin-home`): who is on call now for the
 * services of the signed-in user's teams, and until when.
 * @public
 */
export const HomePageOnCallForMyTeamsCard: (
  props: CardExtensionProps<{}>,
) => JSX.Element = operabilityPlugin.provide(
  createCardExtension<{}>({
    name: 'HomePageOnCallForMyTeamsCard',
    title: 'On call for my teams',
    components: () =>
      import('./components/OnCallForMyTeamsCard').then(m => ({
        Content: m.OnCallForMyTeamsContent,
      })),
  }),
);

export { operabilityLevelColumn } from './components/OperabilityLevelColumn';
export {
  EntityOperabilityLevelFilter,
  EntityOperabilityLevelPicker,
} from './components/EntityOperabilityLevelPicker';
export type { OperabilityEntityFilters } from './components/EntityOperabilityLevelPicker';
