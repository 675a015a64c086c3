import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  type CampaignBurndownPoint,
  type CampaignDetail,
  type CampaignServiceItem,
  type CampaignSummary,
  calendarDateOf,
  type EntityCampaign,
  type Page,
} from '@opsready/plugin-operability-common';
import type { OperabilityStore } from '../database/OperabilityStore';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import type { OrgIndex } from '../ownership/orgIndex';
import type { Rubric } from '../readiness/types';
import type { Visibility } from '../service/CatalogVisibility';
import type { CampaignStore } from './CampaignStore';
import {
  type CampaignEntry,
  type CompiledCampaign,
  campaignEntries,
  campaignStateAt,
  compileCampaign,
  teamProgress,
} from './progress';
import type { Campaign } from './types';

export interface CampaignServiceOptions {
  campaigns: readonly Campaign[];
  rubric: Rubric;
  /** The stored reports: what campaigns count, never a re-evaluation. */
  store: Pick<OperabilityStore, 'listReportSummaries'>;
  campaignStore: CampaignStore;
  /** For the filter (tags, owners) and the teams' titles. */
  snapshot: Pick<CatalogSnapshot, 'get'>;
  /** The clock; tests set it. */
  now?: () => Date;
}

/** `GET /v1/campaigns/:id/services`'s query, validated. */
export interface CampaignServicesFilters {
  owner?: string;
  done?: boolean;
  limit: number;
  cursor?: number;
}

/** Every campaign's entries, computed once per stored state. */
interface Computed {
  key: string;
  entries: Map<string, CampaignEntry[]>;
  /** Per entity, the campaigns it is in, by deadline. */
  byEntity: Map<string, EntityCampaign[]>;
  org: OrgIndex;
}

function teamTitle(org: OrgIndex, ref: string): string | undefined {
  const group: Entity | undefined = org.groups.get(ref);
  const profile = group?.spec?.profile as { displayName?: string } | undefined;
  return profile?.displayName ?? group?.metadata.title;
}

/** A bare owner name means `group:default/<name>`, as in `/v1/scorecards`. */
function ownerRefOf(owner: string): string {
  const lower = owner.toLowerCase();
  return lower.includes(':') ? lower : `group:default/${lower}`;
}

/**
 * The campaigns' answers. Progress comes from the stored reports (the
 * readiness cycle's results), not from evaluating anything: all campaigns'
 * entries are computed in one pass over the reports' list columns when the
 * stored reports change (a cycle or a refresh wrote), or the catalog
 * snapshot was reloaded, and kept until then. Each answer keeps only the
 * entities the caller may read.
 */
export class CampaignService {
  readonly #compiled: CompiledCampaign[];
  readonly #byId: Map<string, CompiledCampaign>;
  #computed?: Computed;
  #computing?: { key: string; promise: Promise<Computed> };

