import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// A test of this module inside the plugin it extends: it needs the plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import operabilityPlugin from '@opsready/plugin-operability-backend';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { operabilityModulePagerDuty } from './module';
import { FakePagerDuty } from './__testUtils__/fakePagerDuty';

// The operability plugin and this module in one backend, against the fake
// PagerDuty: on-call is asked once per batch, and a PagerDuty that fails or
// is slow leaves the last good answer in place, marked stale.

jest.setTimeout(60_000);

const TOKEN = 'pd-integration-token';
const SERVICES = 5;
const PEOPLE = ['alice', 'bob', 'carol', 'dan', 'erin', 'frank'];

const names = Array.from({ length: SERVICES }, (_, i) => `svc-${i + 1}`);

const catalog: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', profile: { email: 'team-a@acme.com' }, children: [] },
    relations: [],
  },
  ...PEOPLE.map(
    (name): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: { profile: { email: `${name}@acme.com` }, memberOf: ['team-a'] },
      relations: [{ type: 'memberOf', targetRef: 'group:default/team-a' }],
    }),
  ),
  ...names.map(
    (name, i): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'pagerduty.com/service-id': `PSVC${i + 1}` },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    }),
  ),
];

/** Only the on-call checks: all pass (gold) while PagerDuty's answers count. */
const ON_CALL_CHECKS = [
  'on-call.schedule',
  'on-call.primary-and-secondary',
  'on-call.rotation-size',
  'on-call.turn-length',
  'on-call.owners-on-call',
];

async function startFake() {
  return FakePagerDuty.start({
    token: TOKEN,
    users: PEOPLE.map((name, i) => ({
      id: `PU${i}`,
      name,
      email: `${name}@acme.com`,
    })),
    services: names.map((name, i) => ({
      id: `PSVC${i + 1}`,
      name,
      policyId: `PEP${i + 1}`,
    })),
    oncalls: names.flatMap((_, i) => [
      {
        policyId: `PEP${i + 1}`,
        level: 1,
        userId: 'PU0',
        scheduleId: 'PSCHED',
        start: null,
        end: null,
      },
      {
        policyId: `PEP${i + 1}`,
        level: 2,
        userId: 'PU1',
        start: null,
        end: null,
      },
    ]),
    schedules: [
      {
        id: 'PSCHED',
        name: 'Team A',
        layers: [
          {
            id: 'PL1',
            userIds: PEOPLE.map((_, i) => `PU${i}`),
            turnSeconds: 604_800,
          },
        ],
      },
    ],
  });
}

const databases = TestDatabases.create({
  ids: [
    'POSTGRES_18',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'POSTGRES_13',
    'SQLITE_3',
  ],
});

