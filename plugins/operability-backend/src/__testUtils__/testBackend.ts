import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { operabilityOnCallProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import type { Knex } from 'knex';
import { operabilityPlugin } from '../plugin';

/**
 * A small catalog for router tests: a team with a member, a System with a
 * schedule, a Component on that schedule and one covered by a provider.
 */
export const testEntities: Entity[] = [
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
    spec: { profile: { displayName: 'Alice' }, memberOf: ['payments'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
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
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ledger',
      namespace: 'default',
      annotations: { 'prometheus.io/job': 'ledger' },
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
          async getOnCall({ entities, at }) {
            return new Map(
              entities.map(e => [
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

/** The plugin on the given database; its first readiness cycle runs at start-up. */
export function startOperabilityTestBackend(knex: Knex) {
  return startTestBackend({
    features: [
      operabilityPlugin,
      fakeOnCallModule,
      catalogServiceMock.factory({ entities: testEntities }),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          operability: {
            readiness: {
              schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
            },
          },
        },
      }),
    ],
  });
}
