import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATIONS,
  parseSchedule,
  RELATION_ON_CALL_SCHEDULE,
  RELATION_ON_CALL_SCHEDULE_OF,
  SCHEDULE_API_VERSION,
  SCHEDULE_KIND,
} from '@opsready/plugin-operability-common';

function isSchedule(entity: Entity): boolean {
  return (
    entity.apiVersion === SCHEDULE_API_VERSION && entity.kind === SCHEDULE_KIND
  );
}

/**
 * Accepts the `Schedule` kind, validates it, and relates it to its owner and
 * to the entities that name it in `operability.io/on-call-schedule`.
 * A problem is thrown from validation, which the catalog records as a
 * processing error on that Schedule while the rest of the catalog goes on.
 *
 * @public
 */
export class ScheduleEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'ScheduleEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isSchedule(entity)) return false;
    const { errors } = parseSchedule(entity);
    if (errors) {
      throw new TypeError(
        `Invalid Schedule ${entity.metadata.namespace ?? 'default'}/${
          entity.metadata.name
        }: ${errors.map(e => `${e.path}: ${e.message}`).join('; ')}`,
      );
    }
    return true;
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isSchedule(entity)) {
      this.emitScheduleRelations(entity, location, emit);
      return entity;
    }
    const owner = (entity.spec as { owner?: unknown })?.owner;
    if (typeof owner === 'string' && owner) {
      const self = getCompoundEntityRef(entity);
      const target = parseEntityRef(owner, {
        defaultKind: 'Group',
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_OWNED_BY,
          target,
        }),
      );
      emit(
        processingResult.relation({
          source: target,
          type: RELATION_OWNER_OF,
          target: self,
        }),
      );
    }
    return entity;
  }

  /** An entity that names a schedule is related to it, both ways. */
  private emitScheduleRelations(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ) {
    const value = entity.metadata.annotations?.[ANNOTATIONS.onCallSchedule];
    // The declared key only: an inherited schedule is stamped under a key of
    // its own, and the relation belongs to the System or Group that names it.
    if (!value?.trim()) return;
    const self = getCompoundEntityRef(entity);
    let schedule;
    try {
      schedule = parseEntityRef(value.trim(), {
        defaultKind: SCHEDULE_KIND,
        defaultNamespace: self.namespace,
      });
    } catch (error) {
      emit(
        processingResult.inputError(
          location,
          `Invalid annotation ${ANNOTATIONS.onCallSchedule} on ${self.kind}:${self.namespace}/${self.name}: ${error}`,
        ),
      );
      return;
    }
    emit(
      processingResult.relation({
        source: self,
        type: RELATION_ON_CALL_SCHEDULE,
        target: schedule,
      }),
    );
    emit(
      processingResult.relation({
        source: schedule,
        type: RELATION_ON_CALL_SCHEDULE_OF,
        target: self,
      }),
    );
  }
}
