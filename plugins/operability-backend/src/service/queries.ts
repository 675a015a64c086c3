import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  EntityReport,
  OnCall,
  Ownership,
  Page,
  Readiness,
  ScorecardRow,
  TeamRollup,
  WhoOwnsResult,
} from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type { z } from 'zod';
import type { OperabilityStore } from '../database/OperabilityStore';
import type { OnCallService } from '../oncall/OnCallService';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { CatalogSnapshot, Snapshot } from '../ownership/CatalogSnapshot';
import { resolveOwnership } from '../ownership/orgIndex';
import type { Rubric } from '../readiness/types';
import type { CatalogVisibility, Visibility } from './CatalogVisibility';
import { rollUpTeams } from './rollups';
import type { scorecardsQuerySchema } from './validation';
import { matchesAlertLabel, matchesText } from './whoOwns';

/** `GET /v1/scorecards`'s query, validated (defaults filled in). */
export type ScorecardsFilters = z.infer<typeof scorecardsQuerySchema>;

/** `GET /v1/who-owns`'s query, validated. */
export interface WhoOwnsQuery {
  q?: string;
  labels: Record<string, string>;
  limit: number;
}

export interface OperabilityQueriesOptions {
  catalog: CatalogService;
  snapshot: CatalogSnapshot;
  /** Who is on call: the one place that asks the on-call providers. */
  onCall: OnCallService;
  scheduleOnCall: ScheduleOnCall;
  store: OperabilityStore;
  rubric: Rubric;
  /** What each caller may read of the catalog, for the lists. */
  visibility: CatalogVisibility;
}

const PAGE_CACHE_MS = 5_000;
/**
 * A page past its time is still answered (while it is recomputed in the
 * background) for this much longer: no caller waits for the database
 * because a busy page expired.
 */
const PAGE_STALE_MS = 30_000;
const PAGE_CACHE_SIZE = 500;
/**
 * Stored readiness, joined with the rubric, kept per entity this long, or
 * until this process writes the store: another replica's cycle (hourly by
 * default) is seen at most this late.
 */
const READINESS_CACHE_MS = 30_000;
const READINESS_CACHE_SIZE = 20_000;

/**
 * A value kept for a while under a key, computed once however many callers
 * ask at the same time (a failure is not kept).
 */
interface Kept<T> {
  expires: number;
  value: Promise<T>;
  /** Set while a newer value is computed in the background. */
  refreshing?: boolean;
}

/**
 * The read answers of the plugin, for one caller: what the REST routes and
 * the actions for agents both answer, so that they answer alike. Each takes
 * the caller's credentials; what the caller may not read in the catalog is
 * not in the answer (single entities are read from the catalog with them,
 * lists keep only what `catalog.entity.read` lets the caller see).
 */
export class OperabilityQueries {
  private readonly checksById: Map<string, Rubric['checks'][number]>;
  private readonly pageCache = new Map<string, Kept<Page<ScorecardRow>>>();
  private readonly readinessCache = new Map<
    string,
    Kept<Readiness | null> & { changeCount: number }
  >();

  constructor(private readonly options: OperabilityQueriesOptions) {
    this.checksById = new Map(options.rubric.checks.map(c => [c.id, c]));
  }

