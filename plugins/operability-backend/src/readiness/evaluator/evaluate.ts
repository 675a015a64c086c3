import type { Entity } from '@backstage/catalog-model';
import {
  type CheckEvidence,
  type CheckResult,
  entityRefOf,
  type Exemption,
  parseCalendarDate,
  type Level,
  type Readiness,
} from '@opsready/plugin-operability-common';
import type {
  BuiltinEvaluator,
  CheckDefinition,
  CheckFilter,
  CheckOutcome,
  EntityFacts,
  FactRecord,
  Rubric,
} from '../types';
import { BUILTIN_EVALUATORS } from '../checks';
import { compileCondition, type CompiledCondition } from './conditions';
import {
  FACT_MISSING,
  FACT_STALE,
  FactRegistry,
  buildFactTable,
  parseInstant,
  staleNote,
  unusableReason,
  type FactTable,
} from './factTable';
import { normalizeEntityRef, oneLine } from './format';

/**
 * One check's result, with the check's description (why it matters) beside
 * the remediation (how to fix). Assignable to `CheckResult`.
 */
export interface EvaluatedCheck extends CheckResult {
  description: string;
  remediation: string;
}

/** `Readiness` whose checks also carry their description. */
export interface ReadinessReport extends Readiness {
  checks: EvaluatedCheck[];
}

interface CompiledFilter {
  kinds?: ReadonlySet<string>;
  types?: ReadonlySet<string>;
  lifecycles?: ReadonlySet<string>;
  tags?: readonly string[];
  owners?: ReadonlySet<string>;
}

/** One check, ready to run. */
export interface CompiledCheck {
  readonly definition: CheckDefinition;
  readonly filter: CompiledFilter | undefined;
  /** Shown when the filter excludes the entity. */
  readonly notApplicableMessage: string;
  /** Registry slots of the facts the check reads. */
  readonly slots: readonly number[];
  readonly builtin?: BuiltinEvaluator;
  readonly factPolicy: 'all' | 'any';
  readonly condition?: CompiledCondition;
  /** 00:00 UTC of `enforcedFrom`: before it the check is upcoming. */
  readonly enforcedFromMs?: number;
}

/** A rubric compiled once by `compileRubric` and then used by `evaluate`. */
export interface CompiledRubric {
  readonly rubric: Rubric;
  readonly checks: readonly CompiledCheck[];
  readonly registry: FactRegistry;
  readonly maxFactAgeMs: number;
  /** Whether some filter names owners (else the owner is not normalised per entity). */
  readonly usesOwnerFilter: boolean;
}

function lowerSet(values: readonly string[] | undefined) {
  return values && values.length > 0
    ? new Set(values.map(v => v.toLowerCase()))
    : undefined;
}

function exactSet(values: readonly string[] | undefined) {
  return values && values.length > 0 ? new Set(values) : undefined;
}

function compileFilter(filter: CheckFilter | undefined) {
  if (!filter) return undefined;
  const compiled: CompiledFilter = {
    kinds: lowerSet(filter.kind),
    types: exactSet(filter.type),
    lifecycles: exactSet(filter.lifecycle),
    tags: filter.tags && filter.tags.length > 0 ? filter.tags : undefined,
    owners:
      filter.owner && filter.owner.length > 0
        ? new Set(filter.owner.map(o => normalizeEntityRef(o)))
        : undefined,
  };
  return compiled.kinds ||
    compiled.types ||
    compiled.lifecycles ||
    compiled.tags ||
    compiled.owners
    ? compiled
    : undefined;
}

/** A not-applicable check's message: what its filter covers. */
export function describeFilter(filter: CheckFilter | undefined): string {
  if (!filter) return 'does not apply';
  const parts: string[] = [];
  const or = (v: string[]) => v.join(' or ');
  if (filter.kind?.length) parts.push(`kind ${or(filter.kind)}`);
  if (filter.type?.length) parts.push(`type ${or(filter.type)}`);
  if (filter.lifecycle?.length) parts.push(`lifecycle ${or(filter.lifecycle)}`);
  if (filter.tags?.length) parts.push(`tag ${or(filter.tags)}`);
  if (filter.owner?.length) parts.push(`owner ${or(filter.owner)}`);
  return parts.length
    ? `does not apply: the check covers ${parts.join(', ')}`
    : 'does not apply';
}

/**
 * Compiles a rubric once: filters become sets, conditions become closures
 * with their RegExps built, evaluators are looked up, fact names get slots.
 * Throws when a check names an evaluator that is not in `evaluators`, has
 * neither or both of `evaluator` and `condition`, or has an invalid condition.
 */
