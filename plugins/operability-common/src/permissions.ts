import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Add an exemption of a check for an entity.
 * @public
 */
export const operabilityExemptionCreatePermission = createPermission({
  name: 'operability.exemption.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Remove an exemption.
 * @public
 */
export const operabilityExemptionDeletePermission = createPermission({
  name: 'operability.exemption.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Re-evaluate entities on demand.
 * @public
 */
export const operabilityRefreshPermission = createPermission({
  name: 'operability.refresh',
  attributes: { action: 'update' },
});

/**
 * Every permission of the operability plugin.
 * @public
 */
export const operabilityPermissions = [
  operabilityExemptionCreatePermission,
  operabilityExemptionDeletePermission,
  operabilityRefreshPermission,
];