describe.each(databases.eachSupportedId())(
  'on-call through the operability plugin and the PagerDuty module (%s)',
  databaseId => {
    let fake: FakePagerDuty;
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
    let base: string;

    async function start() {
      backend = await startTestBackend({
        features: [
          operabilityPlugin,
          operabilityModulePagerDuty,
          catalogServiceMock.factory({ entities: catalog }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              operability: {
                // No initial delay: the test scheduler runs a cycle at start-up.
                readiness: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                  providerTimeout: { seconds: 20 },
                },
                onCall: { providers: ['pagerduty', 'schedule'] },
                rubric: {
                  useDefaultChecks: false,
                  checks: ON_CALL_CHECKS.map(id => ({ id })),
                },
                pagerduty: {
                  token: TOKEN,
                  baseUrl: fake.url,
                  // Every lookup asks PagerDuty: what is counted is the batching.
                  cacheTtl: { seconds: 0 },
                  requestTimeout: { seconds: 10 },
                  maxRetryWait: { seconds: 0 },
                },
              },
            },
          }),
        ],
      });
      const { port } = backend.server.address() as AddressInfo;
      base = `http://127.0.0.1:${port}/api/operability`;
    }

    async function get(path: string) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      return res.json();
    }

    /** A full readiness cycle, now (the test scheduler awaits it). */
    async function runCycle() {
      const res = await fetch(`${base}/v1/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(202);
    }

    const statuses = (report: any) =>
      Object.fromEntries(
        report.readiness.checks.map((c: any) => [c.id, c.status]),
      );

    beforeAll(async () => {
      fake = await startFake();
      knex = await databases.init(databaseId);
      await start();
    });

    afterAll(async () => {
      await backend?.stop();
      await fake.stop();
    });

    it('reaches gold on PagerDuty on-call after the first cycle', async () => {
      const report = await get('/v1/entities/component/default/svc-1');
      expect(report.onCall).toMatchObject({
        source: 'pagerduty',
        status: 'ok',
        primary: { ref: 'user:default/alice' },
        secondary: { ref: 'user:default/bob' },
      });
      expect(report.onCall.stale).toBeUndefined();
      expect(report.readiness.level).toBe('gold');
      expect(report.readiness.score).toBe(100);
    });

    it('asks /oncalls once for a scorecards page, and once for a who-owns answer', async () => {
      fake.reset();
      const page = await get('/v1/scorecards?limit=100');
      expect(page.items).toHaveLength(SERVICES);
      for (const row of page.items) {
        expect(row.onCall).toMatchObject({ source: 'pagerduty', status: 'ok' });
      }
      expect(fake.requestCounts()['/oncalls']).toBe(1);

      fake.reset();
      const found = await get('/v1/who-owns?q=svc');
      expect(found.items).toHaveLength(SERVICES);
      expect(fake.requestCounts()['/oncalls']).toBe(1);
    });

    it('answers the entity page within the budget from the last good answer while PagerDuty takes 5 s', async () => {
      const fresh = await get('/v1/entities/component/default/svc-2');
      fake.failure = { mode: 'delay', ms: 5_000 };
      const started = Date.now();
      const report = await get('/v1/entities/component/default/svc-2');
      const took = Date.now() - started;
      fake.failure = undefined;
      expect(took).toBeLessThan(3_000);
      expect(report.onCall).toMatchObject({
        source: 'pagerduty',
        status: 'ok',
        primary: { ref: 'user:default/alice' },
        stale: {
          since: fresh.onCall.asOf,
          reason: 'pagerduty did not answer within 1.5 s',
        },
      });
      // The late answer lands in the background and refreshes the last good one.
      await new Promise(resolve => setTimeout(resolve, 4_500));
      const after = await get('/v1/entities/component/default/svc-2');
      expect(after.onCall.stale).toBeUndefined();
    });

    it('keeps the on-call checks, the level and the last good answer (marked stale) through a PagerDuty outage', async () => {
      const before = await get('/v1/entities/component/default/svc-1');
      expect(before.onCall.stale).toBeUndefined();

      fake.failure = { mode: 'status', status: 503 };
      await runCycle();
      const during = await get('/v1/entities/component/default/svc-1');

      expect(statuses(during)).toEqual(statuses(before));
      expect(Object.values(statuses(during))).not.toContain('unknown');
      expect(during.readiness.level).toBe(before.readiness.level);
      expect(during.readiness.score).toBe(before.readiness.score);
      const check = during.readiness.checks.find(
        (c: any) => c.id === 'on-call.primary-and-secondary',
      );
      expect(check.stale).toEqual({
        since: expect.any(String),
        reason: expect.stringContaining('PagerDuty answered 503'),
      });
      expect(during.onCall).toMatchObject({
        status: 'ok',
        primary: before.onCall.primary,
        secondary: before.onCall.secondary,
        stale: {
          since: before.onCall.asOf,
          reason: expect.stringContaining('PagerDuty answered 503'),
        },
      });
    });

    it('keeps them after a restart on the same database, from the stored last good answer', async () => {
      const before = await get('/v1/entities/component/default/svc-1');
      await backend!.stop();
      backend = undefined;
      fake.failure = { mode: 'status', status: 503 };

      await start(); // its start-up cycle runs with PagerDuty down
      const after = await get('/v1/entities/component/default/svc-1');
      expect(statuses(after)).toEqual(statuses(before));
      expect(after.readiness.level).toBe('gold');
      expect(after.onCall).toMatchObject({
        source: 'pagerduty',
        status: 'ok',
        primary: { ref: 'user:default/alice' },
        stale: { reason: expect.stringContaining('PagerDuty answered 503') },
      });
      // Stored at most a minute before it was last seen good.
      const since = Date.parse(after.onCall.stale.since);
      expect(since).toBeLessThanOrEqual(Date.parse(before.onCall.stale.since));
      expect(since).toBeGreaterThan(Date.now() - 10 * 60_000);

      const page = await get('/v1/scorecards?limit=100&sort=score');
      for (const row of page.items) {
        expect(row.level).toBe('gold');
        expect(row.onCall.stale).toBeDefined();
      }
    });
  },
);
