import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import { ANNOTATIONS, LABELS } from '@opsready/plugin-operability-common';
import type { StampSource } from '../stamps/StampSource';

/**
 * Stamps the operability level (label), score, owning team and on-call schedule
 * (annotations) on the entities the operability backend has evaluated, so the
 * catalog's own table, filters and search can use them.
 */
export class OperabilityStampProcessor implements CatalogProcessor {
  constructor(private readonly source: StampSource) {}

  getProcessorName(): string {
    return 'OperabilityStampProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const stamp = await this.source.get(
      stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    );
    if (!stamp) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        labels: { ...entity.metadata.labels, [LABELS.level]: stamp.level },
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATIONS.score]: String(stamp.score),
          ...(stamp.ownerTeam
            ? { [ANNOTATIONS.ownerTeam]: stamp.ownerTeam }
            : {}),
          // An inherited schedule is stamped with where it comes from; an
          // entity's own schedule annotation is left as written.
          ...(stamp.onCallSchedule && stamp.onCallInheritedFrom
            ? {
                [ANNOTATIONS.onCallSchedule]: stamp.onCallSchedule,
                [ANNOTATIONS.onCallScheduleInheritedFrom]:
                  stamp.onCallInheritedFrom,
              }
            : {}),
        },
      },
    };
  }
}
