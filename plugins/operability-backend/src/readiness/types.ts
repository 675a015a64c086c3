import type { Entity } from '@backstage/catalog-model';
import type {
  CheckEvidence,
  CheckLevel,
  CheckStatus,
} from '@opsready/plugin-operability-common';
import type { OperabilityCheckFilter } from '@opsready/plugin-operability-node';

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

/** Where a check applies: one type for built-in, configured and module checks. */
export type CheckFilter = OperabilityCheckFilter;

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
  /**
   * `YYYY-MM-DD`: before this date (00:00 UTC) the check is evaluated and
   * shown as upcoming but counts towards neither score nor level.
   */
  enforcedFrom?: string;
}

export interface Rubric {
  checks: CheckDefinition[];
  /** Facts older than this are unknown. */
  maxFactAgeMs: number;
}

/** What a built-in evaluator or a condition concludes. */
export interface CheckOutcome {
  status: Extract<CheckStatus, 'pass' | 'fail' | 'unknown'>;
  message: string;
  evidence: CheckEvidence[];
  /** Set when stale facts were used: since when (the oldest) and why. */
  stale?: { since: string; reason: string };
}

/** What an evaluator is given for one entity. */
export interface EvaluatorInput {
  entity: Entity;
  facts: EntityFacts;
  now: Date;
}

/**
 * An evaluator: pure, no I/O. `facts` lists the fact names it reads, so
 * configuration can be checked against the facts that providers declare.
 *
 * - `factPolicy: 'all'` (the default): every fact in `facts` must be collected
 *   and younger than the rubric's maximum age, else the check is `unknown`
 *   and the evaluator is not called.
 * - `factPolicy: 'any'`: the evaluator is called when at least one of its
 *   facts is usable; it sees only the usable ones (a missing or too-old fact
 *   is absent from the map it gets).
 */
export interface BuiltinEvaluator {
  id: string;
  facts: string[];
  factPolicy?: 'all' | 'any';
  evaluate(input: EvaluatorInput): CheckOutcome;
}

/**
 * A check as one unit: its definition (what the rubric, `GET /v1/checks` and
 * the results show) and its evaluator, whose id is the check's id. The
 * built-in checks are units, one file per category under `checks/`; a
 * module's checks become units too. The default rubric and the evaluators
 * are both derived from one list of units.
 */
export interface CheckUnit {
  readonly definition: CheckDefinition;
  readonly evaluator: BuiltinEvaluator;
}
