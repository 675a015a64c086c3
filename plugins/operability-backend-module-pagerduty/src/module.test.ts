import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  operabilityOnCallProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
} from '@opsready/plugin-operability-node';
import { operabilityModulePagerDuty } from './module';
import { component, FakePagerDuty } from './__testUtils__/fakePagerDuty';

describe('operabilityModulePagerDuty', () => {
  let fake: FakePagerDuty;

  beforeAll(async () => {
    fake = await FakePagerDuty.start({
      token: 't0ken',
      services: [{ id: 'PX', name: 'svc', policyId: 'PEPX' }],
      users: [{ id: 'PU1', name: 'Ann Lee', email: 'ann@example.com' }],
      oncalls: [
        { policyId: 'PEPX', level: 1, userId: 'PU1', start: null, end: null },
      ],
    });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('adds no provider when PagerDuty is not configured', async () => {
    const addOnCallProvider = jest.fn();
    const addPageSource = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityOnCallProvidersExtensionPoint, { addOnCallProvider }],
        [operabilityPageSourcesExtensionPoint, { addPageSource }],
      ],
      features: [
        operabilityModulePagerDuty,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(addOnCallProvider).not.toHaveBeenCalled();
    expect(addPageSource).not.toHaveBeenCalled();
  });

  it('registers a provider that answers from PagerDuty when configured', async () => {
    const addOnCallProvider = jest.fn();
    const addPageSource = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityOnCallProvidersExtensionPoint, { addOnCallProvider }],
        [operabilityPageSourcesExtensionPoint, { addPageSource }],
      ],
      features: [
        operabilityModulePagerDuty,
        mockServices.rootConfig.factory({
          data: {
            operability: {
              pagerduty: {
                token: 't0ken',
                baseUrl: fake.url,
                requestTimeout: { seconds: 2 },
              },
            },
          },
        }),
      ],
    });
    expect(addOnCallProvider).toHaveBeenCalledTimes(1);
    // Incidents are pages for the on-call load.
    expect(addPageSource).toHaveBeenCalledTimes(1);
    expect(addPageSource.mock.calls[0][0].id).toBe('pagerduty');
    const provider = addOnCallProvider.mock.calls[0][0];
    expect(provider.id).toBe('pagerduty');
    expect(provider.covers(component('svc', 'PX'))).toBe(true);
    expect(provider.covers(component('svc'))).toBe(false);
    const answers = await provider.getOnCall({
      entities: [component('svc', 'PX')],
      at: new Date(),
    });
    expect(answers.get('component:default/svc')).toMatchObject({
      source: 'pagerduty',
      status: 'ok',
      primary: {
        ref: 'user:default/ann',
        title: 'Ann Lee',
        email: 'ann@example.com',
      },
      secondary: null,
    });
  });

  it.each([
    [{ token: 't', baseUrl: '::' }, 'operability.pagerduty.baseUrl'],
    [{ baseUrl: 'https://api.pagerduty.com' }, 'operability.pagerduty.token'],
    [{ token: 't', cacheTtl: 'often' }, 'operability.pagerduty.cacheTtl'],
  ])(
    'stops start-up on bad config, naming the config path (%#)',
    async (pagerduty, configPath) => {
      await expect(
        startTestBackend({
          extensionPoints: [
            [
              operabilityOnCallProvidersExtensionPoint,
              { addOnCallProvider: jest.fn() },
            ],
            [
              operabilityPageSourcesExtensionPoint,
              { addPageSource: jest.fn() },
            ],
          ],
          features: [
            operabilityModulePagerDuty,
            mockServices.rootConfig.factory({
              data: { operability: { pagerduty } },
            }),
          ],
        }),
      ).rejects.toThrow(configPath);
    },
  );
});
