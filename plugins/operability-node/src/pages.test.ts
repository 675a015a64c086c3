import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { operabilityPageSourcesExtensionPoint } from './extensions';
import type { PageSource } from './pages';

describe('operabilityPageSourcesExtensionPoint', () => {
  it('carries page sources from a module to the plugin', async () => {
    const received: PageSource[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'operability',
      register(env) {
        env.registerExtensionPoint(operabilityPageSourcesExtensionPoint, {
          addPageSource: (...sources) => received.push(...sources),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const source: PageSource = {
      id: 'file',
      covers: () => true,
      collect: async () => ({ pages: [] }),
    };
    const module = createBackendModule({
      pluginId: 'operability',
      moduleId: 'pages-test',
      register(env) {
        env.registerInit({
          deps: { pages: operabilityPageSourcesExtensionPoint },
          async init({ pages }) {
            pages.addPageSource(source);
          },
        });
      },
    });
    const backend = await startTestBackend({ features: [plugin, module] });
    expect(received).toEqual([source]);
    expect(operabilityPageSourcesExtensionPoint.id).toBe(
      'operability.page-sources',
    );
    await backend.stop();
  });
});