export function compileRubric(
  rubric: Rubric,
  evaluators: ReadonlyMap<string, BuiltinEvaluator> = BUILTIN_EVALUATORS,
): CompiledRubric {
  const registry = new FactRegistry();
  const checks = rubric.checks.map((definition): CompiledCheck => {
    let enforcedFromMs: number | undefined;
    if (definition.enforcedFrom !== undefined) {
      enforcedFromMs = parseCalendarDate(definition.enforcedFrom);
      if (enforcedFromMs === undefined) {
        throw new Error(
          `Check '${definition.id}' has an invalid enforcedFrom '${definition.enforcedFrom}' (expected YYYY-MM-DD)`,
        );
      }
    }
    const base = {
      definition,
      filter: compileFilter(definition.filter),
      notApplicableMessage: describeFilter(definition.filter),
      ...(enforcedFromMs !== undefined ? { enforcedFromMs } : {}),
    };
    if (definition.evaluator !== undefined && definition.condition) {
      throw new Error(
        `Check '${definition.id}' has both an evaluator and a condition`,
      );
    }
    if (definition.condition) {
      let condition: CompiledCondition;
      try {
        condition = compileCondition(definition.condition, registry);
      } catch (error) {
        throw new Error(
          `Check '${definition.id}': ${(error as Error).message}`,
        );
      }
      return { ...base, slots: condition.slots, condition, factPolicy: 'all' };
    }
    if (definition.evaluator === undefined) {
      throw new Error(
        `Check '${definition.id}' has neither an evaluator nor a condition`,
      );
    }
    const builtin = evaluators.get(definition.evaluator);
    if (!builtin) {
      throw new Error(
        `Check '${definition.id}' uses unknown evaluator '${definition.evaluator}'`,
      );
    }
    return {
      ...base,
      builtin,
      factPolicy: builtin.factPolicy ?? 'all',
      slots: builtin.facts.map(f => registry.slot(f)),
    };
  });
  return {
    rubric,
    checks,
    registry,
    maxFactAgeMs: rubric.maxFactAgeMs,
    usesOwnerFilter: checks.some(c => c.filter?.owners !== undefined),
  };
}

const compiledDefaults = new WeakMap<Rubric, CompiledRubric>();

function isCompiled(r: Rubric | CompiledRubric): r is CompiledRubric {
  return (r as CompiledRubric).registry instanceof FactRegistry;
}

// ---------------------------------------------------------------------------

interface EntityAttributes {
  kind: string;
  type: string | undefined;
  lifecycle: string | undefined;
  tags: readonly string[];
  owner: string | undefined;
}

function attributesOf(entity: Entity, withOwner: boolean): EntityAttributes {
  const spec = entity.spec ?? {};
  const owner =
    withOwner && typeof spec.owner === 'string' ? spec.owner : undefined;
  return {
    kind: entity.kind.toLowerCase(),
    type: typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    tags: entity.metadata.tags ?? [],
    owner: owner
      ? normalizeEntityRef(
          owner,
          'group',
          entity.metadata.namespace ?? 'default',
        )
      : undefined,
  };
}

function applies(filter: CompiledFilter | undefined, e: EntityAttributes) {
  if (!filter) return true;
  if (filter.kinds && !filter.kinds.has(e.kind)) return false;
  if (filter.types && (e.type === undefined || !filter.types.has(e.type))) {
    return false;
  }
  if (
    filter.lifecycles &&
    (e.lifecycle === undefined || !filter.lifecycles.has(e.lifecycle))
  ) {
    return false;
  }
  if (filter.tags && !filter.tags.some(t => e.tags.includes(t))) return false;
  if (filter.owners && (e.owner === undefined || !filter.owners.has(e.owner))) {
    return false;
  }
  return true;
}

/**
 * A filter of a check's shape as a predicate over entities, matching exactly
 * as a check's filter does (kinds any case, owners normalised to full refs).
 * Without a filter (or an empty one) every entity matches.
 */
export function entityFilter(
  filter: CheckFilter | undefined,
): (entity: Entity) => boolean {
  const compiled = compileFilter(filter);
  if (!compiled) return () => true;
  const withOwner = compiled.owners !== undefined;
  return entity => applies(compiled, attributesOf(entity, withOwner));
}

