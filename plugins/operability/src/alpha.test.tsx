import type { Entity } from '@backstage/catalog-model';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { screen, within } from '@testing-library/react';
import plugin from './alpha';
import { OperabilityClient, operabilityApiRef } from './api';
import {
  componentEntity,
  mockOperabilityApi,
  report,
  scorecardRow,
} from './components/__testUtils__/testing';

// Rendering the page with its material-table tables takes seconds on a busy machine.
jest.setTimeout(20_000);

const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': convertLegacyRouteRef(entityRouteRef),
};

function entityOfKind(kind: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'example', namespace: 'default' },
    spec: {},
  };
}

function apiAnswering() {
  const api = mockOperabilityApi();
  api.getScorecards.mockResolvedValue({ items: [scorecardRow], total: 1 });
  api.getTeams.mockResolvedValue([]);
  api.getChecks.mockResolvedValue([]);
  return api;
}

const scoredKinds = ['Component', 'API', 'Resource', 'System'];
const unscoredKinds = ['Group', 'User', 'Domain', 'Template'];

/** How long the lazily loaded org page may take to show its table. */
const PAGE_TIMEOUT_MS = 20_000;

describe('operability plugin (new frontend system)', () => {
  it('has the operability plugin id and provides its extensions', () => {
    expect(plugin.pluginId).toBe('operability');

    const ids = [
      'api:operability',
      'page:operability',
      'entity-card:operability',
      'entity-content:operability',
      'entity-card:operability/team',
      'catalog-filter:operability/level',
    ] as const;
    for (const id of ids) {
      // The tester resolves the definition the plugin hands out, with the
      // plugin's namespace, to its full extension id.
      expect(createExtensionTester(plugin.getExtension(id)).snapshot().id).toBe(
        id,
      );
    }

    const getAnyExtension = plugin.getExtension as (id: string) => unknown;
    expect(() => getAnyExtension('entity-card:operability/missing')).toThrow(
      /non-existent extension 'entity-card:operability\/missing'/,
    );
  });

  it('provides a factory for the operability API', () => {
    const tester = createExtensionTester(
      plugin.getExtension('api:operability'),
    );
    const factory = tester.get(ApiBlueprint.dataRefs.factory);
    expect(factory.api.id).toBe(operabilityApiRef.id);
    expect(Object.values(factory.deps).map(ref => ref.id)).toEqual(
      expect.arrayContaining([discoveryApiRef.id, fetchApiRef.id]),
    );
    const client = factory.factory({
      discoveryApi: {
        getBaseUrl: async () => 'http://backend/api/operability',
      },
      fetchApi: { fetch: jest.fn() },
    });
    expect(client).toBeInstanceOf(OperabilityClient);
  });

  it('renders the org page at /operability', async () => {
    const api = apiAnswering();

    const tester = createExtensionTester(
      plugin.getExtension('page:operability'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/operability');

    // The element alone, as the app's routes would mount it at that path.
    renderInTestApp(tester.reactElement(), {
      apis: [[operabilityApiRef, api]],
      mountedRoutes,
    });

    expect(
      // The whole org page mounts lazily: slow on a loaded machine.
      await screen.findByRole(
        'heading',
        { name: 'Services' },
        { timeout: PAGE_TIMEOUT_MS },
      ),
    ).toBeInTheDocument();
    const payments = (await screen.findByText('Payments API')).closest('tr')!;
    expect(within(payments).getByText('Payments')).toBeInTheDocument();
    expect(within(payments).getByText('72')).toBeInTheDocument();
    expect(api.getScorecards).toHaveBeenCalledWith({ limit: 20 });
    expect(api.getTeams).toHaveBeenCalled();
    expect(api.getChecks).toHaveBeenCalled();
  }, 40_000);

  it('routes /operability to the org page when the plugin is installed in an app', async () => {
    const api = apiAnswering();
    renderTestApp({
      features: [plugin],
      apis: [[operabilityApiRef, api]],
      mountedRoutes,
      initialRouteEntries: ['/operability'],
    });

    expect(
      // The whole org page mounts lazily: slow on a loaded machine.
      await screen.findByRole(
        'heading',
        { name: 'Services' },
        { timeout: PAGE_TIMEOUT_MS },
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('Payments API')).toBeInTheDocument();
    expect(api.getScorecards).toHaveBeenCalledWith({ limit: 20 });
  }, 40_000);

  it('renders the entity card for a component with its owner', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue(report);

    const tester = createExtensionTester(
      plugin.getExtension('entity-card:operability'),
    );
    renderInTestApp(
      <EntityProvider entity={componentEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[operabilityApiRef, api]], mountedRoutes },
    );

    expect(await screen.findByText('Payments')).toBeInTheDocument();
    expect(screen.getByText(/pay@example.com/)).toBeInTheDocument();
    expect(api.getEntityReport).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('shows the entity card only on components, APIs, resources and systems', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-card:operability'),
    );
    expect(tester.get(EntityCardBlueprint.dataRefs.filterExpression)).toBe(
      undefined,
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter).toBeInstanceOf(Function);
    for (const kind of scoredKinds) {
      expect([kind, filter!(entityOfKind(kind))]).toEqual([kind, true]);
    }
    for (const kind of unscoredKinds) {
      expect([kind, filter!(entityOfKind(kind))]).toEqual([kind, false]);
    }
  });

  it('shows the team card only on groups', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-card:operability/team'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter).toBeInstanceOf(Function);
    expect(filter!(entityOfKind('Group'))).toBe(true);
    for (const kind of [...scoredKinds, 'User']) {
      expect([kind, filter!(entityOfKind(kind))]).toEqual([kind, false]);
    }
  });

  it('adds an Operability tab at /operability to the same entities as the card', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:operability'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/operability');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Operability',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter).toBeInstanceOf(Function);
    for (const kind of scoredKinds) {
      expect([kind, filter!(entityOfKind(kind))]).toEqual([kind, true]);
    }
    for (const kind of unscoredKinds) {
      expect([kind, filter!(entityOfKind(kind))]).toEqual([kind, false]);
    }
  });
});
