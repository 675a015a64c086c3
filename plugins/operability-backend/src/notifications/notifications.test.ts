import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { entityRefOf } from '@opsready/plugin-operability-common';
import {
  operabilityChecksExtensionPoint,
  operabilityFactProvidersExtensionPoint,
} from '@opsready/plugin-operability-node';
import type { Knex } from 'knex';
import request from 'supertest';
import { operabilityPlugin } from '../plugin';
import { createTestDatabases } from '../__testUtils__/databases';

// What a member of the owning team receives: the plugin and the real
// notifications backend (each on a database of its own), the real events
// service, and sources whose answers the test sets or makes fail.

const CYCLE_TASK_ID = 'operability-readiness-cycle';
const ALICE = 'user:default/alice'; // payments
const CAROL = 'user:default/carol'; // search

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: ALICE }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'search', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: CAROL }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: ['payments'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'carol', namespace: 'default' },
    spec: { memberOf: ['search'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/search' }],
  },
  ...['payments-api', 'ledger'].map(
    (name): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        ...(name === 'payments-api' ? { title: 'Payments API' } : {}),
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
    }),
  ),
];

/**
 * Two sources: `runbooks` counts each service's alerts with a runbook, and
 * `policy` says how many it needs; `basics` is whether it has the basics.
 */
const sources = {
  runbooks: new Map<string, number>(),
  required: 1,
  basics: new Map<string, boolean>(),
  runbooksDown: undefined as string | undefined,
};

function resetSources() {
  sources.runbooks = new Map([
    ['component:default/payments-api', 3],
    ['component:default/ledger', 3],
  ]);
  sources.required = 1;
  sources.basics = new Map([
    ['component:default/payments-api', true],
    ['component:default/ledger', true],
  ]);
  sources.runbooksDown = undefined;
}

const fact = (name: string, value: unknown, source: string) => ({
  name,
  value,
  source,
  collectedAt: new Date().toISOString(),
});

const probe: { scheduler?: SchedulerService } = {};
const sourcesModule = createBackendModule({
  pluginId: 'operability',
  moduleId: 'notifications-test-sources',
  register(env) {
    env.registerInit({
      deps: {
        facts: operabilityFactProvidersExtensionPoint,
        checks: operabilityChecksExtensionPoint,
        scheduler: coreServices.scheduler,
      },
      async init({ facts, checks, scheduler }) {
        probe.scheduler = scheduler;
        facts.addFactProvider(
          {
            id: 'runbooks',
            facts: [
              { name: 'test.runbooks', type: 'number', description: 'n' },
            ],
            async collect({ entities: list }) {
              if (sources.runbooksDown) throw new Error(sources.runbooksDown);
              return {
                facts: new Map(
                  list.map(e => [
                    entityRefOf(e),
                    [
                      fact(
                        'test.runbooks',
                        sources.runbooks.get(entityRefOf(e)) ?? 0,
                        'runbooks',
                      ),
                    ],
                  ]),
                ),
              };
            },
          },
          {
            id: 'policy',
            facts: [
              { name: 'test.required', type: 'number', description: 'n' },
              { name: 'test.basics', type: 'boolean', description: 'b' },
            ],
            async collect({ entities: list }) {
              return {
                facts: new Map(
                  list.map(e => [
                    entityRefOf(e),
                    [
                      fact('test.required', sources.required, 'policy'),
                      fact(
                        'test.basics',
                        sources.basics.get(entityRefOf(e)) ?? false,
                        'policy',
                      ),
                    ],
                  ]),
                ),
              };
            },
          },
        );
        checks.addChecks(
          {
            id: 'testing.basics',
            title: 'Has the basics',
            level: 'bronze',
            description: 'why',
            remediation: 'how',
            facts: ['test.basics'],
            evaluate: ({ facts: f }) =>
              f['test.basics'].value
                ? { status: 'pass', message: 'has them' }
                : { status: 'fail', message: 'lacks them' },
          },
          {
            id: 'testing.runbooks',
            title: 'Alerts have runbooks',
            level: 'gold',
            description: 'why',
            remediation: 'how',
            facts: ['test.runbooks', 'test.required'],
            evaluate: ({ facts: f }) =>
              (f['test.runbooks'].value as number) >=
              (f['test.required'].value as number)
                ? { status: 'pass', message: 'enough' }
                : { status: 'fail', message: 'too few' },
          },
        );
      },
    });
  },
});

/** The given plugins' databases, each its own, on the engine under test. */
function perPluginDatabases(knexByPlugin: Map<string, Knex>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    factory: ({ pluginMetadata }) =>
      mockServices.database({
        knex: knexByPlugin.get(pluginMetadata.getId())!,
        migrations: { skip: false },
      }),
  });
}

