import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { entityRefOf } from '@opsready/plugin-operability-common';

/**
 * Which catalog entities one caller may read, for the routes that answer
 * from the plugin's own snapshot and store (lists, search, roll-ups).
 *
 * `key` names the visible set: two callers with the same key see the same
 * entities, so caches may be shared under it and never across keys.
 */
export interface Visibility {
  key: string;
  /** True when the caller may read every entity. */
  all: boolean;
  canSee(entityRef: string): boolean;
}

const EVERYTHING: Visibility = { key: 'all', all: true, canSee: () => true };
const NOTHING: Visibility = { key: 'none', all: false, canSee: () => false };

export interface CatalogVisibilityOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Kinds the lists can name: scored entities and the teams that own them. */
  kinds: string[];
  /** How long a conditional caller's visible set is kept. */
  ttlMs: number;
  /** At most this many visible sets are kept. */
  maxEntries?: number;
}

/**
 * Applies `catalog.entity.read` to what the plugin lists.
 *
 * An ALLOW or DENY decision costs one permission request. A CONDITIONAL one
 * (rules such as "owned by the caller") is evaluated by the catalog itself,
 * with the caller's credentials, so any rule a site adds to its catalog holds
 * here too: the refs the catalog returns are the visible set. Sets are kept
 * for a short while under their conditions, which differ whenever the
 * visible entities may differ.
 */
export class CatalogVisibility {
  private readonly sets = new Map<
    string,
    { expires: number; refs: Promise<Set<string>> }
  >();

  constructor(private readonly options: CatalogVisibilityOptions) {}

  async forCaller(credentials: BackstageCredentials): Promise<Visibility> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return EVERYTHING;
    if (decision.result !== AuthorizeResult.CONDITIONAL) return NOTHING;
    const key = `conditional:${JSON.stringify(decision.conditions)}`;
    const refs = await this.visibleRefs(key, credentials);
    return { key, all: false, canSee: ref => refs.has(ref) };
  }

  private visibleRefs(
    key: string,
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const now = Date.now();
    const cached = this.sets.get(key);
    if (cached && cached.expires > now) return cached.refs;
    if (this.sets.size >= (this.options.maxEntries ?? 1000)) {
      for (const [k, v] of this.sets) if (v.expires <= now) this.sets.delete(k);
      if (this.sets.size >= (this.options.maxEntries ?? 1000))
        this.sets.clear();
    }
    const refs = this.readVisibleRefs(credentials);
    this.sets.set(key, { expires: now + this.options.ttlMs, refs });
    // A failed read is not kept: the next request asks again.
    refs.catch(() => this.sets.delete(key));
    return refs;
  }

  private async readVisibleRefs(
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const refs = new Set<string>();
    for await (const page of this.options.catalog.streamEntities(
      {
        filter: { kind: this.options.kinds },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    )) {
      for (const entity of page) refs.add(entityRefOf(entity));
    }
    return refs;
  }
}
