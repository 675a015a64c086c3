import { Entity } from '@backstage/catalog-model';
import type {
  EntityRef,
  OnCall,
  OnCallShifts,
  ScheduleSpec,
} from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { normalizeRef, personOf } from '../ownership/orgIndex';
import {
  CompiledSchedule,
  compileSchedule,
  nextShifts,
  OnCallAt,
  onCallWithValidity,
  Role,
} from '../schedule/rotation';
import { resolveSchedule } from './resolveSchedule';

/**
 * On-call answers from Schedule entities in the catalog. Compiled schedules
 * are cached by entity uid and etag, so a changed Schedule is recompiled.
 */
export class ScheduleOnCall {
  private readonly compiled = new Map<
    string,
    { etag: string; schedule: CompiledSchedule | Error }
  >();

  /** The last answer per compiled schedule, valid for instants in [from, until). */
  private readonly answers = new WeakMap<
    CompiledSchedule,
    { from: number; until: number; answer: OnCallAt }
  >();

  /** Which schedule covers which entity, per snapshot (snapshots never change). */
  private readonly resolutions = new WeakMap<
    Snapshot,
    Map<string, ReturnType<ScheduleOnCall['findUncached']>>
  >();

  private answerAt(schedule: CompiledSchedule, at: Date): OnCallAt {
    const time = at.getTime();
    const cached = this.answers.get(schedule);
    if (cached && cached.from <= time && time < cached.until) {
      return cached.answer;
    }
    const { answer, validUntil } = onCallWithValidity(schedule, at);
    this.answers.set(schedule, {
      from: time,
      until: validUntil ? validUntil.getTime() : Infinity,
      answer,
    });
    return answer;
  }

  private compile(entity: Entity): CompiledSchedule | Error {
    const key = entity.metadata.uid ?? entityRefOf(entity);
    const etag = entity.metadata.etag ?? JSON.stringify(entity.spec);
    const cached = this.compiled.get(key);
    if (cached && cached.etag === etag) return cached.schedule;
    let schedule: CompiledSchedule | Error;
    try {
      const spec = entity.spec as unknown as ScheduleSpec;
      schedule = compileSchedule({
        ...spec,
        // Member refs may be short (`alice`); answers use full refs.
        primary: spec.primary.map(ref => normalizeRef(ref, 'user')),
        secondary:
          spec.secondary && spec.secondary !== 'next-in-rotation'
            ? {
                ...spec.secondary,
                members: spec.secondary.members.map(ref =>
                  normalizeRef(ref, 'user'),
                ),
              }
            : spec.secondary,
        overrides: spec.overrides?.map(o => ({
          ...o,
          user: normalizeRef(o.user, 'user'),
        })),
      });
    } catch (error) {
      schedule = error instanceof Error ? error : new Error(String(error));
    }
    this.compiled.set(key, { etag, schedule });
    return schedule;
  }

  private find(entity: Entity, snapshot: Snapshot) {
    let bySnapshot = this.resolutions.get(snapshot);
    if (!bySnapshot) this.resolutions.set(snapshot, (bySnapshot = new Map()));
    const key = entityRefOf(entity);
    if (!bySnapshot.has(key)) {
      bySnapshot.set(key, this.findUncached(entity, snapshot));
    }
    return bySnapshot.get(key);
  }

  private findUncached(entity: Entity, snapshot: Snapshot) {
    const resolution = resolveSchedule(
      entity,
      ref => snapshot.byRef.get(ref) ?? snapshot.org.groups.get(ref),
    );
    if (!resolution) return undefined;
    const scheduleEntity = snapshot.schedules.get(resolution.scheduleRef);
    return { resolution, scheduleEntity };
  }

