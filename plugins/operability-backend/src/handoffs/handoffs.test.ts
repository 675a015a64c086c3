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
import {
  entityRefOf,
  type HandoffReportList,
} from '@opsready/plugin-operability-common';
import {
  operabilityChecksExtensionPoint,
  operabilityFactProvidersExtensionPoint,
} from '@opsready/plugin-operability-node';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import { DatabasePageStore } from '../pages/PageStore';
import { operabilityPlugin } from '../plugin';
import { DatabaseHandoffStore } from './HandoffStore';
import { HANDOFF_TASK_ID } from './HandoffTask';

// What the incoming primary receives: the plugin and the real notifications
// backend (each on a database of its own), a Schedule whose hand-off was
// three days ago, and the task's last run (its cursor) four days ago, as
// after a restart: the next run reports that hand-off, once.

const CYCLE_TASK_ID = 'operability-readiness-cycle';
/** Starting a backend (migrations, a first cycle) on a busy machine. */
const STARTUP_TIMEOUT_MS = 60_000;
const SCHEDULE = 'schedule:default/payments-on-call';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

// Turns of a week from 09:00 UTC ten days ago: Alice's ended three days ago.
const today = DateTime.utc().startOf('day');
const scheduleStart = today.minus({ days: 10 }).set({ hour: 9 });
const handoffAt = scheduleStart.plus({ days: 7 });
const lastRun = handoffAt.minus({ days: 1 });
// In Alice's week: 03:00 (off-hours any day) and noon on a weekday.
const nightPage = scheduleStart.plus({ days: 1 }).set({ hour: 3 });
let noonPage = scheduleStart.plus({ days: 1 }).set({ hour: 12 });
while (noonPage.weekday > 5) noonPage = noonPage.plus({ days: 1 });

const user = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName: title }, memberOf: ['payments'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
});
const service = (name: string, title?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
});
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'payments',
      namespace: 'default',
      // The team's schedule covers its services.
      annotations: { 'operability.io/on-call-schedule': 'payments-on-call' },
    },
    spec: { type: 'team', children: [] },
    relations: [ALICE, BOB, CAROL].map(targetRef => ({
      type: 'hasMember',
      targetRef,
    })),
  },
  user('alice', 'Alice'),
  user('bob', 'Bob'),
  user('carol', 'Carol'),
  service('payments-api', 'Payments API'),
  service('ledger'),
  {
    apiVersion: 'operability.io/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 'payments-on-call', namespace: 'default' },
    spec: {
      owner: 'group:default/payments',
      timeZone: 'UTC',
      handoff: {
        start: scheduleStart.toFormat("yyyy-MM-dd'T'HH:mm"),
        turn: 'P1W',
      },
      primary: ['alice', 'bob', 'carol'],
    },
  },
];

/** `runbooks`: whether each service's alerts have runbooks; `basics`, the basics. */
const sources = {
  runbooks: new Map([
    ['component:default/payments-api', false],
    ['component:default/ledger', false],
  ]),
  basics: new Map([
    ['component:default/payments-api', true],
    ['component:default/ledger', false],
  ]),
};

