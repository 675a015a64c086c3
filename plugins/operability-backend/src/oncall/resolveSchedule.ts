import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATIONS,
  EntityRef,
  entityRefOf,
} from '@opsready/plugin-operability-common';
import { normalizeRef } from '../ownership/orgIndex';

export interface ScheduleResolution {
  /** The Schedule entity ref named by the annotation (it may not exist). */
  scheduleRef: EntityRef;
  /** The System or Group whose annotation applies, when not the entity's own. */
  inheritedFrom?: EntityRef;
}

function annotatedSchedule(entity: Entity): EntityRef | undefined {
  const value = entity.metadata.annotations?.[ANNOTATIONS.onCallSchedule];
  if (!value?.trim()) return undefined;
  try {
    return normalizeRef(value.trim(), 'schedule', entity.metadata.namespace);
  } catch {
    // A malformed annotation is kept as written, so the answer can name it.
    return value.trim();
  }
}

function refField(entity: Entity, field: 'system' | 'owner', kind: string) {
  const value = (entity.spec as Record<string, unknown> | undefined)?.[field];
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return normalizeRef(value, kind, entity.metadata.namespace);
  } catch {
    return undefined;
  }
}

/**
 * Which schedule covers an entity: its own `operability.io/on-call-schedule`,
 * else its System's, else its owner Group's.
 *
 * Only declared schedules count, the entity's and its holders': what the
 * catalog module stamps (the resolved schedule) has a key of its own and is
 * never read here, so a System does not pass on a schedule it only inherits.
 *
 * `lookup` finds Systems and Groups by ref.
 */
export function resolveSchedule(
  entity: Entity,
  lookup: (ref: EntityRef) => Entity | undefined,
): ScheduleResolution | undefined {
  const own = annotatedSchedule(entity);
  if (own) return { scheduleRef: own };

  const candidates: (EntityRef | undefined)[] = [];
  if (entity.kind.toLowerCase() !== 'system') {
    candidates.push(refField(entity, 'system', 'system'));
  }
  candidates.push(refField(entity, 'owner', 'group'));
  for (const ref of candidates) {
    const holder = ref ? lookup(ref) : undefined;
    const scheduleRef = holder && annotatedSchedule(holder);
    if (scheduleRef) {
      return { scheduleRef, inheritedFrom: entityRefOf(holder) };
    }
  }
  return undefined;
}
