import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
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
// service from the guest (see catalogPolicyBackend): the lists keep only what
// the caller may read, single entities are the catalog's own answer.

describe('catalog read permission on the lists', () => {
  const databases = createTestDatabases();
  let catalog: ReturnType<typeof writePolicyTestCatalog>;

  beforeAll(() => {
    catalog = writePolicyTestCatalog();
  });
  afterAll(() => catalog.remove());

  it.each(databases.eachSupportedId())(
    'hides what the catalog hides from the caller, and audits writes (%s)',
    async databaseId => {
      const audited: {
        options: AuditorServiceCreateEventOptions;
        outcome?: string;
      }[] = [];
      const auditor = mockServices.auditor.mock({
        createEvent: async options => {
          const entry: (typeof audited)[number] = { options };
          audited.push(entry);
          return {
            success: async () => {
              entry.outcome = 'succeeded';
            },
            fail: async ({ error }) => {
              entry.outcome = `failed: ${error.message}`;
            },
          };
        },
      });
      // A database of its own for each plugin, on the engine under test.
      const backend = await startCatalogPolicyBackend({
        entitiesFile: catalog.file,
        knexFor: () => databases.init(databaseId),
        features: [auditor.factory],
      });
      const server = backend.server;
      const as = (user: string) => mockCredentials.user.header(user);
      try {
        // Alice may read everything: wait until both services are scored
        // and the payments one has its on-call engineer.
        const alicePage = await waitFor('both services scored', async seen => {
          const res = await request(server)
            .get('/api/operability/v1/scorecards')
            .set('Authorization', as(ALICE));
          seen(res.body);
          const payments = res.body.items?.find(
            (i: any) => i.entityRef === 'component:default/payments-api',
          );
          return res.body.total === 2 && payments?.onCall?.primary
            ? res.body
            : undefined;
        });
        expect(alicePage.items.map((i: any) => i.entityRef)).toEqual([
          'component:default/payments-api',
          'component:default/search-api',
        ]);
        // A cycle that ran before the catalog had stitched a team leaves its
        // service without an owning team until the next one: wait for both
        // teams, so what follows tests the filtering, not that race.
        await waitFor('both teams rolled up', async seen => {
          const res = await request(server)
            .get('/api/operability/v1/teams')
            .set('Authorization', as(ALICE));
          seen(res.body);
          return res.body.items?.length === 2 ? true : undefined;
        });

        // The same query right after, as the guest: not Alice's cached page.
        const guestPage = await request(server)
          .get('/api/operability/v1/scorecards')
          .set('Authorization', as(GUEST));
        expect(guestPage.status).toBe(200);
        expect(guestPage.body.total).toBe(1);
        expect(guestPage.body.items.map((i: any) => i.entityRef)).toEqual([
          'component:default/search-api',
        ]);
        // Filters and paging count only what the guest may see.
        const byOwner = await request(server)
          .get('/api/operability/v1/scorecards?owner=payments')
          .set('Authorization', as(GUEST));
        expect(byOwner.body).toEqual({ items: [], total: 0 });

        // The catalog itself agrees.
        const hidden = await request(server)
          .get('/api/catalog/entities/by-name/component/default/payments-api')
          .set('Authorization', as(GUEST));
        expect(hidden.status).toBe(404);

        // Who owns: no payments-api, so no on-call name or email either.
        const whoOwns = await request(server)
          .get('/api/operability/v1/who-owns?q=api')
          .set('Authorization', as(GUEST));
        expect(whoOwns.body.total).toBe(1);
        expect(JSON.stringify(whoOwns.body)).not.toContain('alice');
        const aliceWhoOwns = await request(server)
          .get('/api/operability/v1/who-owns?q=api')
          .set('Authorization', as(ALICE));
        expect(aliceWhoOwns.body.total).toBe(2);
        expect(JSON.stringify(aliceWhoOwns.body)).toContain('alice');

        // Team roll-ups: the payments team and its service are gone.
        const teams = await request(server)
          .get('/api/operability/v1/teams')
          .set('Authorization', as(GUEST));
        expect(teams.body.items.map((t: any) => t.ref)).toEqual([
          'group:default/search',
        ]);
        const aliceTeams = await request(server)
          .get('/api/operability/v1/teams')
          .set('Authorization', as(ALICE));
        expect(aliceTeams.body.items.map((t: any) => t.ref)).toEqual([
          'group:default/payments',
          'group:default/search',
        ]);

        // Catalog stamps: for the catalog module's service credentials only.
        const stampsAsUser = await request(server)
          .get('/api/operability/v1/catalog-stamps')
          .set('Authorization', as(ALICE));
        expect(stampsAsUser.status).toBe(403);
        const stamps = await request(server)
          .get('/api/operability/v1/catalog-stamps')
          .set('Authorization', mockCredentials.service.header());
        expect(stamps.status).toBe(200);

        // Single-entity routes: the catalog's own answer.
        const report = await request(server)
          .get('/api/operability/v1/entities/component/default/payments-api')
          .set('Authorization', as(GUEST));
        expect(report.status).toBe(404);

        // A refresh of one entity the guest cannot read: 404, and audited.
        const refreshHidden = await request(server)
          .post('/api/operability/v1/refresh')
          .set('Authorization', as(GUEST))
          .send({ entityRef: 'component:default/payments-api' });
        expect(refreshHidden.status).toBe(404);
        const refreshed = await request(server)
          .post('/api/operability/v1/refresh')
          .set('Authorization', as(ALICE))
          .send({ entityRef: 'component:default/payments-api' });
        expect(refreshed.status).toBe(200);
        expect(refreshed.body).toMatchObject({
          status: 'evaluated',
          entityRef: 'component:default/payments-api',
        });

        // An exemption added and removed by Alice: audited with outcome.
        const added = await request(server)
          .post(
            '/api/operability/v1/entities/component/default/payments-api/exemptions',
          )
          .set('Authorization', as(ALICE))
          .send({
            checkId: 'documentation.description',
            reason: 'Described in the team wiki',
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          });
        expect(added.status).toBe(201);
        const removed = await request(server)
          .delete(
            `/api/operability/v1/entities/component/default/payments-api/exemptions/${added.body.id}`,
          )
          .set('Authorization', as(ALICE));
        expect(removed.status).toBe(204);

        // Outcomes are recorded when the response finishes.
        await waitFor('audit outcomes', async () =>
          audited
            .filter(e => e.options.eventId.startsWith('exemption-'))
            .every(e => e.outcome)
            ? true
            : undefined,
        );
        const ours = audited
          .filter(e =>
            ['refresh', 'exemption-create', 'exemption-delete'].includes(
              e.options.eventId,
            ),
          )
          .map(e => ({
            eventId: e.options.eventId,
            entityRef: e.options.meta?.entityRef,
            outcome: e.outcome,
            hasRequest: Boolean(e.options.request),
          }));
        expect(ours).toEqual([
          {
            eventId: 'refresh',
            entityRef: 'component:default/payments-api',
            outcome: expect.stringMatching(/^failed: /),
            hasRequest: true,
          },
          {
            eventId: 'refresh',
            entityRef: 'component:default/payments-api',
            outcome: 'succeeded',
            hasRequest: true,
          },
          {
            eventId: 'exemption-create',
            entityRef: 'component:default/payments-api',
            outcome: 'succeeded',
            hasRequest: true,
          },
          {
            eventId: 'exemption-delete',
            entityRef: 'component:default/payments-api',
            outcome: 'succeeded',
            hasRequest: true,
          },
        ]);
      } finally {
        await backend.stop();
      }
    },
    120_000,
  );
});
