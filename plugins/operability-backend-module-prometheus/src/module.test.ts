import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { operabilityFactProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import { operabilityModulePrometheus } from './module';

describe('operabilityModulePrometheus', () => {
  it('registers the prometheus fact provider with its declared facts', async () => {
    const addFactProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityFactProvidersExtensionPoint, { addFactProvider }],
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
    expect(addFactProvider).toHaveBeenCalledTimes(1);
    const provider = addFactProvider.mock.calls[0][0];
    expect(provider.id).toBe('prometheus');
    expect(provider.facts.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining([
        'prometheus.targets.up-ratio',
        'alerting.rules',
        'alerting.routes',
      ]),
    );
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
