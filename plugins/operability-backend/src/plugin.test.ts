import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { operabilityOnCallProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import request from 'supertest';
import { operabilityPlugin } from './plugin';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: {
      type: 'team',
      profile: { displayName: 'Payments', email: 'pay@example.com' },
      children: [],
    },
    relations: [],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: {
      profile: { displayName: 'Alice', email: 'alice@example.com' },
      memberOf: ['payments'],
    },
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      title: 'Payments API',
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orphan', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/ghost',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'paged',
      namespace: 'default',
      annotations: { 'pagerduty.com/service-id': 'PX' },
    },
    spec: { type: 'website', lifecycle: 'production', owner: 'payments' },
  },
];

// An on-call provider added through the extension point, as a module would.
const fakeOnCallModule = createBackendModule({
  pluginId: 'operability',
  moduleId: 'test-on-call',
  register(env) {
    env.registerInit({
      deps: { onCall: operabilityOnCallProvidersExtensionPoint },
      async init({ onCall }) {
        onCall.addOnCallProvider({
          id: 'test',
          covers: e =>
            Boolean(e.metadata.annotations?.['pagerduty.com/service-id']),
          async getOnCall({ entities: list, at }) {
            return new Map(
              list.map(e => [
                `component:default/${e.metadata.name}`,
                {
                  source: 'pagerduty' as const,
                  primary: { ref: 'user:default/alice' },
                  secondary: null,
                  until: new Date(at.getTime() + 3600_000).toISOString(),
                  status: 'ok' as const,
                  asOf: at.toISOString(),
                },
              ]),
            );
          },
        });
      },
    });
  },
});

describe('operability backend plugin', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        operabilityPlugin,
        fakeOnCallModule,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    }));
  });

  it('answers health without credentials', async () => {
    await request(server)
      .get('/api/operability/health')
      .expect(200, { status: 'ok' });
  });

  it('refuses requests without credentials', async () => {
    const res = await request(server)
      .get('/api/operability/v1/entities/component/default/payments-api')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('reports the owner of an entity', async () => {
    const res = await request(server).get(
      '/api/operability/v1/entities/component/default/payments-api',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/payments-api',
      title: 'Payments API',
      owner: {
        declared: 'group:default/payments',
        ref: 'group:default/payments',
        title: 'Payments',
        resolvedFrom: 'group',
        members: [
          {
            ref: 'user:default/alice',
            title: 'Alice',
            email: 'alice@example.com',
            direct: true,
          },
        ],
        contacts: { email: 'pay@example.com' },
        parents: [],
      },
      onCall: null,
      readiness: null,
    });
  });

  it('reports a dangling owner without failing the request', async () => {
    const res = await request(server).get(
      '/api/operability/v1/entities/component/default/orphan',
    );
    expect(res.status).toBe(200);
    expect(res.body.owner).toMatchObject({
      declared: 'group:default/ghost',
      ref: null,
      resolvedFrom: 'dangling',
    });
  });

  it('asks the on-call provider that covers the entity, at the given instant', async () => {
    const res = await request(server).get(
      '/api/operability/v1/entities/component/default/paged/on-call?at=2026-03-02T09:00:00Z',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      source: 'pagerduty',
      primary: { ref: 'user:default/alice' },
      until: '2026-03-02T10:00:00.000Z',
      asOf: '2026-03-02T09:00:00.000Z',
    });
  });

  it('answers 404 for unknown entities and uncovered on-call', async () => {
    const unknown = await request(server).get(
      '/api/operability/v1/entities/component/default/nope',
    );
    expect(unknown.status).toBe(404);
    const uncovered = await request(server).get(
      '/api/operability/v1/entities/component/default/payments-api/on-call',
    );
    expect(uncovered.status).toBe(404);
  });

  it('rejects bad input with a 400 that names the field', async () => {
    const badAt = await request(server).get(
      '/api/operability/v1/entities/component/default/paged/on-call?at=yesterday',
    );
    expect(badAt.status).toBe(400);
    expect(badAt.body.error.message).toContain("'at'");

    const badRef = await request(server).get(
      '/api/operability/v1/entities/component/default/a%20b',
    );
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toContain("'name'");

    const unknownKey = await request(server).get(
      '/api/operability/v1/scorecards?colour=red',
    );
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.message).toContain("'colour'");

    const badLimit = await request(server).get(
      '/api/operability/v1/scorecards?limit=5000',
    );
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toContain("'limit'");
  });

  it('lists scorecards with filters, sorting and cursor paging', async () => {
    const first = await request(server).get(
      '/api/operability/v1/scorecards?limit=2',
    );
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((r: any) => r.entityRef)).toEqual([
      'component:default/orphan',
      'component:default/paged',
    ]);
    const second = await request(server).get(
      `/api/operability/v1/scorecards?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((r: any) => r.entityRef)).toEqual([
      'component:default/payments-api',
    ]);
    expect(second.body.nextCursor).toBeUndefined();

    const byOwner = await request(server).get(
      '/api/operability/v1/scorecards?owner=payments&type=service',
    );
    expect(byOwner.body.items.map((r: any) => r.entityRef)).toEqual([
      'component:default/payments-api',
    ]);

    const search = await request(server).get(
      '/api/operability/v1/scorecards?q=PAYMENTS%20api',
    );
    expect(search.body.items.map((r: any) => r.entityRef)).toEqual([
      'component:default/payments-api',
    ]);

    const desc = await request(server).get(
      '/api/operability/v1/scorecards?sort=name&order=desc',
    );
    expect(desc.body.items[0].entityRef).toBe('component:default/payments-api');
  });
});
