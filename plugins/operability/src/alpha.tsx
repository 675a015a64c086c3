import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { OperabilityClient, operabilityApiRef } from './api';
import { rootRouteRef } from './routes';

/** Entities the operability views apply to. */
const scoredKinds = {
  kind: { $in: ['component', 'api', 'resource', 'system'] },
};

const operabilityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: operabilityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new OperabilityClient(deps),
    }),
});

const operabilityPage = PageBlueprint.make({
  params: {
    path: '/operability',
    title: 'Operability',
    icon: <AssessmentIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/OperabilityPage').then(m =>
        compatWrapper(<m.OperabilityPage />),
      ),
  },
});

// Unnamed: the plugin's main card and tab are `entity-card:operability` and
// `entity-content:operability`.
const entityOperabilityCard = EntityCardBlueprint.make({
  params: {
    filter: scoredKinds,
    loader: () =>
      import('./components/EntityOperabilityCard').then(m =>
        compatWrapper(<m.EntityOperabilityCard />),
      ),
  },
});

const entityOperabilityContent = EntityContentBlueprint.make({
  params: {
    path: '/operability',
    title: 'Operability',
    filter: scoredKinds,
    loader: () =>
      import('./components/EntityOperabilityContent').then(m =>
        compatWrapper(<m.EntityOperabilityContent />),
      ),
  },
});

const entityTeamOperabilityCard = EntityCardBlueprint.make({
  name: 'team',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/EntityTeamOperabilityCard').then(m =>
        compatWrapper(<m.EntityTeamOperabilityCard />),
      ),
  },
});

const operabilityLevelFilter = CatalogFilterBlueprint.make({
  name: 'level',
  params: {
    loader: () =>
      import('./components/EntityOperabilityLevelPicker').then(m =>
        compatWrapper(<m.EntityOperabilityLevelPicker />),
      ),
  },
});

// `home-page-widget:operability/on-call-for-my-teams`, for the home page of
// `@backstage/plugin-home`.
const onCallForMyTeamsWidget = HomePageWidgetBlueprint.make({
  name: 'on-call-for-my-teams',
  params: {
    name: 'OnCallForMyTeams',
    title: 'On call for my teams',
    description:
      'Who is on call now for the services of your teams, and until when',
    components: () =>
      import('./components/OnCallForMyTeamsCard').then(m => ({
        Content: m.OnCallForMyTeamsContent,
      })),
  },
});

/**
 * The operability plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'operability',
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  extensions: [
    operabilityApi,
    operabilityPage,
    entityOperabilityCard,
    entityOperabilityContent,
    entityTeamOperabilityCard,
    operabilityLevelFilter,
    onCallForMyTeamsWidget,
  ],
});
