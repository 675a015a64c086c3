import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { EntityRef } from './types';

/**
 * The key of an entity everywhere in operability: its full, lower-case ref,
 * `kind:namespace/name` (e.g. `component:default/payments-api`), the form the
 * backend stores, the REST API answers and the catalog module looks up.
 *
 * @remarks
 *
 * `stringifyEntityRef` already lower-cases every part and fills in the default
 * namespace (its documented contract, pinned by this package's tests), so no
 * second `toLowerCase()`. The readiness cycle calls this for every entity of
 * the catalog: `bench/entityRefOf.ts` measures it against hand-written
 * templates (it is as fast; `toLocaleLowerCase('en-US')` is about 25 times
 * slower).
 *
 * @public
 */
export function entityRefOf(entity: Entity): EntityRef {
  return stringifyEntityRef(entity);
}
