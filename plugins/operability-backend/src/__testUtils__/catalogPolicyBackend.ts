import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
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
import catalogModuleOperability from '@opsready/plugin-catalog-backend-module-operability';
import { operabilityPlugin } from '../plugin';

/**
 * A real catalog with a site policy that hides one team's service from one
 * user, and the plugin over it: for tests of what callers may read.
 */

// Two teams, a service each; a Schedule so on-call (names, emails) is in play.
export const POLICY_TEST_ENTITIES = `
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
  annotations:
    operability.io/on-call-schedule: payments-on-call
    prometheus.io/job: payments-api
spec: { type: service, lifecycle: production, owner: payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: search-api }
spec: { type: service, lifecycle: production, owner: search }
`;

/** May not read what the Payments team owns. */
export const GUEST = 'user:default/guest';
/** May read everything. */
export const ALICE = 'user:default/alice';

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

export const sitePolicy = createServiceFactory({
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

/**
 * Polls until the probe answers (not undefined), for a minute at most; the
 * timeout names what it waited for and what the probe last saw (`seen`).
 */
export async function waitFor<T>(
  what: string,
  probe: (seen: (value: unknown) => void) => Promise<T | undefined>,
): Promise<T> {
  const last: { value?: unknown } = {};
  const seen = (value: unknown) => {
    last.value = value;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe(seen);
    } catch (error) {
      seen(String(error));
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}: ${JSON.stringify(last.value)}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

/** A folder with the entities file, removed by `remove`. */
export function writePolicyTestCatalog(): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operability-policy-'));
  const file = path.join(dir, 'entities.yaml');
  fs.writeFileSync(file, POLICY_TEST_ENTITIES);
  return {
    file,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The real catalog (reading `entitiesFile`) and the plugin, each on a
 * database of its own from `knexFor`, under the site policy, with the real
 * scheduler: readiness cycles every second, as in a running backend.
 */
export async function startCatalogPolicyBackend(options: {
  entitiesFile: string;
  knexFor: (pluginId: 'catalog' | 'operability') => Promise<Knex>;
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** More `operability` config (campaigns, say). */
  operability?: Record<string, unknown>;
}) {
  const knexByPlugin = new Map<string, Knex>();
  for (const pluginId of ['catalog', 'operability'] as const) {
    knexByPlugin.set(pluginId, await options.knexFor(pluginId));
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
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleOperability,
      sitePolicy,
      schedulerServiceFactory,
      operabilityPlugin,
      perPluginDatabases,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [
              { allow: ['Group', 'User', 'Schedule', 'Location', 'Component'] },
            ],
            locations: [{ type: 'file', target: options.entitiesFile }],
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
            ...options.operability,
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  await waitForCatalogToHoldEvery(backend.server, options.entitiesFile);
  return backend;
}

/**
 * Waits until the catalog serves every entity of the file. The catalog
 * stitches entities one by one: a caller's visible set read while a team is
 * still unstitched would lack it (for the set's cache time), which made the
 * team roll-up assertions flaky.
 */
async function waitForCatalogToHoldEvery(
  server: Parameters<typeof request>[0],
  entitiesFile: string,
) {
  const expected = (
    fs.readFileSync(entitiesFile, 'utf8').match(/^kind:/gm) ?? []
  ).length;
  await waitFor(`the catalog to serve all ${expected} entities`, async seen => {
    const res = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({
        limit: 0,
        filter: 'kind=group,kind=user,kind=schedule,kind=component',
      })
      .set('Authorization', mockCredentials.service.header());
    seen(res.body);
    return res.body.totalItems >= expected ? true : undefined;
  });
}