  constructor(private readonly options: CampaignServiceOptions) {
    this.#compiled = options.campaigns.map(c =>
      compileCampaign(c, options.rubric),
    );
    this.#byId = new Map(this.#compiled.map(c => [c.campaign.id, c]));
  }

  /** The configured campaigns, compiled. */
  get campaigns(): readonly CompiledCampaign[] {
    return this.#compiled;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Every campaign's entries, from the stored reports; recomputed only when they changed. */
  async entries(): Promise<Computed> {
    const snapshot = await this.options.snapshot.get();
    const key = `${await this.options.campaignStore.reportsVersion()}:${snapshot.loadedAt.getTime()}`;
    if (this.#computed?.key === key) return this.#computed;
    if (this.#computing?.key !== key) {
      const promise = this.compute(key, snapshot).finally(() => {
        if (this.#computing?.promise === promise) this.#computing = undefined;
      });
      this.#computing = { key, promise };
    }
    return this.#computing!.promise;
  }

  private async compute(
    key: string,
    snapshot: Awaited<ReturnType<CampaignServiceOptions['snapshot']['get']>>,
  ): Promise<Computed> {
    const reports = await this.options.store.listReportSummaries();
    const entries = new Map<string, CampaignEntry[]>();
    const byEntity = new Map<string, EntityCampaign[]>();
    const byDeadline = [...this.#compiled].sort(
      (a, b) => a.endMs - b.endMs || a.campaign.id.localeCompare(b.campaign.id),
    );
    for (const compiled of byDeadline) {
      const list = campaignEntries(compiled, reports, snapshot.byRef);
      entries.set(compiled.campaign.id, list);
      for (const e of list) {
        const forEntity = byEntity.get(e.entityRef) ?? [];
        forEntity.push({
          id: compiled.campaign.id,
          title: compiled.campaign.title,
          deadline: compiled.campaign.deadline,
          done: e.done,
          failing: e.failing,
        });
        byEntity.set(e.entityRef, forEntity);
      }
    }
    const computed = { key, entries, byEntity, org: snapshot.org };
    this.#computed = computed;
    return computed;
  }

  private summary(
    compiled: CompiledCampaign,
    entries: readonly CampaignEntry[],
  ): CampaignSummary {
    const { campaign } = compiled;
    return {
      id: campaign.id,
      title: campaign.title,
      ...(campaign.description ? { description: campaign.description } : {}),
      start: campaign.start,
      deadline: campaign.deadline,
      state: campaignStateAt(compiled, this.now().getTime()),
      target: campaign.target,
      total: entries.length,
      done: entries.filter(e => e.done).length,
    };
  }

  private visibleEntries(
    computed: Computed,
    id: string,
    visible: Visibility,
  ): CampaignEntry[] {
    const all = computed.entries.get(id) ?? [];
    return visible.all ? all : all.filter(e => visible.canSee(e.entityRef));
  }

  private compiledOf(id: string): CompiledCampaign {
    const compiled = this.#byId.get(id);
    if (!compiled) throw new NotFoundError(`No campaign '${id}'`);
    return compiled;
  }

  /** `GET /v1/campaigns`: every campaign with its progress, by deadline. */
  async list(visible: Visibility): Promise<CampaignSummary[]> {
    const computed = await this.entries();
    return [...computed.entries.keys()].map(id =>
      this.summary(
        this.#byId.get(id)!,
        this.visibleEntries(computed, id, visible),
      ),
    );
  }

  /**
   * `GET /v1/campaigns/:id`: progress, per team, and the burndown: the
   * points the daily task stored, with today's replaced by the current
   * count. The stored points count every entity in scope, so a caller who
   * may not read every entity gets only today's point, of what they may read.
   */
  async get(id: string, visible: Visibility): Promise<CampaignDetail> {
    const compiled = this.compiledOf(id);
    const computed = await this.entries();
    const entries = this.visibleEntries(computed, id, visible);
    const summary = this.summary(compiled, entries);
    const teams = teamProgress(entries, ref =>
      teamTitle(computed.org, ref),
    ).filter(t => visible.canSee(t.ref));

    const burndown: CampaignBurndownPoint[] = [];
    if (summary.state !== 'upcoming') {
      const today = calendarDateOf(this.now());
      const last =
        today < compiled.campaign.deadline ? today : compiled.campaign.deadline;
      if (visible.all) {
        for (const p of await this.options.campaignStore.burndown(
          id,
          compiled.campaign.start,
          last,
        )) {
          if (p.date !== today) {
            burndown.push({ date: p.date, remaining: p.remaining });
          }
        }
      }
      if (summary.state === 'active') {
        burndown.push({
          date: today,
          remaining: summary.total - summary.done,
        });
      }
    }
    return { ...summary, teams, burndown };
  }

  /** `GET /v1/campaigns/:id/services`: a page of the services in scope, open ones first. */
  async services(
    id: string,
    query: CampaignServicesFilters,
    visible: Visibility,
  ): Promise<Page<CampaignServiceItem>> {
    this.compiledOf(id);
    const computed = await this.entries();
    let entries = this.visibleEntries(computed, id, visible);
    if (query.owner !== undefined) {
      const owner = ownerRefOf(query.owner);
      entries = entries.filter(
        e => e.owner === owner || e.declaredOwner === owner,
      );
    }
    if (query.done !== undefined) {
      entries = entries.filter(e => e.done === query.done);
    }
    const offset = query.cursor ?? 0;
    const items = entries.slice(offset, offset + query.limit).map(e => ({
      entityRef: e.entityRef,
      owner: e.owner,
      done: e.done,
      failing: e.failing,
    }));
    return {
      items,
      total: entries.length,
      ...(offset + query.limit < entries.length
        ? { nextCursor: String(offset + query.limit) }
        : {}),
    };
  }

  /**
   * The campaigns an entity is in, for its report; undefined when no
   * campaign is configured. (The caller has read the entity already.)
   */
  async forEntity(entityRef: string): Promise<EntityCampaign[] | undefined> {
    if (this.#compiled.length === 0) return undefined;
    return (await this.entries()).byEntity.get(entityRef) ?? [];
  }
}
