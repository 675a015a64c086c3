import type { Entity } from '@backstage/catalog-model';
import type { FactProvider } from '@opsready/plugin-operability-node';
import { onCallFactsOf } from '../../oncall/onCallFacts';
import type { OnCallService } from '../../oncall/OnCallService';
import type { Snapshot } from '../../ownership/CatalogSnapshot';
import { collectCatalogFacts } from '../collectBuiltinFacts';
import type { FactRecord } from '../types';
import type { FactsByEntity, ProviderOutcome } from './types';

/** The built-in provider of the facts read from the catalog. */
export const CATALOG_PROVIDER = 'catalog';
/** The built-in provider of the facts read from the on-call service. */
export const ON_CALL_PROVIDER = 'on-call';

export interface CollectOptions {
  /** The entities of this cycle, from `snapshot`, and their refs. */
  entities: Entity[];
  refs: string[];
  snapshot: Snapshot;
  onCall: OnCallService;
  factProviders: FactProvider[];
  /** How long each provider's collection may take. */
  providerTimeoutMs: number;
  now: Date;
}

export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} timed out after ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A collection that failed as a whole: an outcome that says why. */
async function settled(
  collection: Promise<ProviderOutcome>,
): Promise<ProviderOutcome> {
  try {
    return await collection;
  } catch (error) {
    return { facts: new Map(), errors: new Map(), failure: messageOf(error) };
  }
}

/**
 * Facts per entity built when first asked for, from what a provider
 * answered for all entities: the cycle asks for a batch of entities at a
 * time and lets each go (`delete`) once merged, so that every entity's facts
 * are never in memory at once. `release` lets the answer for an entity go.
 */
export class FactsOnDemand extends Map<string, Record<string, FactRecord>> {
  constructor(
    private readonly build: (
      ref: string,
    ) => Record<string, FactRecord> | undefined,
    private readonly release?: (ref: string) => void,
  ) {
    super();
  }

  override get(ref: string): Record<string, FactRecord> | undefined {
    let facts = super.get(ref);
    if (facts === undefined) {
      facts = this.build(ref);
      if (facts !== undefined) super.set(ref, facts);
    }
    return facts;
  }

  override has(ref: string): boolean {
    return this.get(ref) !== undefined;
  }

  override delete(ref: string): boolean {
    this.release?.(ref);
    return super.delete(ref);
  }
}

/** The cycle's entities by ref. */
function entitiesByRef(entities: Entity[], refs: string[]) {
  return new Map(entities.map((entity, i) => [refs[i], entity]));
}

/**
 * The catalog facts, read from the snapshot. A snapshot served because the
 * catalog could not be read is a failure of the `catalog` provider, its facts
 * dated by the snapshot's load.
 */
function collectFromCatalog({
  entities,
  refs,
  snapshot,
  now,
}: CollectOptions): ProviderOutcome {
  const collectedAt = snapshot.stale?.since ?? now.toISOString();
  const byRef = entitiesByRef(entities, refs);
  const facts: FactsByEntity = new FactsOnDemand(ref => {
    const entity = byRef.get(ref);
    return entity && collectCatalogFacts(entity, snapshot, collectedAt);
  });
  return {
    facts,
    errors: new Map(),
    ...(snapshot.stale ? { failure: snapshot.stale.reason } : {}),
  };
}

/**
 * On-call facts for every entity: the on-call service's answers and
 * rotations (one call per on-call provider, providers in parallel). The
 * service keeps a failed on-call provider's last good answers and marks them
 * stale; its facts then carry the reason.
 */
async function collectFromOnCall({
  entities,
  refs,
  snapshot,
  onCall,
  providerTimeoutMs,
  now,
}: CollectOptions): Promise<ProviderOutcome> {
  const answers = await onCall.getOnCall({
    entities,
    at: now,
    waitMs: providerTimeoutMs,
  });
  // After the answers: a provider may read its rotations from what the
  // on-call lookup just read (PagerDuty's first-level schedules).
  const rotations = await onCall.getRotations({
    entities,
    at: now,
    waitMs: providerTimeoutMs,
  });
  const collectedAt = now.toISOString();
  const byRef = entitiesByRef(entities, refs);
  const facts: FactsByEntity = new FactsOnDemand(
    ref => {
      const entity = byRef.get(ref);
      return (
        entity &&
        onCallFactsOf(
          entity,
          snapshot,
          answers.get(ref) ?? null,
          rotations.get(ref),
          collectedAt,
        )
      );
    },
    ref => {
      answers.delete(ref);
      rotations.delete(ref);
    },
  );
  return { facts, errors: new Map() };
}

/** One fact provider's batch, within the provider timeout. */
async function collectFromProvider(
  provider: FactProvider,
  { entities, providerTimeoutMs }: CollectOptions,
): Promise<ProviderOutcome> {
  const batch = await withTimeout(
    provider.collect({ entities }),
    providerTimeoutMs,
    `Fact provider ${provider.id}`,
  );
  const facts: FactsByEntity = new Map();
  for (const [ref, values] of batch.facts) {
    facts.set(
      ref,
      Object.fromEntries(
        values.map((v): [string, FactRecord] => [
          v.name,
          {
            value: v.value,
            source: v.source,
            collectedAt: v.collectedAt,
            ...(v.evidence ? { evidence: v.evidence } : {}),
          },
        ]),
      ),
    );
  }
  return { facts, errors: new Map(batch.errors ?? []) };
}

/**
 * The collect step (I/O): every provider at once — the catalog facts from
 * the snapshot, the on-call facts from the on-call service, and each fact
 * provider in one call for all entities, within the provider timeout. A
 * provider's failure is its outcome's `failure`, never a throw.
 *
 * @returns outcomes by provider id: catalog, on-call, then the fact providers
 *   in their order.
 */
export async function collectFacts(
  options: CollectOptions,
): Promise<Map<string, ProviderOutcome>> {
  // On-call runs beside the fact providers, not before them.
  const [onCall, ...fromProviders] = await Promise.all([
    settled(collectFromOnCall(options)),
    ...options.factProviders.map(provider =>
      settled(collectFromProvider(provider, options)),
    ),
  ]);
  return new Map([
    [CATALOG_PROVIDER, collectFromCatalog(options)],
    [ON_CALL_PROVIDER, onCall],
    ...options.factProviders.map((provider, i): [string, ProviderOutcome] => [
      provider.id,
      fromProviders[i],
    ]),
  ]);
}