  /**
   * The entity, read from the catalog with the caller's credentials; for a
   * caller who may read every entity, from the plugin's catalog snapshot
   * when it has it (at most the snapshot's age old, `catalogCacheTtl`),
   * which spares a catalog request per page view.
   */
  async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const { visibility, snapshot, catalog } = this.options;
    if ((await visibility.forCaller(credentials)).all) {
      const known = (await snapshot.get()).byRef.get(entityRef);
      if (known) return known;
    }
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return entity;
  }

  /** `GET /v1/entities/:kind/:namespace/:name`: owner, on-call now, readiness. */
  async entityReport(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<EntityReport> {
    return {
      entityRef: entityRefOf(entity),
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      owner: await this.ownershipOf(entity, credentials),
      onCall: await this.onCallFor(entity, new Date(), credentials),
      readiness: await this.readinessOf(entity),
    };
  }

  /**
   * The entity's stored readiness, with each check's remediation; null until
   * evaluated. Kept a few seconds per entity (until this process writes the
   * store again): the answer is shared, not to be changed.
   */
  async readinessOf(entity: Entity): Promise<Readiness | null> {
    const { store } = this.options;
    const ref = entityRefOf(entity);
    const now = Date.now();
    const changeCount = store.changeCount();
    const cached = this.readinessCache.get(ref);
    if (cached && cached.expires > now && cached.changeCount === changeCount) {
      return cached.value;
    }
    const value = store
      .getReport(ref)
      .then(report => this.withRemediation(report?.readiness));
    if (this.readinessCache.size >= READINESS_CACHE_SIZE) {
      this.readinessCache.clear();
    }
    this.readinessCache.set(ref, {
      expires: now + READINESS_CACHE_MS,
      changeCount,
      value,
    });
    value.catch(() => this.readinessCache.delete(ref));
    return value;
  }

  /**
   * On-call for one entity at an instant, from the on-call service (within
   * its request budget). A schedule or team added to the catalog since the
   * last snapshot is found: the snapshot is reloaded when the catalog has it.
   */
  async onCallFor(
    entity: Entity,
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<OnCall | null> {
    const { snapshot, scheduleOnCall, onCall } = this.options;
    await this.reloadIfCatalogHas(
      scheduleOnCall.missingRefs(entity, await snapshot.get()),
      credentials,
    );
    const answers = await onCall.getOnCall({ entities: [entity], at });
    return answers.get(entityRefOf(entity)) ?? null;
  }

  /** `GET …/on-call?at=`: like `onCallFor`, a 404 when nothing covers the entity. */
  async onCallAt(
    entity: Entity,
    at: Date,
    credentials: BackstageCredentials,
  ): Promise<OnCall> {
    const answer = await this.onCallFor(entity, at, credentials);
    if (!answer) {
      throw new NotFoundError(
        `No on-call schedule or provider covers ${entityRefOf(entity)}`,
      );
    }
    return answer;
  }

  async ownershipOf(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<Ownership> {
    const owner = resolveOwnership(
      entity,
      (await this.options.snapshot.get()).org,
    );
    if (owner.resolvedFrom !== 'dangling' || !owner.declared) return owner;
    const reloaded = await this.reloadIfCatalogHas(
      [owner.declared],
      credentials,
    );
    return reloaded ? resolveOwnership(entity, reloaded.org) : owner;
  }

  /**
   * `GET /v1/who-owns`: Components by name, title or repository and/or by
   * the labels an alert carries, with owner and on-call now; only those the
   * caller may read.
   */
  async whoOwns(
    { q, labels, limit }: WhoOwnsQuery,
    credentials: BackstageCredentials,
  ): Promise<{ items: WhoOwnsResult[]; total: number }> {
    const { visibility, snapshot, onCall } = this.options;
    const visible = await visibility.forCaller(credentials);
    const current = await snapshot.get();
    const matches = current.entities.filter(
      e =>
        e.kind.toLowerCase() === 'component' &&
        visible.canSee(entityRefOf(e)) &&
        (q ? matchesText(e, q) : true) &&
        Object.entries(labels).every(([label, value]) =>
          matchesAlertLabel(e, label, value),
        ),
    );
    // One on-call lookup for all the answers (one call per provider).
    const shown = matches.slice(0, limit);
    const onCalls = await onCall.getOnCall({ entities: shown, at: new Date() });
    const items: WhoOwnsResult[] = shown.map(e => ({
      entityRef: entityRefOf(e),
      ...(e.metadata.title ? { title: e.metadata.title } : {}),
      owner: resolveOwnership(e, current.org),
      onCall: onCalls.get(entityRefOf(e)) ?? null,
    }));
    return { items, total: matches.length };
  }

  /**
   * `GET /v1/scorecards`: one page of the evaluated entities the caller may
   * read, filtered and sorted in the database.
   *
   * Many people open the same pages: a page is kept for a few seconds, so
   * "on call now" in a row is at most that old (while a page that is asked
   * for all the time is recomputed, up to half a minute). Callers who may
   * read different entities never share a page; after this process wrote
   * the store, pages are computed anew.
   */
  async scorecards(
    query: ScorecardsFilters,
    credentials: BackstageCredentials,
  ): Promise<Page<ScorecardRow>> {
    const { visibility, store } = this.options;
    const visible = await visibility.forCaller(credentials);
    // A page is computed once for all who ask at the same time, and again
    // when this process wrote the store since (a new key). Past its time it
    // is answered while one recomputation runs, for a while.
    const cacheKey = JSON.stringify([visible.key, store.changeCount(), query]);
    const now = Date.now();
    const cached = this.pageCache.get(cacheKey);
    if (cached && cached.expires > now) return cached.value;
    if (cached && cached.expires + PAGE_STALE_MS > now) {
      if (!cached.refreshing) {
        cached.refreshing = true;
        const next = this.scorecardsPage(query, visible);
        next.then(
          () =>
            this.pageCache.set(cacheKey, {
              expires: Date.now() + PAGE_CACHE_MS,
              value: next,
            }),
          () => {
            cached.refreshing = false;
          },
        );
      }
      return cached.value;
    }
    const value = this.scorecardsPage(query, visible);
    if (this.pageCache.size >= PAGE_CACHE_SIZE) this.pageCache.clear();
    this.pageCache.set(cacheKey, { expires: now + PAGE_CACHE_MS, value });
    value.catch(() => this.pageCache.delete(cacheKey));
    return value;
  }

  /**
   * `GET /v1/scorecards.csv`: every row of `/v1/scorecards` for the same
   * filters and sort, a page at a time (not kept: an export is asked for
   * once), so that a large catalog is never held whole.
   *
   * Pages are large (offset paging rereads what it skips: 100,000 rows took
   * 76 s in pages of 500 and 6 s in pages of 5,000 on SQLite), and what the
   * caller may not read is left out of each page here rather than by the
   * store, which would list every visible ref again for each page.
   */
  async *allScorecards(
    query: Omit<ScorecardsFilters, 'limit' | 'cursor'>,
    credentials: BackstageCredentials,
    pageSize = 5_000,
  ): AsyncGenerator<ScorecardRow[]> {
    const { visibility, store } = this.options;
    const visible = await visibility.forCaller(credentials);
    for (let offset = 0; ; offset += pageSize) {
      const { rows } = await store.listReports({
        ...query,
        kind: query.kind ?? 'component',
        limit: pageSize,
        offset,
      });
      const shown = visible.all
        ? rows
        : rows.filter(row => visible.canSee(row.entityRef));
      if (shown.length > 0) yield await this.scorecardRows(shown);
      if (rows.length < pageSize) return;
    }
  }

  /**
   * `GET /v1/teams` and `/v1/teams.csv`: per owning team, the roll-up of the
   * services the caller may read; only the teams the caller may read.
   */
  async teams(credentials: BackstageCredentials): Promise<TeamRollup[]> {
    const { visibility, snapshot, store } = this.options;
    const visible = await visibility.forCaller(credentials);
    const current = await snapshot.get();
    const reports = (await store.listReportSummaries()).filter(r =>
      visible.canSee(r.entityRef),
    );
    return rollUpTeams(reports, current.org).filter(team =>
      visible.canSee(team.ref),
    );
  }

  private async scorecardsPage(
    query: ScorecardsFilters,
    visible: Visibility,
  ): Promise<Page<ScorecardRow>> {
    const { store } = this.options;
    const offset = query.cursor ? Number(query.cursor) : 0;
    const { rows, total } = await store.listReports({
      ...query,
      kind: query.kind ?? 'component',
      offset,
      ...(visible.all ? {} : { visible: visible.canSee }),
    });
    return {
      items: await this.scorecardRows(rows),
      total,
      ...(offset + query.limit < total
        ? { nextCursor: String(offset + query.limit) }
        : {}),
    };
  }

  /** Stored report rows as the services table shows them, with on-call now. */
  private async scorecardRows(
    rows: Awaited<ReturnType<OperabilityStore['listReports']>>['rows'],
  ): Promise<ScorecardRow[]> {
    const { snapshot, onCall } = this.options;
    const current = await snapshot.get();
    // One on-call lookup for the whole page (one call per provider).
    const onCalls = await onCall.getOnCall({
      entities: rows.flatMap(row => {
        const entity = current.byRef.get(row.entityRef);
        return entity ? [entity] : [];
      }),
      at: new Date(),
    });
    const items: ScorecardRow[] = rows.map(row => {
      const entity = current.byRef.get(row.entityRef);
      const team = row.ownerRef
        ? current.org.groups.get(row.ownerRef)
        : undefined;
      const teamTitle =
        (team?.spec?.profile as { displayName?: string } | undefined)
          ?.displayName ?? team?.metadata.title;
      return {
        entityRef: row.entityRef,
        ...(row.title ? { title: row.title } : {}),
        kind: entity?.kind ?? row.kind,
        ...(row.type ? { type: row.type } : {}),
        ...(row.lifecycle ? { lifecycle: row.lifecycle } : {}),
        ...(row.systemRef ? { system: row.systemRef } : {}),
        owner: {
          declared: row.ownerDeclared,
          ref: row.ownerRef,
          ...(teamTitle ? { title: teamTitle } : {}),
          resolvedFrom: entity
            ? resolveOwnership(entity, current.org).resolvedFrom
            : undefined,
        },
        onCall: entity ? onCalls.get(row.entityRef) ?? null : null,
        score: row.score,
        level: row.level,
        evaluatedAt: row.evaluatedAt.toISOString(),
        failedChecks: row.failedChecks,
      };
    });
    return items;
  }

  /** Stored reports leave out each check's remediation: the rubric has it. */
  private withRemediation(readiness: Readiness | undefined): Readiness | null {
    if (!readiness) return null;
    return {
      ...readiness,
      checks: readiness.checks.map(check => {
        const definition = this.checksById.get(check.id);
        return definition
          ? {
              ...check,
              remediation: definition.remediation,
              description: definition.description,
            }
          : check;
      }),
    };
  }

  /**
   * When a lookup in the snapshot misses (an owner team or a schedule not
   * found), the catalog is asked, with the caller's credentials, for just
   * the missing refs; only if it has them now is the snapshot reloaded.
   */
  private async reloadIfCatalogHas(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Snapshot | undefined> {
    if (refs.length === 0) return undefined;
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    if (!items.some(Boolean)) return undefined;
    return this.options.snapshot.get({ maxAgeMs: 0 });
  }
}
