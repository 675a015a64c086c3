import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  entityRefOf,
  withCatalogStamp,
} from '@opsready/plugin-operability-common';
import type { StampSource } from '../stamps/StampSource';

/**
 * Stamps the operability level (label), score, owning team and resolved
 * on-call schedule (annotations) on the entities the operability backend has
 * evaluated, so the catalog's own table, filters and search can use them.
 *
 * Stamps go under keys of their own (`STAMPED_ANNOTATIONS`, `LABELS`), never
 * under a key teams declare: the backend reads this catalog back on its next
 * cycle, and must not take a stamp for a declaration.
 */
export class OperabilityStampProcessor implements CatalogProcessor {
  constructor(private readonly source: StampSource) {}

  getProcessorName(): string {
    return 'OperabilityStampProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const stamp = await this.source.get(entityRefOf(entity));
    return stamp ? withCatalogStamp(entity, stamp) : entity;
  }
}