const probe: { scheduler?: SchedulerService } = {};
const sourcesModule = createBackendModule({
  pluginId: 'operability',
  moduleId: 'handoff-test-sources',
  register(env) {
    env.registerInit({
      deps: {
        facts: operabilityFactProvidersExtensionPoint,
        checks: operabilityChecksExtensionPoint,
        scheduler: coreServices.scheduler,
      },
      async init({ facts, checks, scheduler }) {
        probe.scheduler = scheduler;
        facts.addFactProvider({
          id: 'test',
          facts: [
            { name: 'test.runbooks', type: 'boolean', description: 'r' },
            { name: 'test.basics', type: 'boolean', description: 'b' },
          ],
          async collect({ entities: list }) {
            const at = new Date().toISOString();
            return {
              facts: new Map(
                list.map(e => [
                  entityRefOf(e),
                  ['runbooks', 'basics'].map(k => ({
                    name: `test.${k}`,
                    value:
                      sources[k as 'runbooks' | 'basics'].get(entityRefOf(e)) ??
                      false,
                    source: 'test',
                    collectedAt: at,
                  })),
                ]),
              ),
            };
          },
        });
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
                ? { status: 'pass', message: 'yes' }
                : { status: 'fail', message: 'no' },
          },
          {
            id: 'testing.runbooks',
            title: 'Alerts have runbooks',
            level: 'silver',
            description: 'why',
            remediation: 'how',
            facts: ['test.runbooks'],
            evaluate: ({ facts: f }) =>
              f['test.runbooks'].value
                ? { status: 'pass', message: 'yes' }
                : { status: 'fail', message: 'no' },
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

function startBackend(
  knexByPlugin: Map<string, Knex>,
  handoffReports?: object,
) {
  return startTestBackend({
    features: [
      operabilityPlugin,
      sourcesModule,
      notificationsPlugin,
      eventsServiceFactory,
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
              checks: [{ id: 'testing.basics' }, { id: 'testing.runbooks' }],
            },
            readiness: {
              schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
            },
            // handoffReports not set: on, because notifications are.
            ...(handoffReports ? { onCall: { handoffReports } } : {}),
          },
        },
      }),
    ],
  });
}

interface Received {
  user: string;
  payload: Record<string, string>;
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'hand-off reports, as the incoming primary receives them (%s)',
  databaseId => {
    const knexByPlugin = new Map<string, Knex>();
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    beforeAll(async () => {
      for (const pluginId of ['operability', 'notifications']) {
        knexByPlugin.set(pluginId, await databases.init(databaseId));
      }
      // Where the task stood at its last run, the day before the hand-off:
      // both services passed everything; and the pages of Alice's week.
      const knex = knexByPlugin.get('operability')!;
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      await DatabaseOperabilityStore.create({ database });
      await DatabaseHandoffStore.fromKnex(knex).createCursor(
        SCHEDULE,
        lastRun.toJSDate(),
        {
          at: lastRun.toISO()!,
          entities: Object.fromEntries(
            ['payments-api', 'ledger'].map(n => [
              `component:default/${n}`,
              {
                level: 'silver' as const,
                fail: [],
                ok: ['testing.basics', 'testing.runbooks'],
              },
            ]),
          ),
        },
      );
      const pages = DatabasePageStore.fromKnex(knex);
      await pages.upsertPages('file', [
        {
          id: 'night',
          entityRef: 'component:default/ledger',
          at: nightPage.toISO()!,
          title: 'Disk full',
        },
        {
          id: 'noon',
          entityRef: 'component:default/payments-api',
          at: noonPage.toISO()!,
          title: 'Latency',
        },
      ]);
      await pages.recordSuccess('file', new Date(), new Date());

      backend = await startBackend(knexByPlugin);
    }, STARTUP_TIMEOUT_MS);

    afterAll(async () => {
      await backend?.stop();
    }, STARTUP_TIMEOUT_MS);

    async function notificationsOf(ref: string): Promise<Received[]> {
      const res = await request(backend.server)
        .get('/api/notifications/notifications')
        .set('Authorization', mockCredentials.user.header(ref));
      expect(res.status).toBe(200);
      return res.body.notifications;
    }

    const local = (t: DateTime) => t.toFormat('ccc d LLL HH:mm');

    it(
      'notifies the incoming primary and secondary, once, with the last shift',
      async () => {
        // The cycle ran at start-up; the task has an initial delay.
        expect(await notificationsOf(BOB)).toEqual([]);
        await probe.scheduler!.triggerTask(HANDOFF_TASK_ID);

        const [received, ...more] = await notificationsOf(BOB);
        expect(more).toEqual([]);
        expect(received).toMatchObject({
          user: BOB,
          payload: {
            title: 'On-call hand-off: payments-on-call',
            description:
              `Bob is primary, Carol secondary from ${local(
                handoffAt,
              )} to ${local(handoffAt.plus({ days: 7 }))} (UTC). ` +
              `Last shift (Alice, ${local(scheduleStart)} – ${local(
                handoffAt,
              )}): 2 pages, 1 off-hours. ` +
              'Regressed during it: ledger (Has the basics, Alerts have runbooks), Payments API (Alerts have runbooks). ' +
              'Not ready (below bronze): ledger (none).',
            link: '/catalog/default/schedule/payments-on-call',
            severity: 'normal',
            topic: 'operability',
            scope: `operability:handoff:${SCHEDULE}:${handoffAt
              .toJSDate()
              .toISOString()}`,
          },
        });
        expect(await notificationsOf(CAROL)).toEqual([
          expect.objectContaining({ payload: received.payload }),
        ]);
        // The outgoing primary is not told.
        expect(await notificationsOf(ALICE)).toEqual([]);

        // Again, and after the next readiness cycle: nothing more.
        await probe.scheduler!.triggerTask(CYCLE_TASK_ID);
        await probe.scheduler!.triggerTask(HANDOFF_TASK_ID);
        expect(await notificationsOf(BOB)).toHaveLength(1);
      },
      STARTUP_TIMEOUT_MS,
    );

    it('lists the report on the services the schedule covers', async () => {
      const res = await request(backend.server)
        .get(
          '/api/operability/v1/entities/component/default/payments-api/on-call/handoffs',
        )
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(res.status).toBe(200);
      const body = res.body as HandoffReportList;
      expect(body.scheduleRef).toBe(SCHEDULE);
      expect(body.items).toHaveLength(1);
      expect(body.items[0]).toMatchObject({
        at: handoffAt.toJSDate().toISOString(),
        incoming: {
          primary: { ref: BOB, title: 'Bob' },
          secondary: { ref: CAROL, title: 'Carol' },
        },
        lastShift: { primary: { ref: ALICE, title: 'Alice' } },
        pages: { total: 2, offHours: 1 },
        notReady: {
          target: 'bronze',
          items: [{ entityRef: 'component:default/ledger', level: 'none' }],
        },
        services: 2,
      });
      expect(body.items[0].notifiedAt).not.toBeNull();

      // A window before the hand-off has none.
      const before = await request(backend.server)
        .get(
          '/api/operability/v1/entities/component/default/ledger/on-call/handoffs',
        )
        .query({
          from: handoffAt.minus({ days: 20 }).toISO(),
          to: handoffAt.toISO(),
        })
        .set('Authorization', mockCredentials.user.header(ALICE));
      expect(before.status).toBe(200);
      expect(before.body.items).toEqual([]);
    });

    it('refuses a bad window and answers 404 where no schedule covers', async () => {
      const base =
        '/api/operability/v1/entities/component/default/ledger/on-call/handoffs';
      const auth = mockCredentials.user.header(ALICE);
      const bad = await request(backend.server)
        .get(base)
        .query({ from: 'yesterday' })
        .set('Authorization', auth);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/query parameter 'from'/);
      const reversed = await request(backend.server)
        .get(base)
        .query({ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' })
        .set('Authorization', auth);
      expect(reversed.status).toBe(400);
      const unknown = await request(backend.server)
        .get(base)
        .query({ limit: '3' })
        .set('Authorization', auth);
      expect(unknown.status).toBe(400);
      const person = await request(backend.server)
        .get('/api/operability/v1/entities/user/default/alice/on-call/handoffs')
        .set('Authorization', auth);
      expect(person.status).toBe(404);
    });

    it(
      'after a restart on the same databases: still one',
      async () => {
        await backend.stop();
        backend = await startBackend(knexByPlugin);
        await probe.scheduler!.triggerTask(HANDOFF_TASK_ID);
        expect(await notificationsOf(BOB)).toHaveLength(1);
        expect(await notificationsOf(CAROL)).toHaveLength(1);
      },
      STARTUP_TIMEOUT_MS,
    );

    it(
      'with handoffReports.enabled false: no task, the route still lists',
      async () => {
        await backend.stop();
        backend = await startBackend(knexByPlugin, { enabled: false });
        await expect(
          probe.scheduler!.triggerTask(HANDOFF_TASK_ID),
        ).rejects.toThrow(/not found/i);
        const res = await request(backend.server)
          .get(
            '/api/operability/v1/entities/component/default/ledger/on-call/handoffs',
          )
          .set('Authorization', mockCredentials.user.header(ALICE));
        expect(res.body.items).toHaveLength(1);
      },
      STARTUP_TIMEOUT_MS,
    );
  },
);