  /**
   * What the snapshot lacks of what the entity's on-call needs: the schedule
   * it names, or — when it names none — its System or owner Group.
   */
  missingRefs(entity: Entity, snapshot: Snapshot): EntityRef[] {
    const found = this.find(entity, snapshot);
    if (found)
      return found.scheduleEntity ? [] : [found.resolution.scheduleRef];
    const spec = (entity.spec ?? {}) as { system?: unknown; owner?: unknown };
    const missing: EntityRef[] = [];
    for (const [value, kind] of [
      [spec.system, 'system'],
      [spec.owner, 'group'],
    ] as const) {
      if (typeof value !== 'string' || !value) continue;
      try {
        const ref = normalizeRef(value, kind, entity.metadata.namespace);
        const known =
          snapshot.byRef.has(ref) ||
          snapshot.org.groups.has(ref) ||
          snapshot.org.users.has(ref);
        if (!known) missing.push(ref);
      } catch {
        // a malformed ref cannot be looked up
      }
    }
    return missing;
  }

  onCall(entity: Entity, snapshot: Snapshot, at: Date): OnCall | null {
    const found = this.find(entity, snapshot);
    if (!found) return null;
    const { resolution, scheduleEntity } = found;
    const base = {
      source: 'schedule' as const,
      scheduleRef: resolution.scheduleRef,
      ...(resolution.inheritedFrom
        ? { inheritedFrom: resolution.inheritedFrom }
        : {}),
      asOf: new Date().toISOString(),
    };
    if (!scheduleEntity) {
      return {
        ...base,
        primary: null,
        secondary: null,
        until: null,
        status: 'unknown',
        reason: `The schedule ${resolution.scheduleRef} is not in the catalog`,
      };
    }
    const schedule = this.compile(scheduleEntity);
    if (schedule instanceof Error) {
      return {
        ...base,
        primary: null,
        secondary: null,
        until: null,
        status: 'unknown',
        reason: `The schedule ${resolution.scheduleRef} is invalid: ${schedule.message}`,
      };
    }
    const answer = this.answerAt(schedule, at);
    const person = (ref: EntityRef | null) =>
      ref ? personOf(snapshot.org, ref) : null;
    return {
      ...base,
      primary: person(answer.primary),
      secondary: person(answer.secondary),
      until: answer.until?.toISOString() ?? null,
      status: answer.primary || answer.secondary ? 'ok' : 'none',
      ...(answer.primary || answer.secondary
        ? {}
        : { reason: 'Nobody is on call at this time' }),
    };
  }

  /** Which schedule covers the entity (own or inherited), if any. */
  scheduleOf(entity: Entity, snapshot: Snapshot) {
    return this.find(entity, snapshot)?.resolution;
  }

  /** The people and turn of the schedule that covers the entity, if any. */
  rotationOf(
    entity: Entity,
    snapshot: Snapshot,
  ): { members: EntityRef[]; turn: string } | undefined {
    const found = this.find(entity, snapshot);
    if (!found?.scheduleEntity) return undefined;
    const schedule = this.compile(found.scheduleEntity);
    if (schedule instanceof Error) return undefined;
    const spec = found.scheduleEntity.spec as unknown as ScheduleSpec;
    const secondary =
      schedule.secondary === 'next-in-rotation'
        ? []
        : schedule.secondary.members;
    return {
      members: [...schedule.primary.members, ...secondary],
      turn: spec.handoff.turn,
    };
  }

  /** The next shifts of both roles from an instant, for the rotation view. */
  shifts(
    entity: Entity,
    snapshot: Snapshot,
    from: Date,
    count: number,
  ): OnCallShifts | null {
    const found = this.find(entity, snapshot);
    if (!found?.scheduleEntity) return null;
    const schedule = this.compile(found.scheduleEntity);
    if (schedule instanceof Error) return null;
    const view = (role: Role) =>
      nextShifts(schedule, role, from, count).map(s => ({
        role,
        person: personOf(snapshot.org, s.user),
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        override: s.override,
      }));
    return {
      scheduleRef: found.resolution.scheduleRef,
      shifts: [...view('primary'), ...view('secondary')],
    };
  }
}