/** The active exemption per check id: for this entity, expiresAt > now; the latest expiry wins. */
function activeExemptions(
  entity: Entity,
  exemptions: readonly Exemption[],
  nowMs: number,
): Map<string, Exemption> | undefined {
  if (exemptions.length === 0) return undefined;
  const ref = entityRefOf(entity);
  let active: Map<string, Exemption> | undefined;
  for (const exemption of exemptions) {
    if (exemption.entityRef.toLowerCase() !== ref) continue;
    const expires = parseInstant(exemption.expiresAt);
    if (!(expires > nowMs)) continue; // expired (at expiresAt exactly too) or invalid
    active ??= new Map();
    const previous = active.get(exemption.checkId);
    if (!previous || parseInstant(previous.expiresAt) < expires) {
      active.set(exemption.checkId, exemption);
    }
  }
  return active;
}

function unknownOutcome(reasons: string[]): CheckOutcome {
  return {
    status: 'unknown',
    message: reasons.join('; '),
    evidence: reasons.map(text => ({ kind: 'fact', text })),
  };
}

function runBuiltin(
  check: CompiledCheck,
  entity: Entity,
  table: FactTable,
  facts: EntityFacts,
  now: Date,
): CheckOutcome {
  const { slots } = check;
  const states = table.states;
  let reasons: string[] | undefined;
  let usable = 0;
  for (let i = 0; i < slots.length; i++) {
    if (states[slots[i]] < FACT_MISSING) usable++;
    else (reasons ??= []).push(unusableReason(table, slots[i])!);
  }
  let input = facts;
  if (reasons) {
    if (check.factPolicy === 'all' || usable === 0) {
      return unknownOutcome(reasons);
    }
    // 'any': hand the evaluator only the usable facts.
    const subset = new Map<string, FactRecord>();
    for (const slot of slots) {
      if (unusableReason(table, slot) === undefined) {
        subset.set(table.names[slot], table.records[slot]!);
      }
    }
    input = subset;
  }
  try {
    return check.builtin!.evaluate({ entity, facts: input, now });
  } catch (error) {
    return {
      status: 'unknown',
      message: oneLine(
        `evaluator ${check.builtin!.id} failed: ${(error as Error).message}`,
      ),
      evidence: [],
    };
  }
}

function runCheck(
  check: CompiledCheck,
  entity: Entity,
  table: FactTable,
  facts: EntityFacts,
  now: Date,
): CheckOutcome {
  const outcome = check.condition
    ? check.condition.evaluate(table)
    : runBuiltin(check, entity, table, facts, now);
  if (outcome.status === 'unknown') return outcome;
  // Stale but young facts still count; say so, and since when (the oldest).
  let notes: string | undefined;
  let stale: CheckOutcome['stale'];
  const { slots } = check;
  for (let i = 0; i < slots.length; i++) {
    if (table.states[slots[i]] === FACT_STALE) {
      const note = staleNote(table, slots[i]);
      notes = notes ? `${notes}; ${note}` : note;
      const record = table.records[slots[i]]!;
      if (
        !stale ||
        parseInstant(record.collectedAt) < parseInstant(stale.since)
      ) {
        stale = { since: record.collectedAt, reason: record.staleReason! };
      }
    }
  }
  if (notes === undefined) return outcome;
  return {
    status: outcome.status,
    message: `${outcome.message} (${notes})`,
    evidence: outcome.evidence,
    stale,
  };
}

function result(
  d: CheckDefinition,
  status: CheckResult['status'],
  message: string,
  evidence: CheckEvidence[],
  stale?: CheckOutcome['stale'],
): EvaluatedCheck {
  const r: EvaluatedCheck = {
    id: d.id,
    title: d.title,
    category: d.category,
    level: d.level,
    weight: d.weight,
    status,
    message,
    description: d.description,
    remediation: d.remediation,
    evidence,
  };
  if (stale) r.stale = stale;
  return r;
}

/** An exempt check's result: the exemption, and what the check would say. */
function exemptResult(
  d: CheckDefinition,
  exemption: Exemption,
  outcome: CheckOutcome,
): EvaluatedCheck {
  const r = result(
    d,
    'exempt',
    oneLine(
      `exempt until ${exemption.expiresAt}: ${exemption.reason} (otherwise ${outcome.status}: ${outcome.message})`,
    ),
    outcome.evidence,
  );
  r.exemption = {
    id: exemption.id,
    reason: exemption.reason,
    author: exemption.author,
    expiresAt: exemption.expiresAt,
  };
  return r;
}

