import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
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
});
