import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { operabilityOnCallProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import { operabilityModulePagerDuty } from './module';

const entity = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', namespace: 'default', annotations },
  spec: {},
});

describe('operabilityModulePagerDuty', () => {
  it('adds no provider when PagerDuty is not configured', async () => {
    const addOnCallProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityOnCallProvidersExtensionPoint, { addOnCallProvider }],
      ],
      features: [
        operabilityModulePagerDuty,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(addOnCallProvider).not.toHaveBeenCalled();
  });

  it('covers entities with a PagerDuty service id when configured', async () => {
    const addOnCallProvider = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [operabilityOnCallProvidersExtensionPoint, { addOnCallProvider }],
      ],
      features: [
        operabilityModulePagerDuty,
        mockServices.rootConfig.factory({
          data: { operability: { pagerduty: { token: 't0ken' } } },
        }),
      ],
    });
    const provider = addOnCallProvider.mock.calls[0][0];
    expect(provider.id).toBe('pagerduty');
    expect(provider.covers(entity({ 'pagerduty.com/service-id': 'PX' }))).toBe(
      true,
    );
    expect(provider.covers(entity())).toBe(false);
    const answers = await provider.getOnCall({
      entities: [entity({ 'pagerduty.com/service-id': 'PX' })],
      at: new Date(),
    });
    expect(answers.get('component:default/svc')).toMatchObject({
      source: 'pagerduty',
      status: 'unknown',
    });
  });

  it('stops start-up on a bad base URL, naming the config path', async () => {
    await expect(
      startTestBackend({
        extensionPoints: [
          [
            operabilityOnCallProvidersExtensionPoint,
            { addOnCallProvider: jest.fn() },
          ],
        ],
        features: [
          operabilityModulePagerDuty,
          mockServices.rootConfig.factory({
            data: { operability: { pagerduty: { token: 't', baseUrl: '::' } } },
          }),
        ],
      }),
    ).rejects.toThrow('operability.pagerduty.baseUrl');
  });
});
