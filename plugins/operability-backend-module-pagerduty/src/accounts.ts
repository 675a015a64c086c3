import {
  type EntityRef,
  entityRefOf,
} from '@opsready/plugin-operability-common';
import type {
  OnCallProvider,
  OnCallProviderAnswer,
  OnCallRotation,
  PageBatch,
  PageSource,
  PrimaryTurn,
} from '@opsready/plugin-operability-node';
import { accountOf, PAGERDUTY_ANNOTATIONS } from './annotations';

type Entity = Parameters<OnCallProvider['covers']>[0];

/**
 * Splits entities by the PagerDuty account they name
 * (`pagerduty.com/account`, else the default account, listed first).
 * Entities naming an account that is not configured are returned apart.
 */
function byAccount<T>(
  accounts: Map<string, T>,
  defaultId: string,
  entities: Entity[],
): { groups: Map<string, Entity[]>; unknown: Map<EntityRef, string> } {
  const groups = new Map<string, Entity[]>();
  const unknown = new Map<EntityRef, string>();
  for (const entity of entities) {
    const id = accountOf(entity) ?? defaultId;
    if (!accounts.has(id)) {
      unknown.set(
        entityRefOf(entity),
        `${
          PAGERDUTY_ANNOTATIONS.account
        }: no PagerDuty account '${id}' is configured (pagerDuty.accounts has ${[
          ...accounts.keys(),
        ]
          .map(a => `'${a}'`)
          .join(', ')})`,
      );
      continue;
    }
    const list = groups.get(id) ?? [];
    list.push(entity);
    groups.set(id, list);
  }
  return { groups, unknown };
}

/**
 * On-call from several PagerDuty accounts (`pagerDuty.accounts`): each
 * entity is answered by the provider of the account it names.
 */
export class PagerDutyAccountsOnCallProvider implements OnCallProvider {
  readonly id = 'pagerduty';
  private readonly defaultId: string;

  /** `providers`: per account id, the default account first. */
  constructor(private readonly providers: Map<string, OnCallProvider>) {
    this.defaultId = [...providers.keys()][0];
  }

  covers(entity: Entity): boolean {
    // An entity that names an account not configured is still PagerDuty's:
    // its answer says why it is unknown.
    return this.providers.get(this.defaultId)!.covers(entity);
  }

  async getOnCall(request: {
    entities: Entity[];
    at: Date;
  }): Promise<Map<EntityRef, OnCallProviderAnswer>> {
    const { groups, unknown } = byAccount(
      this.providers,
      this.defaultId,
      request.entities.filter(e => this.covers(e)),
    );
    const answers = new Map<EntityRef, OnCallProviderAnswer>();
    const asOf = new Date().toISOString();
    for (const [ref, reason] of unknown) {
      answers.set(ref, {
        source: this.id,
        primary: null,
        secondary: null,
        shadows: [],
        until: null,
        status: 'unknown',
        reason,
        asOf,
      });
    }
    const parts = await Promise.all(
      [...groups].map(([id, entities]) =>
        this.providers.get(id)!.getOnCall({ entities, at: request.at }),
      ),
    );
    for (const part of parts) for (const [k, v] of part) answers.set(k, v);
    return answers;
  }

  async getRotations(request: {
    entities: Entity[];
    at?: Date;
  }): Promise<Map<EntityRef, OnCallRotation>> {
    const { groups } = byAccount(
      this.providers,
      this.defaultId,
      request.entities.filter(e => this.covers(e)),
    );
    const rotations = new Map<EntityRef, OnCallRotation>();
    const parts = await Promise.all(
      [...groups].map(
        ([id, entities]) =>
          this.providers.get(id)!.getRotations?.({ ...request, entities }) ??
          new Map<EntityRef, OnCallRotation>(),
      ),
    );
    for (const part of parts) for (const [k, v] of part) rotations.set(k, v);
    return rotations;
  }
}

/** Pages from several PagerDuty accounts, each entity from the account it names. */
export class PagerDutyAccountsPageSource implements PageSource {
  readonly id = 'pagerduty';
  private readonly defaultId: string;

  constructor(private readonly sources: Map<string, PageSource>) {
    this.defaultId = [...sources.keys()][0];
  }

  covers(entity: Entity): boolean {
    return this.sources.get(this.defaultId)!.covers(entity);
  }

  async collect(request: {
    entities: Entity[];
    since: Date;
    until: Date;
  }): Promise<PageBatch> {
    const { groups, unknown } = byAccount(
      this.sources,
      this.defaultId,
      request.entities.filter(e => this.covers(e)),
    );
    const batches = await Promise.all(
      [...groups].map(([id, entities]) =>
        this.sources.get(id)!.collect({ ...request, entities }),
      ),
    );
    const errors = new Map(unknown);
    const turns = new Map<EntityRef, PrimaryTurn[]>();
    const pages: PageBatch['pages'] = [];
    for (const batch of batches) {
      pages.push(...batch.pages);
      for (const [k, v] of batch.turns ?? []) turns.set(k, v);
      for (const [k, v] of batch.errors ?? []) errors.set(k, v);
    }
    return {
      pages,
      ...(turns.size > 0 ? { turns } : {}),
      ...(errors.size > 0 ? { errors } : {}),
    };
  }
}
