import {
  coreServices,
  createBackendModule,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { entityRefOf } from '@opsready/plugin-operability-common';
import {
  operabilityChecksExtensionPoint,
  operabilityFactProvidersExtensionPoint,
  READINESS_CHANGED_TOPIC,
  type ReadinessChangedEventPayload,
} from '@opsready/plugin-operability-node';
import { operabilityPlugin } from '../plugin';
import { createTestDatabases } from '../__testUtils__/databases';

// What a subscriber sees of operability.readiness.changed, through the real
// events service (the in-process one of @backstage/plugin-events-node, as
// createBackend installs it), over cycles of the plugin as installed.

const CYCLE_TASK_ID = 'operability-readiness-cycle';
const CHECK = 'testing.meets-limit';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', description: 'a service' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', profile: { email: 'pay@example.com' } },
  },
  component('a'),
  component('b'),
];

/** Two sources whose answers the test sets, or makes fail. */
const sources = {
  values: new Map([
    ['component:default/a', 10],
    ['component:default/b', 10],
  ]),
  limit: 5,
  valuesDown: undefined as string | undefined,
};

/**
 * A module as an adopter would write one: a check on two facts from two
 * providers, and a subscriber to what changed.
 */
const received: ReadinessChangedEventPayload[] = [];
const probe: { scheduler?: SchedulerService } = {};
const testModule = createBackendModule({
  pluginId: 'operability',
  moduleId: 'readiness-changed-test',
  register(env) {
    env.registerInit({
      deps: {
        facts: operabilityFactProvidersExtensionPoint,
        checks: operabilityChecksExtensionPoint,
        events: eventsServiceRef,
        scheduler: coreServices.scheduler,
      },
      async init({ facts, checks, events, scheduler }) {
        probe.scheduler = scheduler;
        facts.addFactProvider(
          {
            id: 'test-values',
            facts: [{ name: 'test.value', type: 'number', description: 'v' }],
            async collect({ entities: list }) {
              if (sources.valuesDown) throw new Error(sources.valuesDown);
              return {
                facts: new Map(
                  list.map(e => [
                    entityRefOf(e),
                    [
                      {
                        name: 'test.value',
                        value: sources.values.get(entityRefOf(e)) ?? 0,
                        source: 'values',
                        collectedAt: new Date().toISOString(),
                      },
                    ],
                  ]),
                ),
              };
            },
          },
          {
            id: 'test-limits',
            facts: [{ name: 'test.limit', type: 'number', description: 'l' }],
            async collect({ entities: list }) {
              return {
                facts: new Map(
                  list.map(e => [
                    entityRefOf(e),
                    [
                      {
                        name: 'test.limit',
                        value: sources.limit,
                        source: 'limits',
                        collectedAt: new Date().toISOString(),
                      },
                    ],
                  ]),
                ),
              };
            },
          },
        );
        checks.addChecks({
          id: CHECK,
          title: 'The value meets the limit',
          level: 'bronze',
          description: 'why',
          remediation: 'how',
          facts: ['test.value', 'test.limit'],
          evaluate: ({ facts: f }) =>
            (f['test.value'].value as number) >=
            (f['test.limit'].value as number)
              ? { status: 'pass', message: 'meets it' }
              : { status: 'fail', message: 'below it' },
        });
        await events.subscribe({
          id: 'readiness-changed-test',
          topics: [READINESS_CHANGED_TOPIC],
          async onEvent({ eventPayload }) {
            received.push(eventPayload as ReadinessChangedEventPayload);
          },
        });
      },
    });
  },
});

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'operability.readiness.changed (%s)',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    beforeAll(async () => {
      received.length = 0;
      sources.values.set('component:default/a', 10);
      sources.limit = 5;
      sources.valuesDown = undefined;
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          operabilityPlugin,
          testModule,
          // The real events service, not the test backend's mock.
          eventsServiceFactory,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              // In process only: no events backend to reach.
              events: { useEventBus: 'never' },
              operability: {
                // No initial delay: the test scheduler runs a cycle at start-up.
                readiness: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    /** Runs one full cycle; resolves when it has ended. */
    async function runCycle() {
      await probe.scheduler!.triggerTask(CYCLE_TASK_ID);
    }

    it('sees every entity, with no before, after the first cycle', async () => {
      expect(received).toHaveLength(1);
      const [event] = received;
      expect(event).toEqual({
        cycleId: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        ),
        at: expect.any(String),
        changes: [
          expect.objectContaining({
            entityRef: 'component:default/a',
            before: null,
          }),
          expect.objectContaining({
            entityRef: 'component:default/b',
            before: null,
          }),
        ],
      });
      for (const change of event.changes) {
        expect(change).toEqual({
          entityRef: change.entityRef,
          before: null,
          after: { score: expect.any(Number), level: expect.any(String) },
          regressed: [],
          recovered: [],
          stale: false,
        });
      }
      expect(Date.parse(event.at)).not.toBeNaN();
    });

    it('sees nothing of a cycle in which nothing changed', async () => {
      await runCycle();
      expect(received).toHaveLength(1);
    });

    it('sees the entity whose check regressed, then recovered, and nothing else', async () => {
      const before = received[0].changes.find(
        c => c.entityRef === 'component:default/a',
      )!.after;
      sources.values.set('component:default/a', 1);
      await runCycle();
      expect(received).toHaveLength(2);
      const regressed = received[1];
      expect(regressed.cycleId).not.toBe(received[0].cycleId);
      expect(regressed.changes).toEqual([
        {
          entityRef: 'component:default/a',
          before,
          after: {
            score: expect.any(Number),
            level: expect.any(String),
          },
          regressed: [CHECK],
          recovered: [],
          stale: false,
        },
      ]);
      expect(regressed.changes[0].after.score).toBeLessThan(before.score);

      sources.values.set('component:default/a', 10);
      await runCycle();
      expect(received).toHaveLength(3);
      expect(received[2].changes).toEqual([
        {
          entityRef: 'component:default/a',
          before: regressed.changes[0].after,
          after: before,
          regressed: [],
          recovered: [CHECK],
          stale: false,
        },
      ]);
    });

    it('sees no regression when a source is down: stale facts keep the results', async () => {
      sources.valuesDown = 'values source: connection refused';
      await runCycle();
      expect(received).toHaveLength(3);
    });

    it('marks a change made on stale facts as stale', async () => {
      // Still down; the other source's limit moves above the kept values.
      sources.limit = 50;
      await runCycle();
      expect(received).toHaveLength(4);
      expect(received[3].changes).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/a',
          regressed: [CHECK],
          stale: true,
        }),
        expect.objectContaining({
          entityRef: 'component:default/b',
          regressed: [CHECK],
          stale: true,
        }),
      ]);
      sources.valuesDown = undefined;
      sources.limit = 5;
    });
  },
);
