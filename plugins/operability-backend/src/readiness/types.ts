import type { Entity } from '@backstage/catalog-model';
import type {
  CheckEvidence,
  CheckLevel,
  CheckStatus,
} from '@opsready/plugin-operability-common';

/**
 * One fact about one entity, as the evaluator sees it.
 */
export interface FactRecord {
  value: unknown;
  /** Where it came from: a provider id plus a URL, file or route. */
  source: string;
  /** ISO instant of the collection that produced this value. */
  collectedAt: string;
  evidence?: CheckEvidence[];
  /**
   * Set when the latest collection failed and this is the last good value,
   * kept: why the latest collection failed.
   */
  staleReason?: string;
}

/** Facts of one entity by fact name. A name that is absent was never collected. */
export type EntityFacts = ReadonlyMap<string, FactRecord>;

/** Where a check applies. Every given field must match; values within a field are alternatives. */
export interface CheckFilter {
  kind?: string[];
  type?: string[];
  lifecycle?: string[];
  /** The entity has at least one of these tags. */
  tags?: string[];
  /** Owner refs (full or short, e.g. `group:default/payments` or `payments`). */
  owner?: string[];
}

export type ConditionOperator =
  | 'equal'
  | 'notEqual'
  | 'greaterThan'
  | 'greaterThanInclusive'
  | 'lessThan'
  | 'lessThanInclusive'
  | 'in'
  | 'notIn'
  | 'contains'
  | 'doesNotContain'
  | 'exists'
  | 'notExists'
  | 'matches';

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { fact: string; operator: ConditionOperator; value?: unknown };

export interface CheckDefinition {
  /** Stable id, `<category>.<name>`. */
  id: string;
  title: string;
  category: string;
  level: CheckLevel;
  weight: number;
  filter?: CheckFilter;
  /** Why the check matters. */
  description: string;
  /** How to fix a failure. */
  remediation: string;
  /** Exactly one of: a built-in evaluator's id, or a declarative condition. */
  evaluator?: string;
  condition?: Condition;
}

export interface Rubric {
  checks: CheckDefinition[];
  /** Facts older than this are unknown. */
  maxFactAgeMs: number;
}

export interface Exemption {
  id: string;
  entityRef: string;
  checkId: string;
  reason: string;
  author: string;
  /** ISO instant; the exemption stops counting at this instant. */
  expiresAt: string;
}

/** What a built-in evaluator or a condition concludes. */
export interface CheckOutcome {
  status: Extract<CheckStatus, 'pass' | 'fail' | 'unknown'>;
  message: string;
  evidence: CheckEvidence[];
  /** Set when stale facts were used: since when (the oldest) and why. */
  stale?: { since: string; reason: string };
}

/**
 * A built-in evaluator: pure, no I/O. `facts` lists the fact names it reads,
 * so configuration can be checked against the facts that providers declare.
 */
export interface BuiltinEvaluator {
  id: string;
  facts: string[];
  evaluate(input: {
    entity: Entity;
    facts: EntityFacts;
    now: Date;
  }): CheckOutcome;
}
