import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  Permission,
  PolicyDecision,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import catalogModuleOperability from '@opsready/plugin-catalog-backend-module-operability';
import { operabilityPlugin } from '../plugin';
import { createTestDatabases } from '../__testUtils__/databases';

// Two teams, a service each; a Schedule so on-call (names, emails) is in play.
const ENTITIES = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: team, profile: { email: pay@example.com }, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: search }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec: { profile: { email: alice@example.com }, memberOf: [payments] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: guest }
spec: { memberOf: [search] }
---
apiVersion: operability.io/v1alpha1
kind: Schedule
metadata: { name: payments-on-call }
spec:
  owner: group:default/payments
  timeZone: UTC
  handoff: { start: 2026-01-05T09:00, turn: P1W }
  primary: [user:default/alice]
  secondary: next-in-rotation
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  annotations: { operability.io/on-call-schedule: payments-on-call }
spec: { type: service, lifecycle: production, owner: payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: search-api }
spec: { type: service, lifecycle: production, owner: search }
`;

const GUEST = 'user:default/guest';
const ALICE = 'user:default/alice';

/**
 * The site's policy, as the permission framework would apply it: the guest
 * may not read what the Payments team owns (a conditional decision, which
 * the catalog turns into its own query); everything else is allowed.
 *
 * It stands in for the permission backend because the mock auth service
 * forwards a user's credentials without the plugin as actor, which the real
 * permission backend requires of conditional requests.
 */
function decide(
  permission: Permission,
  credentials: BackstageCredentials,
): PolicyDecision {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
  };
  const user = principal.type === 'user' ? principal.userEntityRef : undefined;
  if (isPermission(permission, catalogEntityReadPermission) && user === GUEST) {
    return createCatalogConditionalDecision(catalogEntityReadPermission, {
      not: catalogConditions.isEntityOwner({
        claims: ['group:default/payments'],
      }),
    });
  }
  return { result: AuthorizeResult.ALLOW };
}

const sitePolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: (): PermissionsService => ({
    async authorize(requests, { credentials }) {
      return requests.map(r => {
        const decision = decide(r.permission, credentials);
        if (decision.result === AuthorizeResult.CONDITIONAL) {
          throw new Error('The test policy is conditional only on lists');
        }
        return { result: decision.result };
      });
    },
    async authorizeConditional(requests, { credentials }) {
      return requests.map(
        r => decide(r.permission, credentials) as QueryPermissionResponse,
      );
    },
  }),
});

/** What a probe saw last, for the message when waiting times out. */
let last: unknown;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe();
    } catch (error) {
      last = String(error);
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(last)}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('catalog read permission on the lists', () => {
  const databases = createTestDatabases();
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operability-permissions-'));
    fs.writeFileSync(path.join(dir, 'entities.yaml'), ENTITIES);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(databases.eachSupportedId())(
    'hides what the catalog hides from the caller, and audits writes (%s)',
    async databaseId => {
      // A database of its own for each plugin, on the engine under test.
      const knexByPlugin = new Map<string, Knex>();
      for (const pluginId of ['catalog', 'operability']) {
        knexByPlugin.set(pluginId, await databases.init(databaseId));
      }
      const perPluginDatabases = createServiceFactory({
        service: coreServices.database,
        deps: { pluginMetadata: coreServices.pluginMetadata },
        factory: ({ pluginMetadata }) =>
          mockServices.database({
            knex: knexByPlugin.get(pluginMetadata.getId())!,
            migrations: { skip: false },
          }),
      });
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
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleOperability,
          sitePolicy,
          // The real scheduler: cycles every second, as in a running backend.
          schedulerServiceFactory,
          operabilityPlugin,
          auditor.factory,
          perPluginDatabases,
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [
                  {
                    allow: [
                      'Group',
                      'User',
                      'Schedule',
                      'Location',
                      'Component',
                    ],
                  },
                ],
                locations: [
                  { type: 'file', target: path.join(dir, 'entities.yaml') },
                ],
                processingInterval: { seconds: 1 },
              },
              operability: {
                catalogCacheTtl: { seconds: 1 },
                readiness: {
                  schedule: {
                    frequency: { seconds: 1 },
                    timeout: { seconds: 30 },
                    initialDelay: { milliseconds: 200 },
                  },
                },
              },
            },
          }),
        ],
      });
      const server = backend.server;
      const as = (user: string) => mockCredentials.user.header(user);
      try {
        // Alice may read everything: wait until both services are scored
        // and the payments one has its on-call engineer.
        const alicePage = await waitFor('both services scored', async () => {
          const res = await request(server)
            .get('/api/operability/v1/scorecards')
            .set('Authorization', as(ALICE));
          last = res.body;
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
