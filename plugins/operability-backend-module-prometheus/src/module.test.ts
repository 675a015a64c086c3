import { join } from 'path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  FactProvider,
  operabilityFactProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
} from '@opsready/plugin-operability-node';
import { operabilityModulePrometheus } from './module';
import { EXAMPLES_DIR, loadDemoEntities } from './__testUtils__/demo';

describe('operabilityModulePrometheus', () => {
  it('registers three providers, each with its own facts', async () => {
    const addFactProvider = jest.fn();
    const addPageSource = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityFactProvidersExtensionPoint, { addFactProvider }],
        [operabilityPageSourcesExtensionPoint, { addPageSource }],
      ],
      features: [
        operabilityModulePrometheus,
        mockServices.rootConfig.factory({
          data: {
            operability: {
              prometheus: {
                instances: [{ name: 'main', url: 'http://127.0.0.1:9090/' }],
              },
            },
          },
        }),
      ],
    });
    const providers: FactProvider[] = addFactProvider.mock.calls.flat();
    expect(providers.map(p => p.id)).toEqual([
      'prometheus',
      'alert-rules',
      'alertmanager',
    ]);
    expect(providers.map(p => p.facts.map(f => f.name))).toEqual([
      [
        'prometheus.targets.count',
        'prometheus.targets.up-ratio',
        'prometheus.golden-signals',
        'prometheus.target-info',
      ],
      ['alerting.rules'],
      ['alerting.routes'],
    ]);
    // No routing tree: no page source (what pages is not known).
    expect(addPageSource).not.toHaveBeenCalled();
  });

  it('gives the demo its alerting facts from rule files and alertmanager.yml', async () => {
    const addFactProvider = jest.fn();
    const addPageSource = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityFactProvidersExtensionPoint, { addFactProvider }],
        [operabilityPageSourcesExtensionPoint, { addPageSource }],
      ],
      features: [
        operabilityModulePrometheus,
        mockServices.rootConfig.factory({
          data: {
            operability: {
              alertmanager: {
                configFile: join(EXAMPLES_DIR, 'prometheus/alertmanager.yml'),
              },
            },
          },
        }),
      ],
    });
    const [prometheus, rules, routes]: FactProvider[] =
      addFactProvider.mock.calls.flat();
    const entities = loadDemoEntities();
    expect((await prometheus.collect({ entities })).facts.size).toBe(0);
    const ruleBatch = await rules.collect({ entities });
    expect(ruleBatch.facts.get('component:default/payments-api')).toBeDefined();
    expect(ruleBatch.errors?.get('component:default/shipping-rates')).toMatch(
      /shipping-rates\.yaml:11/,
    );
    const routeBatch = await routes.collect({ entities });
    expect(
      routeBatch.facts.get('component:default/payments-api')![0].value,
    ).toHaveProperty('critical');
    // No Prometheus to read the alerts' history from: no page source.
    expect(addPageSource).not.toHaveBeenCalled();
  });

  it('adds the prometheus page source with a Prometheus and a routing tree', async () => {
    const addPageSource = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [
          operabilityFactProvidersExtensionPoint,
          { addFactProvider: jest.fn() },
        ],
        [operabilityPageSourcesExtensionPoint, { addPageSource }],
      ],
      features: [
        operabilityModulePrometheus,
        mockServices.rootConfig.factory({
          data: {
            operability: {
              prometheus: {
                instances: [{ name: 'main', url: 'http://127.0.0.1:9090/' }],
              },
              alertmanager: {
                configFile: join(EXAMPLES_DIR, 'prometheus/alertmanager.yml'),
              },
            },
          },
        }),
      ],
    });
    expect(addPageSource.mock.calls.flat().map(s => s.id)).toEqual([
      'prometheus',
    ]);
  });

  it.each([
    [
      { prometheus: { instances: [{ name: 'main', url: 'not a url' }] } },
      'operability.prometheus.instances[0].url',
    ],
    [
      {
        prometheus: {
          instances: [
            { name: 'a', url: 'http://x' },
            { name: 'a', url: 'http://y' },
          ],
        },
      },
      'operability.prometheus.instances[1].name',
    ],
    [{ alertmanager: { url: 'ftp://am' } }, 'operability.alertmanager.url'],
  ])(
    'stops start-up on bad config naming the path (%#)',
    async (operability, configPath) => {
      await expect(
        startTestBackend({
          extensionPoints: [
            [
              operabilityFactProvidersExtensionPoint,
              { addFactProvider: jest.fn() },
            ],
            [
              operabilityPageSourcesExtensionPoint,
              { addPageSource: jest.fn() },
            ],
          ],
          features: [
            operabilityModulePrometheus,
            mockServices.rootConfig.factory({ data: { operability } }),
          ],
        }),
      ).rejects.toThrow(configPath);
    },
  );
});
