import type { StoredFactsState } from '../../database/OperabilityStore';
import type { FactRecord } from '../types';

/** Facts of one provider, per entity ref, by fact name. */
export type FactsByEntity = Map<string, Record<string, FactRecord>>;

/** What one provider answered in a cycle. */
export interface ProviderOutcome {
  /**
   * Facts per entity. From a provider that failed as a whole: what it could
   * still read from its own last good source (the catalog facts of the last
   * good snapshot), used only for entities without stored last good facts.
   */
  facts: FactsByEntity;
  /**
   * Problems with single entities' inputs (a rule file that cannot be read),
   * by entity ref: the other entities went on.
   */
  errors: Map<string, string>;
  /** Set when the provider failed as a whole: why. */
  failure?: string;
}

/**
 * One stored facts row as the cycle knows it: its hash and stale mark, and
 * its facts when they were read for this cycle.
 */
export type LastGood = StoredFactsState & {
  facts?: Record<string, FactRecord>;
};

/**
 * The last good facts: provider id → entity ref → stored row. Between cycles
 * only hashes and stale marks are kept in memory; a cycle reads the facts of
 * the rows it keeps (a provider failed, or an entity's own input did) before
 * merging, so `facts` is there for those.
 */
export type LastGoodFacts = ReadonlyMap<string, ReadonlyMap<string, LastGood>>;
