import type { Entity } from '@backstage/catalog-model';
import type {
  DefaultEntityFilters,
  EntityFilter,
} from '@backstage/plugin-catalog-react';
import { LABELS } from '@opsready/plugin-operability-common';

/**
 * Keeps the catalog entities whose stamped readiness level
 * (label `operability.io/level`) is one of `values`. The catalog backend
 * applies it, so paging and counts stay right.
 * @public
 */
export class EntityOperabilityLevelFilter implements EntityFilter {
  constructor(readonly values: string[]) {}

  getCatalogFilters(): Record<string, string[]> {
    return { [`metadata.labels.${LABELS.level}`]: this.values };
  }

  filterEntity(entity: Entity): boolean {
    const level = entity.metadata.labels?.[LABELS.level];
    return level !== undefined && this.values.includes(level);
  }

  toQueryValue(): string[] {
    return this.values;
  }
}

/**
 * The catalog's filters plus the level filter, for `useEntityList`.
 * @public
 */
export type OperabilityEntityFilters = DefaultEntityFilters & {
  operabilityLevel?: EntityOperabilityLevelFilter;
};