/**
 * Evaluates a rubric for one entity. Pure: no I/O, no clock (`now` is the
 * instant of evaluation), no mutation of its inputs; the same inputs give a
 * deep-equal report.
 *
 * Per check, in order:
 * 1. the filter excludes the entity → `not-applicable`;
 * 2. an exemption for this entity and check with `expiresAt > now` → `exempt`,
 *    with `exemption` set. The exemption wins over unknown facts: it is a
 *    human decision that the check does not count, which a source outage
 *    should not undo. The message still tells what the check would say.
 *    Expired exemptions (at `expiresAt` exactly, too) are ignored;
 * 3. a fact the check reads that was never collected, or is older than
 *    `rubric.maxFactAgeMs`, → `unknown` with the reason. For a declarative
 *    condition three-valued logic decides (an `any` branch that passes
 *    outweighs an unknown one); for a built-in with `factPolicy: 'any'` one
 *    usable fact is enough;
 * 4. otherwise the evaluator's or condition's outcome; a stale but young fact
 *    (staleReason set) still counts and the message says how old it is and why.
 *
 * A check whose `enforcedFrom` date is still ahead (`now` before 00:00 UTC
 * of it) is evaluated as above and its result gets `upcoming: true` and
 * `enforcedFrom`, but it counts towards neither score nor level (as if it did
 * not apply); from that date on it counts like any other.
 *
 * Score: `round(100 × Σ weight(pass) / Σ weight(pass, fail, unknown))`.
 * Unknown counts in the denominator and never as pass; exempt and
 * not-applicable checks count in neither. When that denominator is 0, the
 * score is 100 if at least one check is exempt (everything that applies was
 * waived) and 0 otherwise (nothing applies: there is nothing to be ready for).
 *
 * Level: the highest of bronze < silver < gold such that every applicable
 * check at that level and below is pass or exempt. A level without applicable
 * checks is reached when the level below it is. When no check applies at all
 * the level is `none`.
 */
export function evaluate(
  entity: Entity,
  facts: EntityFacts,
  rubric: CompiledRubric | Rubric,
  exemptions: readonly Exemption[],
  now: Date,
): ReadinessReport {
  let compiled: CompiledRubric;
  if (isCompiled(rubric)) {
    compiled = rubric;
  } else {
    compiled = compiledDefaults.get(rubric) ?? compileRubric(rubric);
    compiledDefaults.set(rubric, compiled);
  }
  const nowMs = now.getTime();
  const attributes = attributesOf(entity, compiled.usesOwnerFilter);
  const table = buildFactTable(
    compiled.registry,
    facts,
    nowMs,
    compiled.maxFactAgeMs,
  );
  const exempt = activeExemptions(entity, exemptions, nowMs);

  const checks: EvaluatedCheck[] = new Array(compiled.checks.length);
  let passed = 0;
  let counted = 0;
  let exemptCount = 0;
  let applicable = 0;
  // Per level: 1 when some applicable check at it is neither pass nor exempt.
  let blockedBronze = false;
  let blockedSilver = false;
  let blockedGold = false;

  for (let i = 0; i < compiled.checks.length; i++) {
    const check = compiled.checks[i];
    const d = check.definition;
    if (!applies(check.filter, attributes)) {
      checks[i] = result(d, 'not-applicable', check.notApplicableMessage, []);
      continue;
    }
    const exemption = exempt?.get(d.id);
    const outcome = runCheck(check, entity, table, facts, now);
    const r = exemption
      ? exemptResult(d, exemption, outcome)
      : result(
          d,
          outcome.status,
          outcome.message,
          outcome.evidence,
          outcome.stale,
        );
    checks[i] = r;
    if (check.enforcedFromMs !== undefined && nowMs < check.enforcedFromMs) {
      // Announced: shown, but counted nowhere (score, level, "applies").
      r.upcoming = true;
      r.enforcedFrom = d.enforcedFrom;
      continue;
    }
    applicable++;
    if (exemption) {
      exemptCount++;
      continue;
    }
    counted += d.weight;
    if (outcome.status === 'pass') {
      passed += d.weight;
    } else if (d.level === 'bronze') {
      blockedBronze = true;
    } else if (d.level === 'silver') {
      blockedSilver = true;
    } else {
      blockedGold = true;
    }
  }

  let score: number;
  if (counted > 0) score = Math.round((100 * passed) / counted);
  else score = exemptCount > 0 ? 100 : 0;

  let level: Level = 'none';
  if (applicable > 0 && !blockedBronze) {
    level = 'bronze';
    if (!blockedSilver) {
      level = 'silver';
      if (!blockedGold) level = 'gold';
    }
  }

  return { score, level, evaluatedAt: now.toISOString(), checks };
}
