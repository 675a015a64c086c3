import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ALICE,
  GUEST,
  startCatalogPolicyBackend,
  waitFor,
  writePolicyTestCatalog,
} from '../__testUtils__/catalogPolicyBackend';

// The actions answer with the caller's credentials: what the catalog hides
// from the caller (here, from the guest, what the Payments team owns), the
// actions do not return, as the REST API does not.

describe('actions under a catalog permission policy', () => {
  const databases = createTestDatabases();
  let catalog: ReturnType<typeof writePolicyTestCatalog>;

  beforeAll(() => {
    catalog = writePolicyTestCatalog();
  });
  afterAll(() => catalog.remove());

  it.each(databases.eachSupportedId())(
    'hides what the catalog hides from the caller (%s)',
    async databaseId => {
      const backend = await startCatalogPolicyBackend({
        entitiesFile: catalog.file,
        knexFor: () => databases.init(databaseId),
      });
      const invoke = (user: string, name: string, input: object) =>
        request(backend.server)
          .post(
            `/api/operability/.backstage/actions/v1/actions/operability:${name}/invoke`,
          )
          .set('Authorization', mockCredentials.user.header(user))
          .send(input);
      try {
        // Alice may read everything: wait until both services are scored
        // and the payments one has its on-call engineer.
        await waitFor('both services scored', async seen => {
          const res = await invoke(ALICE, 'list-scorecards', {});
          seen(res.body);
          const payments = res.body.output?.items?.find(
            (i: any) => i.entityRef === 'component:default/payments-api',
          );
          return res.body.output?.total === 2 && payments?.onCall?.primary
            ? true
            : undefined;
        });

        // list-scorecards: only what the guest may read, counted as such.
        const guestPage = await invoke(GUEST, 'list-scorecards', {});
        expect(guestPage.status).toBe(200);
        expect(guestPage.body.output.total).toBe(1);
        expect(
          guestPage.body.output.items.map((i: any) => i.entityRef),
        ).toEqual(['component:default/search-api']);
        const byOwner = await invoke(GUEST, 'list-scorecards', {
          owner: 'payments',
        });
        expect(byOwner.body.output).toEqual({ items: [], total: 0 });

        // who-owns: no payments-api, so no on-call name or email either,
        // whether asked by name or by the alert's labels.
        const guestWhoOwns = await invoke(GUEST, 'who-owns', { query: 'api' });
        expect(
          guestWhoOwns.body.output.items.map((i: any) => i.entityRef),
        ).toEqual(['component:default/search-api']);
        expect(JSON.stringify(guestWhoOwns.body)).not.toContain('alice');
        const guestByLabel = await invoke(GUEST, 'who-owns', {
          labels: { job: 'payments-api' },
        });
        expect(guestByLabel.body.output).toEqual({ items: [] });
        const aliceByLabel = await invoke(ALICE, 'who-owns', {
          labels: { job: 'payments-api' },
        });
        expect(aliceByLabel.body.output.items).toHaveLength(1);
        expect(JSON.stringify(aliceByLabel.body)).toContain('alice');

        // Single entities: the catalog's own answer, a 404 for the guest.
        for (const name of ['who-is-on-call', 'get-readiness']) {
          const hidden = await invoke(GUEST, name, {
            entityRef: 'component:default/payments-api',
          });
          expect({ name, status: hidden.status }).toEqual({
            name,
            status: 404,
          });
          expect(JSON.stringify(hidden.body)).not.toContain('alice');
          const shown = await invoke(ALICE, name, {
            entityRef: 'component:default/payments-api',
          });
          expect({ name, status: shown.status }).toEqual({
            name,
            status: 200,
          });
        }
        const onCall = await invoke(ALICE, 'who-is-on-call', {
          entityRef: 'payments-api',
        });
        expect(onCall.body.output.primary).toMatchObject({
          ref: 'user:default/alice',
          email: 'alice@example.com',
        });
        // The guest still reads its own team's service.
        const own = await invoke(GUEST, 'get-readiness', {
          entityRef: 'component:default/search-api',
        });
        expect(own.status).toBe(200);
      } finally {
        await backend.stop();
      }
    },
    120_000,
  );
});
