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
import { operabilityModulePagerDuty } from './module';
import { FakePagerDuty } from './__testUtils__/fakePagerDuty';

// The operability plugin and this module in one backend, against the fake
// PagerDuty: the page-collection task reads incidents and PagerDuty's
// on-call history, the load route attributes each incident to whoever
// PagerDuty had as primary (tied to the catalog user by email), and the
// check on-call.page-load judges the busiest shift.

jest.setTimeout(60_000);

const TOKEN = 'pd-pages-integration';
const H = 3600_000;

const catalog: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [],
  },
  ...['alice', 'bob'].map(
    (name): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: {
        profile: { displayName: name.toUpperCase(), email: `${name}@acme.com` },
        memberOf: ['team-a'],
      },
      relations: [{ type: 'memberOf', targetRef: 'group:default/team-a' }],
    }),
  ),
  ...['quiet', 'noisy'].map(
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
  'pages through the operability plugin and the PagerDuty module (%s)',
  databaseId => {
    let fake: FakePagerDuty;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let base: string;
    const now = Date.now();
    // Alice primary until 24 hours ago, Bob since: one policy for both services.
    const handoff = now - 24 * H;
    const iso = (ms: number) => new Date(ms).toISOString();

    beforeAll(async () => {
      fake = await FakePagerDuty.start({
        token: TOKEN,
        users: [
          { id: 'PU1', name: 'Alice A.', email: 'alice@acme.com' },
          { id: 'PU2', name: 'Bob B.', email: 'bob@acme.com' },
        ],
        services: [
          { id: 'PSVC1', name: 'quiet', policyId: 'PEP1' },
          { id: 'PSVC2', name: 'noisy', policyId: 'PEP1' },
        ],
        oncalls: [
          {
            policyId: 'PEP1',
            level: 1,
            userId: 'PU1',
            start: iso(now - 40 * 24 * H),
            end: iso(handoff),
          },
          {
            policyId: 'PEP1',
            level: 1,
            userId: 'PU2',
            start: iso(handoff),
            end: iso(now + 6 * 24 * H),
          },
        ],
        incidents: [
          {
            id: 'Q1',
            number: 1,
            title: 'Slow',
            serviceId: 'PSVC1',
            createdAt: iso(now - 48 * H),
            status: 'resolved',
            resolvedAt: iso(now - 47 * H),
          },
          // Bob's 24 hours: 5 pages, counted as 2.5 per 12 hours.
          ...Array.from({ length: 5 }, (_, i) => ({
            id: `N${i}`,
            number: 10 + i,
            title: 'Flapping',
            serviceId: 'PSVC2',
            createdAt: iso(now - 20 * H + i * H),
            status: 'acknowledged' as const,
            acknowledgedAt: iso(now - 20 * H + i * H + 120_000),
          })),
        ],
      });
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          operabilityPlugin,
          operabilityModulePagerDuty,
          catalogServiceMock.factory({ entities: catalog }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              operability: {
                readiness: {
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
                rubric: {
                  useDefaultChecks: false,
                  checks: [{ id: 'on-call.page-load' }],
                },
                // No initial delay: the test scheduler collects at start-up.
                onCall: {
                  pages: {
                    schedule: {
                      frequency: { hours: 1 },
                      timeout: { minutes: 1 },
                    },
                  },
                },
                pagerduty: { token: TOKEN, baseUrl: fake.url },
              },
            },
          }),
        ],
      });
      const { port } = backend.server.address() as AddressInfo;
      base = `http://127.0.0.1:${port}/api/operability`;
    });

    afterAll(async () => {
      await backend?.stop();
      await fake.stop();
    });

    async function get(path: string) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      return res.json();
    }

    it('attributes incidents to PagerDuty’s primary, tied to the catalog user', async () => {
      const quiet = await get(
        '/v1/entities/component/default/quiet/on-call/load',
      );
      expect(quiet.pages).toEqual([
        {
          at: iso(now - 48 * H),
          title: '#1 Slow',
          source: 'pagerduty',
          primary: {
            ref: 'user:default/alice',
            title: 'Alice A.',
            email: 'alice@acme.com',
          },
          offHours: expect.any(Boolean),
        },
      ]);
      expect(quiet.mttr).toBe(3600);
      expect(quiet.mtta).toBeUndefined();
      expect(quiet.shifts.map((s: any) => [s.primary.ref, s.pages])).toEqual([
        ['user:default/alice', 1],
        ['user:default/bob', 0],
      ]);
      const noisy = await get(
        '/v1/entities/component/default/noisy/on-call/load',
      );
      expect(noisy.people).toEqual([
        {
          person: expect.objectContaining({ ref: 'user:default/bob' }),
          shifts: 1,
          pages: 5,
          offHoursPages: expect.any(Number),
        },
        {
          person: expect.objectContaining({ ref: 'user:default/alice' }),
          shifts: 1,
          pages: 0,
          offHoursPages: 0,
        },
      ]);
      expect(noisy.busiestShare).toBe(1);
      expect(noisy.mtta).toBe(120);
    });

    it('judges on-call.page-load on PagerDuty’s shifts', async () => {
      const refresh = await fetch(`${base}/v1/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(refresh.status).toBe(202);
      const check = async (name: string) =>
        (await get(`/v1/entities/component/default/${name}`)).readiness
          .checks[0];
      expect(await check('quiet')).toMatchObject({
        id: 'on-call.page-load',
        status: 'pass',
      });
      const noisy = await check('noisy');
      expect(noisy).toMatchObject({
        status: 'fail',
        message:
          'a primary shift averaged 2.5 pages per 12 hours on call, more than 2',
      });
      expect(noisy.evidence[0].source).toBe('pagerduty');
    });
  },
);
