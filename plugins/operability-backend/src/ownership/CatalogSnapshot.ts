import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EntityRef } from '@opsready/plugin-operability-common';
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
}

/**
 * A short-lived copy of what the plugin needs from the catalog, read in batches
 * (one stream each for the organisation, the scored kinds and the Schedules) with the plugin's
 * own credentials. Concurrent callers share one load; when a reload fails the
 * last good snapshot is served and the failure logged.
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
    },
  ) {}

  /**
   * The snapshot, reloaded when older than the TTL or than `maxAgeMs`. Callers
   * that miss something (a team, a schedule) ask again with a short `maxAgeMs`,
   * so a catalog that changed since the last load is seen at once.
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
      this.loading = this.load()
        .then(snapshot => {
          this.current = snapshot;
          return snapshot;
        })
        .catch(error => {
          if (!this.current) throw error;
          this.options.logger.warn(
            `Catalog read failed, serving the snapshot from ${this.current.loadedAt.toISOString()}: ${error}`,
          );
          return this.current;
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }

  private async load(): Promise<Snapshot> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const collect = async (kinds: string[], fields?: string[]) => {
      const out: Entity[] = [];
      for await (const page of catalog.streamEntities(
        { filter: { kind: kinds }, ...(fields ? { fields } : {}) },
        { credentials },
      )) {
        out.push(...page);
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
