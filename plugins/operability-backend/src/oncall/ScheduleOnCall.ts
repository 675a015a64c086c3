import { Entity } from '@backstage/catalog-model';
import type {
  EntityRef,
  LadderSkip,
  OnCall,
  OnCallShifts,
  ParseScheduleResult,
  Schedule,
  ScheduleOnCallAt,
} from '@opsready/plugin-operability-common';
import {
  entityRefOf,
  onCallWithValidity,
  parseSchedule,
  rotationSummary,
  shiftsFrom,
  skippedLadder,
} from '@opsready/plugin-operability-common';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { normalizeRef, personOf } from '../ownership/orgIndex';
import { resolveSchedule } from './resolveSchedule';

/**
 * How far past the instant asked the ladder looks: a first primary turn
 * planned in the next four weeks (an override, a new member) is judged
 * before it happens, while there is still time to schedule a shadow week.
 */
export const LADDER_LOOKAHEAD_MS = 28 * 86_400_000;

/** The ladder is computed this far beyond what is asked, to be reused. */
const LADDER_REUSE_MS = 7 * 86_400_000;

/**
 * On-call answers from Schedule entities in the catalog. Each Schedule is
 * parsed once per version: parses are cached by entity uid and etag, so a
 * changed Schedule is parsed again and an unchanged one keeps its parse (and
 * its cached answers) across snapshots.
 */
export class ScheduleOnCall {
  private readonly parsed = new Map<
    string,
    { etag: string; result: ParseScheduleResult }
  >();

  /** The last answer per parsed schedule, valid for instants in [from, until). */
  private readonly answers = new WeakMap<
    Schedule,
    { from: number; until: number; answer: ScheduleOnCallAt }
  >();

  /** Who skipped the ladder per parsed schedule, for first turns before `until`. */
  private readonly ladders = new WeakMap<
    Schedule,
    { until: number; skips: LadderSkip[] }
  >();

  /** Which schedule covers which entity, per snapshot (snapshots never change). */
  private readonly resolutions = new WeakMap<
    Snapshot,
    Map<string, ReturnType<ScheduleOnCall['findUncached']>>
  >();

  private answerAt(schedule: Schedule, at: Date): ScheduleOnCallAt {
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

  private parse(entity: Entity): ParseScheduleResult {
    const key = entity.metadata.uid ?? entityRefOf(entity);
    const etag = entity.metadata.etag ?? JSON.stringify(entity.spec);
    const cached = this.parsed.get(key);
    if (cached && cached.etag === etag) return cached.result;
    const result = parseSchedule(entity);
    this.parsed.set(key, { etag, result });
    return result;
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
        shadows: [],
        until: null,
        status: 'unknown',
        reason: `The schedule ${resolution.scheduleRef} is not in the catalog`,
      };
    }
    const { schedule, errors } = this.parse(scheduleEntity);
    if (errors) {
      return {
        ...base,
        primary: null,
        secondary: null,
        shadows: [],
        until: null,
        status: 'unknown',
        reason: `The schedule ${resolution.scheduleRef} is invalid: ${errors
          .map(e => `${e.path}: ${e.message}`)
          .join('; ')}`,
      };
    }
    const answer = this.answerAt(schedule, at);
    const person = (ref: EntityRef | null) =>
      ref ? personOf(snapshot.org, ref) : null;
    return {
      ...base,
      primary: person(answer.primary),
      secondary: person(answer.secondary),
      shadows: answer.shadows.map(ref => personOf(snapshot.org, ref)),
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
    const { schedule } = this.parse(found.scheduleEntity);
    return schedule && rotationSummary(schedule);
  }

  /**
   * Who went straight to primary on the schedule that covers the entity (see
   * `skippedLadder`): first primary turns from the schedule's start up to
   * `at` and the {@link LADDER_LOOKAHEAD_MS} after it. Computed once per
   * schedule version for a week ahead, so the cycles of that week reuse it.
   */
  ladderOf(
    entity: Entity,
    snapshot: Snapshot,
    at: Date,
  ): { timeZone: string; skips: LadderSkip[] } | undefined {
    const found = this.find(entity, snapshot);
    if (!found?.scheduleEntity) return undefined;
    const { schedule } = this.parse(found.scheduleEntity);
    if (!schedule) return undefined;
    const until = at.getTime() + LADDER_LOOKAHEAD_MS;
    let cached = this.ladders.get(schedule);
    if (!cached || cached.until < until) {
      // Skips up to a later instant hold for any earlier one, filtered.
      const computedUntil = until + LADDER_REUSE_MS;
      cached = {
        until: computedUntil,
        skips: skippedLadder(schedule, new Date(computedUntil)),
      };
      this.ladders.set(schedule, cached);
    }
    return {
      timeZone: schedule.timeZone,
      skips: cached.skips.filter(s => s.firstPrimary.getTime() < until),
    };
  }

  /**
   * The next shifts of both roles from an instant, and the shadow windows of
   * those weeks, for the rotation view.
   */
  shifts(
    entity: Entity,
    snapshot: Snapshot,
    from: Date,
    count: number,
  ): OnCallShifts | null {
    const found = this.find(entity, snapshot);
    if (!found?.scheduleEntity) return null;
    const { schedule } = this.parse(found.scheduleEntity);
    if (!schedule) return null;
    return {
      scheduleRef: found.resolution.scheduleRef,
      shifts: shiftsFrom(schedule, from, count).map(s => ({
        role: s.role,
        person: personOf(snapshot.org, s.user),
        start: s.start.toISOString(),
        end: s.end.toISOString(),
        override: s.override,
      })),
    };
  }
}
