import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import type { OperabilityCheck } from './checks';
import {
  operabilityChecksExtensionPoint,
  operabilityFactProvidersExtensionPoint,
  operabilityOnCallProvidersExtensionPoint,
} from './extensions';
import type { FactProvider, OnCallProvider } from './providers';

describe('operability extension points', () => {
  it('carry providers from a module to the plugin that registers them', async () => {
    const received: { onCall: OnCallProvider[]; facts: FactProvider[] } = {
      onCall: [],
      facts: [],
    };
    const plugin = createBackendPlugin({
      pluginId: 'operability',
      register(env) {
        env.registerExtensionPoint(operabilityOnCallProvidersExtensionPoint, {
          addOnCallProvider: (...p) => received.onCall.push(...p),
        });
        env.registerExtensionPoint(operabilityFactProvidersExtensionPoint, {
          addFactProvider: (...p) => received.facts.push(...p),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const onCallProvider: OnCallProvider = {
      id: 'x',
      covers: () => true,
      getOnCall: async () => new Map(),
    };
    const factProvider: FactProvider = {
      id: 'y',
      facts: [],
      collect: async () => ({ facts: new Map() }),
    };
    const module = createBackendModule({
      pluginId: 'operability',
      moduleId: 'test',
      register(env) {
        env.registerInit({
          deps: {
            onCall: operabilityOnCallProvidersExtensionPoint,
            facts: operabilityFactProvidersExtensionPoint,
          },
          async init({ onCall, facts }) {
            onCall.addOnCallProvider(onCallProvider);
            facts.addFactProvider(factProvider);
          },
        });
      },
    });
    await startTestBackend({ features: [plugin, module] });
    expect(received).toEqual({
      onCall: [onCallProvider],
      facts: [factProvider],
    });
    expect(operabilityOnCallProvidersExtensionPoint.id).toBe(
      'operability.on-call-providers',
    );
    expect(operabilityFactProvidersExtensionPoint.id).toBe(
      'operability.fact-providers',
    );
  });

  it('carry checks from a module to the plugin', async () => {
    const received: OperabilityCheck[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'operability',
      register(env) {
        env.registerExtensionPoint(operabilityChecksExtensionPoint, {
          addChecks: (...c) => received.push(...c),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const check: OperabilityCheck = {
      id: 'test.x',
      title: 'X',
      level: 'bronze',
      description: 'why',
      remediation: 'how',
      facts: [],
      evaluate: () => ({ status: 'pass', message: 'ok' }),
    };
    const module = createBackendModule({
      pluginId: 'operability',
      moduleId: 'test',
      register(env) {
        env.registerInit({
          deps: { checks: operabilityChecksExtensionPoint },
          async init({ checks }) {
            checks.addChecks(check);
          },
        });
      },
    });
    await startTestBackend({ features: [plugin, module] });
    expect(received).toEqual([check]);
    expect(operabilityChecksExtensionPoint.id).toBe('operability.checks');
  });
});
