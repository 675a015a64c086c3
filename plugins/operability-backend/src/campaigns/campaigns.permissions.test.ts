import { mockCredentials } from '@backstage/backend-test-utils';
import { calendarDateOf } from '@opsready/plugin-operability-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ALICE,
  GUEST,
  startCatalogPolicyBackend,
  waitFor,
  writePolicyTestCatalog,
} from '../__testUtils__/catalogPolicyBackend';

// The real catalog under a site policy that hides the Payments team's
// service from the guest (see catalogPolicyBackend): the campaigns count and
// list only what the caller may read.

describe('catalog read permission on the campaigns', () => {
  const databases = createTestDatabases();
  let catalog: ReturnType<typeof writePolicyTestCatalog>;

  beforeAll(() => {
    catalog = writePolicyTestCatalog();
  });
  afterAll(() => catalog.remove());

  it.each(databases.eachSupportedId())(
    'counts and lists only what the caller may read (%s)',
    async databaseId => {
      const day = 86_400_000;
      const backend = await startCatalogPolicyBackend({
        entitiesFile: catalog.file,
        knexFor: () => databases.init(databaseId),
        operability: {
          campaigns: [
            {
              id: 'runbooks',
              title: 'Runbooks',
              target: { checks: ['documentation.runbook'] },
              filter: { kind: 'Component' },
              start: calendarDateOf(Date.now() - day),
              deadline: calendarDateOf(Date.now() + 30 * day),
            },
          ],
        },
      });
      const as = (user: string) => mockCredentials.user.header(user);
      const get = (path: string, user: string) =>
        request(backend.server)
          .get(`/api/operability${path}`)
          .set('Authorization', as(user));
      try {
        const alice = await waitFor(
          'both services in the campaign',
          async seen => {
            const res = await get('/v1/campaigns', ALICE);
            seen(res.body);
            return res.body.items?.[0]?.total === 2 ? res.body : undefined;
          },
        );
        expect(alice.items[0]).toMatchObject({ total: 2, done: 0 });

        const guest = await get('/v1/campaigns', GUEST);
        expect(guest.status).toBe(200);
        expect(guest.body.items[0]).toMatchObject({ total: 1, done: 0 });

        const detail = await get('/v1/campaigns/runbooks', GUEST);
        expect(detail.body.teams.map((t: any) => t.ref)).toEqual([
          'group:default/search',
        ]);
        expect(detail.body.burndown).toEqual([
          { date: calendarDateOf(Date.now()), remaining: 1 },
        ]);

        const services = await get('/v1/campaigns/runbooks/services', GUEST);
        expect(services.body).toEqual({
          items: [
            {
              entityRef: 'component:default/search-api',
              owner: 'group:default/search',
              done: false,
              failing: ['documentation.runbook'],
            },
          ],
          total: 1,
        });
        const hidden = await get(
          '/v1/campaigns/runbooks/services?owner=payments',
          GUEST,
        );
        expect(hidden.body).toEqual({ items: [], total: 0 });
      } finally {
        await backend.stop();
      }
    },
    120_000,
  );
});
