import type { SourceProblem } from '@opsready/plugin-operability-common';
import type { FactRecord } from '../types';
import type { LastGoodFacts, ProviderOutcome } from './types';

/** Fresh facts of one provider for one entity: to store, if they changed. */
export interface FreshFacts {
  entityRef: string;
  provider: string;
  facts: Record<string, FactRecord>;
}

/** Last good facts of one provider for one entity, kept and marked stale. */
export interface KeptFacts {
  entityRef: string;
  provider: string;
  /** ISO instant since when they are stale (when they were last good), if known. */
  since?: string;
  /**
   * True when kept because of a problem with this entity's own input (the
   * provider answered for the others), false when the provider failed.
   */
  entityProblem: boolean;
}

export interface MergedFacts {
  /** Per entity, the facts the evaluator gets: fresh, or last good marked stale. */
  facts: Map<string, Map<string, FactRecord>>;
  fresh: FreshFacts[];
  kept: KeptFacts[];
  /** Problems with single entities' inputs, by entity ref, sorted by provider. */
  problems: Map<string, SourceProblem[]>;
  /** Provider id → why it failed as a whole. */
  failures: Record<string, string>;
  /** Provider id → facts kept stale after this cycle. */
  unknownFacts: Record<string, number>;
}

export interface MergeInput {
  refs: readonly string[];
  /** Outcomes by provider id (the order is the merge order). */
  outcomes: ReadonlyMap<string, ProviderOutcome>;
  lastGood: LastGoodFacts;
  /** When each provider last collected successfully, before this cycle. */
  lastSuccess: ReadonlyMap<string, Date>;
}

/**
 * The merge step (pure): each entity's facts from every provider's outcome.
 *
 * - A provider that answered gives its fresh facts. Facts it did not give
 *   are absent (a check on them is unknown).
 * - A provider that failed as a whole, and one that had a problem with this
 *   entity's own input (`errors`), keeps the entity's last good facts, marked
 *   stale with the reason and dated by when they were last good: the stored
 *   `staleSince` if the entity's input already failed before, else the
 *   provider's last success. Facts a provider still gave for an entity with
 *   a problem are not trusted over those: they only fill in facts that were
 *   never collected, and are not stored. Without stored facts, a failed
 *   provider's own last good source (the catalog's last snapshot) is used;
 *   without either, nothing is kept.
 */
export function mergeWithLastGood({
  refs,
  outcomes,
  lastGood,
  lastSuccess,
}: MergeInput): MergedFacts {
  const facts = new Map<string, Map<string, FactRecord>>(
    refs.map(ref => [ref, new Map()]),
  );
  const fresh: FreshFacts[] = [];
  const kept: KeptFacts[] = [];
  const problems = new Map<string, SourceProblem[]>();
  const failures: Record<string, string> = {};
  const unknownFacts: Record<string, number> = {};

  for (const [provider, outcome] of outcomes) {
    if (outcome.failure !== undefined) failures[provider] = outcome.failure;
    const previous = lastGood.get(provider);
    const providerSince = lastSuccess.get(provider)?.toISOString();
    let unknown = 0;
    for (const ref of refs) {
      const merged = facts.get(ref)!;
      const problem = outcome.errors.get(ref);
      if (problem !== undefined) {
        const list = problems.get(ref) ?? [];
        list.push({ provider, message: problem });
        problems.set(ref, list);
      }
      const reason = outcome.failure ?? problem;
      if (reason === undefined) {
        const delivered = outcome.facts.get(ref) ?? {};
        for (const [name, record] of Object.entries(delivered)) {
          merged.set(name, record);
        }
        fresh.push({ entityRef: ref, provider, facts: delivered });
        continue;
      }
      const last = previous?.get(ref);
      if (outcome.failure === undefined) {
        // What the provider still gave for the entity only fills in facts
        // that were never collected: the kept ones below win.
        for (const [name, record] of Object.entries(
          outcome.facts.get(ref) ?? {},
        )) {
          merged.set(name, record);
        }
      }
      const keep =
        last?.facts ??
        (outcome.failure !== undefined ? outcome.facts.get(ref) : undefined);
      const since = last?.staleSince ?? providerSince;
      for (const [name, record] of Object.entries(keep ?? {})) {
        merged.set(name, {
          ...record,
          ...(since ? { collectedAt: since } : {}),
          staleReason: reason,
        });
        unknown++;
      }
      if (last) {
        kept.push({
          entityRef: ref,
          provider,
          ...(since ? { since } : {}),
          entityProblem: outcome.failure === undefined,
        });
      }
    }
    unknownFacts[provider] = unknown;
  }
  for (const list of problems.values()) {
    list.sort((a, b) => a.provider.localeCompare(b.provider));
  }
  return { facts, fresh, kept, problems, failures, unknownFacts };
}
