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
import { createTestDatabases } from './__testUtils__/databases';

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
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: { profile: { displayName: 'Bob' }, memberOf: ['payments'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: 'payments-platform',
      namespace: 'default',
      annotations: { 'operability.io/on-call-schedule': 'payments-on-call' },
    },
    spec: { owner: 'payments' },
  },
  {
    apiVersion: 'operability.io/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 'payments-on-call', namespace: 'default' },
    spec: {
      owner: 'group:default/payments',
      timeZone: 'America/Toronto',
      handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
      primary: ['user:default/alice', 'bob'],
      secondary: 'next-in-rotation',
      overrides: [
        {
          role: 'primary',
          user: 'user:default/carol',
          start: '2026-03-02T09:00',
          end: '2026-03-03T09:00',
        },
      ],
      // Carol learns the rotation the week before she covers.
      shadows: [
        {
          user: 'carol',
          start: '2026-02-23T09:00',
          end: '2026-03-02T09:00',
        },
      ],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ledger',
      namespace: 'default',
      annotations: {
        'prometheus.io/job': 'ledger',
        'prometheus.io/service-label': 'service=ledger-svc',
        'prometheus.io/alert': 'LedgerDown, LedgerSlow',
        'github.com/project-slug': 'example-org/ledger-repo',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'payments',
      system: 'payments-platform',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'lost',
      namespace: 'default',
      annotations: {
        'operability.io/on-call-schedule': 'schedule:default/gone',
      },
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

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'operability backend plugin (%s)',
  databaseId => {
    let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    afterAll(async () => {
      await backend?.stop();
    });

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          operabilityPlugin,
          fakeOnCallModule,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              // No initial delay: the test scheduler runs the cycle at start-up.
              operability: {
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
      server = backend.server;
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
            { ref: 'user:default/bob', title: 'Bob', direct: true },
          ],
          contacts: { email: 'pay@example.com' },
          parents: [],
        },
        onCall: null,
        readiness: expect.objectContaining({ level: 'none' }),
      });
      // The cycle ran at start-up: the report carries every check with its status.
      const status = Object.fromEntries(
        res.body.readiness.checks.map((c: any) => [c.id, c.status]),
      );
      expect(status).toMatchObject({
        'ownership.owner-set': 'pass',
        'ownership.owner-is-team': 'pass',
        'ownership.team-contact': 'pass',
        'ownership.in-system': 'fail',
        'on-call.schedule': 'fail',
        // No Prometheus facts were ever collected: unknown, never pass.
        'instrumentation.scraped': 'unknown',
        'alerting.has-alerts': 'unknown',
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
        // The source is the id of the provider that answered.
        source: 'test',
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
      expect(first.body.total).toBe(5);
      expect(first.body.items.map((r: any) => r.entityRef)).toEqual([
        'component:default/ledger',
        'component:default/lost',
      ]);
      const second = await request(server).get(
        `/api/operability/v1/scorecards?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items.map((r: any) => r.entityRef)).toEqual([
        'component:default/orphan',
        'component:default/paged',
      ]);
      const third = await request(server).get(
        `/api/operability/v1/scorecards?limit=2&cursor=${second.body.nextCursor}`,
      );
      expect(third.body.items.map((r: any) => r.entityRef)).toEqual([
        'component:default/payments-api',
      ]);
      expect(third.body.nextCursor).toBeUndefined();

      const byOwner = await request(server).get(
        '/api/operability/v1/scorecards?owner=payments&type=website',
      );
      expect(byOwner.body.items.map((r: any) => r.entityRef)).toEqual([
        'component:default/paged',
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
      expect(desc.body.items[0].entityRef).toBe(
        'component:default/payments-api',
      );

      // Rows carry the stored score and level, and on-call now.
      const ledger = first.body.items[0];
      expect(typeof ledger.score).toBe('number');
      expect(ledger.level).toBe('none');
      expect(ledger.onCall).toMatchObject({ source: 'schedule' });
      expect(ledger.failedChecks).toEqual(expect.any(Array));

      const failing = await request(server).get(
        '/api/operability/v1/scorecards?failing=on-call.schedule',
      );
      expect(failing.body.items.map((r: any) => r.entityRef)).toEqual([
        'component:default/orphan',
        'component:default/payments-api',
      ]);
      const bySCore = await request(server).get(
        '/api/operability/v1/scorecards?sort=score&order=desc&limit=1',
      );
      expect(bySCore.body.items[0].score).toBe(
        Math.max(...desc.body.items.map((r: any) => r.score)),
      );
    });

    it('filters scorecards and their CSV by any of several owners', async () => {
      const refs = async (query: string) => {
        const res = await request(server).get(
          `/api/operability/v1/scorecards?${query}`,
        );
        expect(res.status).toBe(200);
        return res.body.items.map((r: any) => r.entityRef);
      };
      const payments = [
        'component:default/ledger',
        'component:default/lost',
        'component:default/paged',
        'component:default/payments-api',
      ];
      // One owner, as before: a bare name, or a full ref of a dangling owner.
      expect(await refs('owner=payments')).toEqual(payments);
      expect(await refs('owner=group%3Adefault%2Fghost')).toEqual([
        'component:default/orphan',
      ]);
      // Repeated: any of them, each spelled either way, duplicates harmless.
      expect(
        await refs('owner=ghost&owner=group%3Adefault%2Fpayments&owner=ghost'),
      ).toEqual([...payments, 'component:default/orphan'].sort());
      expect(await refs('owner=nobody&owner=GHOST')).toEqual([
        'component:default/orphan',
      ]);
      expect(await refs('owner=nobody&owner=none')).toEqual([]);
      // With the other filters, and counted in the total.
      const both = await request(server).get(
        '/api/operability/v1/scorecards?owner=payments&owner=ghost&type=service&limit=2',
      );
      expect(both.body.total).toBe(4);
      expect(both.body.nextCursor).toBe('2');

      const csv = await request(server).get(
        '/api/operability/v1/scorecards.csv?owner=ghost&owner=payments&type=website',
      );
      expect(csv.status).toBe(200);
      const lines = csv.text.trim().split(/\r?\n/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('component:default/paged');
      const ghostCsv = await request(server).get(
        '/api/operability/v1/scorecards.csv?owner=ghost&owner=nobody',
      );
      expect(ghostCsv.text.trim().split(/\r?\n/).slice(1)).toEqual([
        expect.stringContaining('component:default/orphan'),
      ]);
    });

    it('refuses a bad owner among several with a 400 that names owner', async () => {
      for (const path of [
        '/v1/scorecards?owner=payments&owner=a%00b',
        '/v1/scorecards?owner=payments&owner=',
        '/v1/scorecards.csv?owner=a%0Ab&owner=payments',
        `/v1/scorecards?${Array.from(
          { length: 101 },
          (_, i) => `owner=t${i}`,
        ).join('&')}`,
      ]) {
        const res = await request(server).get(`/api/operability${path}`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toMatch(/query parameter 'owner'/);
      }
    });

    it('rolls up teams, lists the rubric and keeps history', async () => {
      const teams = await request(server).get('/api/operability/v1/teams');
      expect(teams.status).toBe(200);
      const payments = teams.body.items.find(
        (t: any) => t.ref === 'group:default/payments',
      );
      expect(payments).toMatchObject({ title: 'Payments', services: 4 });
      expect(
        Object.values(payments.levels).reduce((a: any, b: any) => a + b, 0),
      ).toBe(4);
      expect(payments.mostFailedChecks.length).toBeGreaterThan(0);

      const checks = await request(server).get('/api/operability/v1/checks');
      expect(checks.body.items).toHaveLength(26);
      expect(
        checks.body.items.find((c: any) => c.id === 'on-call.rotation-size'),
      ).toMatchObject({
        level: 'gold',
        rank: 3,
        category: 'on-call',
      });

      const history = await request(server).get(
        '/api/operability/v1/entities/component/default/ledger/history',
      );
      expect(history.status).toBe(200);
      expect(history.body.items).toHaveLength(1);
      const bad = await request(server).get(
        '/api/operability/v1/entities/component/default/ledger/history?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("'from'");
    });

    it('adds and removes exemptions, validating the body', async () => {
      const path =
        '/api/operability/v1/entities/component/default/ledger/exemptions';
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const created = await request(server).post(path).send({
        checkId: 'ownership.in-system',
        reason: 'being moved',
        expiresAt,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        entityRef: 'component:default/ledger',
        checkId: 'ownership.in-system',
        author: 'user:default/mock',
      });
      // The cycle ran again: the check is exempt in the report.
      const report = await request(server).get(
        '/api/operability/v1/entities/component/default/ledger',
      );
      const check = report.body.readiness.checks.find(
        (c: any) => c.id === 'ownership.in-system',
      );
      expect(check).toMatchObject({
        status: 'exempt',
        exemption: { reason: 'being moved' },
      });

      const listed = await request(server).get(path);
      expect(listed.body.items).toHaveLength(1);

      for (const [body, field] of [
        [{ checkId: 'nope', reason: 'x', expiresAt }, "'checkId'"],
        [{ checkId: 'ownership.in-system', reason: '', expiresAt }, "'reason'"],
        [
          {
            checkId: 'ownership.in-system',
            reason: 'x',
            expiresAt: '2020-01-01T00:00:00Z',
          },
          "'expiresAt'",
        ],
        [
          { checkId: 'ownership.in-system', reason: 'x', expiresAt: 'soon' },
          "'expiresAt'",
        ],
        [
          { checkId: 'ownership.in-system', reason: 'x', expiresAt, extra: 1 },
          "'extra'",
        ],
      ] as const) {
        const res = await request(server).post(path).send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(field);
      }

      const removed = await request(server).delete(
        `${path}/${created.body.id}`,
      );
      expect(removed.status).toBe(204);
      expect(
        (await request(server).delete(`${path}/${created.body.id}`)).status,
      ).toBe(404);
    });

    describe('on-call from schedules', () => {
      const onCall = (name: string, at: string) =>
        request(server).get(
          `/api/operability/v1/entities/component/default/${name}/on-call?at=${encodeURIComponent(
            at,
          )}`,
        );

      it('inherits the System schedule, with names and the end of the shift', async () => {
        const res = await onCall('ledger', '2026-01-12T15:00:00Z');
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          source: 'schedule',
          scheduleRef: 'schedule:default/payments-on-call',
          inheritedFrom: 'system:default/payments-platform',
          primary: { ref: 'user:default/bob', title: 'Bob' },
          secondary: {
            ref: 'user:default/alice',
            title: 'Alice',
            email: 'alice@example.com',
          },
          until: '2026-01-19T14:00:00.000Z',
          status: 'ok',
          shadows: [],
        });
      });

      it('names the shadows learning the rotation, to the second', async () => {
        // Carol's window ends where her override begins: 03-02 09:00 EST.
        expect(
          (await onCall('ledger', '2026-03-02T13:59:59Z')).body.shadows,
        ).toEqual([{ ref: 'user:default/carol' }]);
        expect(
          (await onCall('ledger', '2026-03-02T14:00:00Z')).body.shadows,
        ).toEqual([]);
      });

      it('answers to the second around a hand-off and an override', async () => {
        // Hand-off Monday 2026-03-09 09:00 EDT = 13:00Z.
        expect(
          (await onCall('ledger', '2026-03-09T12:59:59Z')).body.primary.ref,
        ).toBe('user:default/alice');
        expect(
          (await onCall('ledger', '2026-03-09T13:00:00Z')).body.primary.ref,
        ).toBe('user:default/bob');
        // The override of 03-02 09:00 EST (14:00Z) to 03-03 09:00 EST.
        expect(
          (await onCall('ledger', '2026-03-02T13:59:59Z')).body.primary.ref,
        ).toBe('user:default/bob');
        const during = (await onCall('ledger', '2026-03-02T14:00:00Z')).body;
        expect(during.primary).toEqual({ ref: 'user:default/carol' });
        expect(during.until).toBe('2026-03-03T14:00:00.000Z');
      });

      it('says nobody is on call before the start, and names a missing schedule', async () => {
        expect(
          (await onCall('ledger', '2025-12-01T00:00:00Z')).body,
        ).toMatchObject({
          status: 'none',
          primary: null,
          until: null,
        });
        expect(
          (await onCall('lost', '2026-03-02T00:00:00Z')).body,
        ).toMatchObject({
          status: 'unknown',
          scheduleRef: 'schedule:default/gone',
          reason: 'The schedule schedule:default/gone is not in the catalog',
        });
      });

      it('judges the ladder on the schedule, and not where on-call comes from elsewhere', async () => {
        const checkOf = async (name: string) => {
          const res = await request(server).get(
            `/api/operability/v1/entities/component/default/${name}`,
          );
          return res.body.readiness.checks.find(
            (c: any) => c.id === 'on-call.ladder',
          );
        };
        // Carol covers as primary on 03-02, after a week as a shadow.
        expect(await checkOf('ledger')).toMatchObject({
          status: 'pass',
          level: 'gold',
        });
        expect(await checkOf('paged')).toMatchObject({
          status: 'unknown',
          message: expect.stringContaining(
            'on-call comes from test, which keeps no history',
          ),
        });
      });

      it('puts on-call in the entity report', async () => {
        const res = await request(server).get(
          '/api/operability/v1/entities/component/default/ledger',
        );
        expect(res.body.onCall).toMatchObject({
          source: 'schedule',
          status: 'ok',
        });
        expect(res.body.onCall.primary.ref).toMatch(
          /^user:default\/(alice|bob|carol)$/,
        );
      });

      it('lists the next shifts of the rotation', async () => {
        const res = await request(server).get(
          '/api/operability/v1/entities/component/default/ledger/on-call/shifts?from=2026-02-25T12:00:00Z&count=3',
        );
        expect(res.status).toBe(200);
        const primary = res.body.shifts.filter(
          (s: any) => s.role === 'primary',
        );
        expect(
          primary.map((s: any) => [s.person.ref, s.start, s.override]),
        ).toEqual([
          ['user:default/bob', '2026-02-23T14:00:00.000Z', false],
          ['user:default/carol', '2026-03-02T14:00:00.000Z', true],
          ['user:default/alice', '2026-03-03T14:00:00.000Z', false],
        ]);
        // Then the shadow windows of those weeks: carol's, in progress.
        expect(
          res.body.shifts
            .filter((s: any) => s.role === 'shadow')
            .map((s: any) => [s.person.ref, s.start, s.end, s.override]),
        ).toEqual([
          [
            'user:default/carol',
            '2026-02-23T14:00:00.000Z',
            '2026-03-02T14:00:00.000Z',
            false,
          ],
        ]);
        const bad = await request(server).get(
          '/api/operability/v1/entities/component/default/ledger/on-call/shifts?count=500',
        );
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toContain("'count'");
      });
    });

    describe('who-owns', () => {
      const whoOwns = (query: string) =>
        request(server).get(`/api/operability/v1/who-owns?${query}`);
      const refs = (res: request.Response) =>
        res.body.items.map((i: any) => i.entityRef);

      it('finds services by name, title or repository, with owner and on-call', async () => {
        expect(refs(await whoOwns('q=ledger-repo'))).toEqual([
          'component:default/ledger',
        ]);
        expect(refs(await whoOwns('q=Payments%20API'))).toEqual([
          'component:default/payments-api',
        ]);
        const res = await whoOwns('q=ledger');
        expect(res.body.items[0].owner.ref).toBe('group:default/payments');
        expect(res.body.items[0].onCall.source).toBe('schedule');
      });

      it('finds services by the labels an alert carries', async () => {
        expect(refs(await whoOwns('label.job=ledger'))).toEqual([
          'component:default/ledger',
        ]);
        expect(refs(await whoOwns('label.service=ledger-svc'))).toEqual([
          'component:default/ledger',
        ]);
        expect(
          refs(await whoOwns('label.alertname=LedgerSlow&label.job=ledger')),
        ).toEqual(['component:default/ledger']);
        expect(refs(await whoOwns('label.job=nothing'))).toEqual([]);
      });

      it('rejects a query without criteria, bad label names and unknown keys', async () => {
        const none = await whoOwns('');
        expect(none.status).toBe(400);
        expect(none.body.error.message).toContain("'q'");
        const badLabel = await whoOwns('label.9x=1');
        expect(badLabel.status).toBe(400);
        expect(badLabel.body.error.message).toContain("'label.9x'");
        const unknown = await whoOwns('q=a&team=b');
        expect(unknown.status).toBe(400);
        expect(unknown.body.error.message).toContain("'team'");
      });
    });
  },
);
