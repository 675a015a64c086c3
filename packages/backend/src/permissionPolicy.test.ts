import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  operabilityExemptionCreatePermission,
  operabilityExemptionDeletePermission,
  operabilityRefreshPermission,
} from '@opsready/plugin-operability-common';
import { DemoPermissionPolicy } from './permissionPolicy';

const user = {
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: ['user:default/alice', 'group:default/payments'],
  },
  info: {
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: ['user:default/alice', 'group:default/payments'],
  },
  token: 'token',
  credentials: {} as any,
};

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it.each([
    operabilityExemptionCreatePermission,
    operabilityExemptionDeletePermission,
  ])('lets only the owners manage exemptions (%#)', async permission => {
    expect(await policy.handle({ permission }, user)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/alice', 'group:default/payments'] },
      },
    });
  });

  it('gives no claims to a request without a user', async () => {
    const decision: any = await policy.handle({
      permission: operabilityExemptionCreatePermission,
    });
    expect(decision.conditions.params.claims).toEqual([]);
  });

  it('allows everything else', async () => {
    expect(
      await policy.handle({ permission: operabilityRefreshPermission }, user),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