interface ReceivedNotification {
  id: string;
  user: string;
  created: string;
  updated: string | null;
  read: string | null;
  origin: string;
  payload: {
    title: string;
    description: string;
    link: string;
    severity: string;
    topic: string;
    scope: string;
  };
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'readiness notifications, as the owning team receives them (%s)',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    beforeAll(async () => {
      resetSources();
      const knexByPlugin = new Map<string, Knex>();
      for (const pluginId of ['operability', 'notifications']) {
        knexByPlugin.set(pluginId, await databases.init(databaseId));
      }
      backend = await startTestBackend({
        features: [
          operabilityPlugin,
          sourcesModule,
          notificationsPlugin,
          // The real events service, not the test backend's mock.
          eventsServiceFactory,
          // A scheduler of its own: the test backend's default mock
          // scheduler is one instance shared by every backend of the file.
          mockServices.scheduler.factory(),
          catalogServiceMock.factory({ entities }),
          perPluginDatabases(knexByPlugin),
          mockServices.rootConfig.factory({
            data: {
              app: { baseUrl: 'http://localhost:3000' },
              events: { useEventBus: 'never' },
              operability: {
                rubric: {
                  useDefaultChecks: false,
                  checks: [
                    { id: 'testing.basics' },
                    { id: 'testing.runbooks' },
                  ],
                },
                // No initial delay: the test scheduler runs a cycle at start-up.
                readiness: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
                // operability.notifications not set: on, because the
                // notifications backend runs in this backend.
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    /** Runs one full cycle; resolves when it (and what it published) has ended. */
    async function runCycle() {
      await probe.scheduler!.triggerTask(CYCLE_TASK_ID);
    }

    async function notificationsOf(
      user: string,
    ): Promise<ReceivedNotification[]> {
      const res = await request(backend.server)
        .get('/api/notifications/notifications')
        .set('Authorization', mockCredentials.user.header(user));
      expect(res.status).toBe(200);
      expect(res.body.totalCount).toBe(res.body.notifications.length);
      return res.body.notifications;
    }

    async function levelOf(name: string): Promise<string> {
      const res = await request(backend.server)
        .get(`/api/operability/v1/entities/component/default/${name}`)
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(200);
      return res.body.readiness.level;
    }

    const byScope = (list: ReceivedNotification[], name: string) =>
      list.filter(
        n =>
          n.payload.scope === `operability:readiness:component:default/${name}`,
      );

    let first: ReceivedNotification;

    it('sends nothing on the first evaluation', async () => {
      expect(await levelOf('payments-api')).toBe('gold');
      expect(await notificationsOf(ALICE)).toEqual([]);
    });

    it("tells the owners' members of a regression: one notification per entity, naming the checks", async () => {
      sources.runbooks.set('component:default/payments-api', 0);
      sources.runbooks.set('component:default/ledger', 0);
      await runCycle();
      expect(await levelOf('payments-api')).toBe('silver');

      const received = await notificationsOf(ALICE);
      expect(received).toHaveLength(2);
      [first] = byScope(received, 'payments-api');
      expect(first).toMatchObject({
        user: ALICE,
        origin: 'plugin:operability',
        read: null,
        payload: {
          title: 'Payments API dropped from gold to silver',
          description:
            'Now failing: Alerts have runbooks. Level gold → silver. Score 100 → 25.',
          link: '/catalog/default/component/payments-api/operability',
          severity: 'normal',
          topic: 'operability',
          scope: 'operability:readiness:component:default/payments-api',
        },
      });
      expect(byScope(received, 'ledger')).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'ledger dropped from gold to silver',
            link: '/catalog/default/component/ledger/operability',
          }),
        }),
      ]);
      // Not the owners of anything here: nothing.
      expect(await notificationsOf(CAROL)).toEqual([]);
    });

    it('updates the same notification on recovery', async () => {
      sources.runbooks.set('component:default/payments-api', 3);
      await runCycle();
      expect(await levelOf('payments-api')).toBe('gold');

      const received = await notificationsOf(ALICE);
      expect(received).toHaveLength(2);
      const [updated] = byScope(received, 'payments-api');
      expect(updated).toMatchObject({
        id: first.id,
        payload: {
          title: 'Payments API is back at gold',
          description:
            'No longer failing: Alerts have runbooks. Level silver → gold. Score 25 → 100.',
          link: first.payload.link,
          severity: 'normal',
          scope: first.payload.scope,
        },
      });
      expect(updated.updated).not.toBeNull();
      // The ledger still fails: its notification is as it was.
      const [ledger] = byScope(received, 'ledger');
      expect(ledger.payload.title).toBe('ledger dropped from gold to silver');
      expect(ledger.updated).toBeNull();
    });

    it('sends nothing while a source is down, even when the kept facts now fail', async () => {
      const seen = await notificationsOf(ALICE);
      sources.runbooksDown = 'runbooks source: connection refused';
      await runCycle();
      // The policy now asks for more runbooks than the kept counts: both
      // services' check fails, on stale facts.
      sources.required = 5;
      await runCycle();
      expect(await levelOf('payments-api')).toBe('silver');
      expect(await notificationsOf(ALICE)).toEqual(seen);
    });

    it('is high when a service drops to none', async () => {
      sources.runbooksDown = undefined;
      sources.required = 1;
      await runCycle();
      expect(await levelOf('payments-api')).toBe('gold');
      const before = await notificationsOf(ALICE);

      sources.basics.set('component:default/payments-api', false);
      await runCycle();
      expect(await levelOf('payments-api')).toBe('none');
      const received = await notificationsOf(ALICE);
      // The same notification again (its scope), unread, now high.
      expect(received).toHaveLength(2);
      const [dropped] = byScope(received, 'payments-api');
      expect(dropped).toMatchObject({
        id: first.id,
        read: null,
        payload: {
          title: 'Payments API dropped from gold to none',
          description:
            'Now failing: Has the basics. Level gold → none. Score 100 → 75.',
          severity: 'high',
        },
      });
      expect(byScope(before, 'payments-api')[0].payload.title).toBe(
        'Payments API is back at gold',
      );
    });
  },
);
