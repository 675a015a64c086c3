import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EntityRef, StaleMark } from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import { buildOrgIndex, OrgIndex } from './orgIndex';

/** Kinds whose entities the operability views list. */
export const SCORED_KINDS = ['Component', 'API', 'Resource', 'System'];

export interface Snapshot {
  org: OrgIndex;
  /** Entities of the scored kinds. */
  entities: Entity[];
  /** Entities of the scored kinds, by lower-case ref. */
  byRef: Map<EntityRef, Entity>;
  /** Schedule entities, by lower-case ref. */
  schedules: Map<EntityRef, Entity>;
  loadedAt: Date;
  /**
   * Set when a reload was asked for and failed (the catalog was down, too
   * slow, or answered something that is not entities), so this, the last good
   * snapshot, was served instead: `since` is its `loadedAt`, `reason` why the
   * reload failed. Absent on a snapshot that is as fresh as asked.
   */
  stale?: StaleMark;
}

/** An error's message with the messages of its causes: `fetch failed: connect ECONNREFUSED …`. */
function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    const message =
      current instanceof Error ? current.message : String(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

/** Whether a value from the catalog is an entity at all: an object with a kind and a name. */
function isEntity(value: unknown): value is Entity {
  const e = value as Partial<Entity> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.kind === 'string' &&
    typeof e.metadata === 'object' &&
    e.metadata !== null &&
    typeof e.metadata.name === 'string'
  );
}

/**
 * A short-lived copy of what the plugin needs from the catalog, read in batches
 * (one stream each for the organisation, the scored kinds and the Schedules) with the plugin's
 * own credentials. Concurrent callers share one load; when a reload fails (or
 * takes longer than `readTimeoutMs`, or the catalog answers something that is
 * not entities) the last good snapshot is served, marked `stale` with the
 * reason, and the failure logged.
 */
export class CatalogSnapshot {
  private current?: Snapshot;
  private loading?: Promise<Snapshot>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      ttlMs: number;
      /** How long one read of the catalog may take; without it, as long as it takes. */
      readTimeoutMs?: number;
    },
  ) {}

  /**
   * The snapshot, reloaded when older than the TTL or than `maxAgeMs`. Callers
   * that miss something (a team, a schedule) ask again with a short `maxAgeMs`,
   * so a catalog that changed since the last load is seen at once.
   *
   * When that reload fails, the last good snapshot is returned with `stale`
   * set (a copy: the one kept stays unmarked); only without one does `get`
   * throw. The readiness cycle asks with `maxAgeMs: 0` and treats a `stale`
   * snapshot as a failed catalog read.
   */
  async get(options: { maxAgeMs?: number } = {}): Promise<Snapshot> {
    const age = this.current
      ? Date.now() - this.current.loadedAt.getTime()
      : Infinity;
    if (options.maxAgeMs === undefined && this.current) {
      // Past the TTL, callers get the current snapshot at once while one
      // reload runs in the background: no request waits for the catalog.
      if (age >= this.options.ttlMs) void this.reload().catch(() => {});
      return this.current;
    }
    if (age < Math.min(options.maxAgeMs ?? Infinity, this.options.ttlMs)) {
      return this.current!;
    }
    return this.reload();
  }

  /**
   * The snapshot last loaded, without loading: for synchronous questions
   * (does a schedule cover this entity?) asked right after a `get`.
   */
  peek(): Snapshot | undefined {
    return this.current;
  }

  private reload(): Promise<Snapshot> {
    if (!this.loading) {
      this.loading = this.loadInTime()
        .then(snapshot => {
          this.current = snapshot;
          return snapshot;
        })
        .catch(error => {
          if (!this.current) throw error;
          const since = this.current.loadedAt.toISOString();
          const reason = `Catalog read failed: ${describeError(error)}`;
          this.options.logger.warn(
            `${reason}; serving the snapshot from ${since}`,
          );
          return { ...this.current, stale: { since, reason } };
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  /** A load bounded by `readTimeoutMs`: past it, the read is given up. */
  private async loadInTime(): Promise<Snapshot> {
    const { readTimeoutMs } = this.options;
    if (readTimeoutMs === undefined) return this.load();
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.load(abort.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            abort.abort();
            reject(new Error(`timed out after ${readTimeoutMs} ms`));
          }, readTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async load(signal?: AbortSignal): Promise<Snapshot> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const collect = async (kinds: string[], fields?: string[]) => {
      const out: Entity[] = [];
      let malformed = 0;
      for await (const page of catalog.streamEntities(
        { filter: { kind: kinds }, ...(fields ? { fields } : {}) },
        { credentials },
      )) {
        // A read that timed out stops at the next page.
        if (signal?.aborted) throw new Error('catalog read given up');
        for (const entity of page) {
          if (isEntity(entity)) out.push(entity);
          else malformed++;
        }
      }
      if (malformed > 0) {
        // The catalog never sends these: the answer is broken, not the entities.
        throw new Error(
          `the catalog answered ${malformed} ${
            malformed === 1
              ? 'item that is not an entity'
              : 'items that are not entities'
          } (no kind or metadata.name) for kind ${kinds.join(', ')}`,
        );
      }
      return out;
    };
    const orgFields = [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'metadata.annotations',
      'spec.profile',
      'spec.type',
      'relations',
    ];
    const [org, entities, schedules] = await Promise.all([
      collect(['Group', 'User'], orgFields),
      collect(SCORED_KINDS),
      collect(['Schedule']),
    ]);
    return {
      org: buildOrgIndex(
        org.filter(e => e.kind === 'Group'),
        org.filter(e => e.kind === 'User'),
      ),
      entities,
      byRef: new Map(entities.map(e => [entityRefOf(e), e])),
      schedules: new Map(schedules.map(e => [entityRefOf(e), e])),
      loadedAt: new Date(),
    };
  }
}
