import type { CheckEvidence } from '@opsready/plugin-operability-common';
import type {
  CheckOutcome,
  Condition,
  ConditionOperator,
  EntityFacts,
} from '../types';
import {
  FactRegistry,
  FactTable,
  FACT_MISSING,
  FACT_TOO_OLD,
  buildFactTable,
  unusableReason,
} from './factTable';
import { formatValue } from './format';

/**
 * Declarative conditions over facts, with three-valued logic.
 *
 * - A leaf compares one fact with a value. A fact that was never collected,
 *   or is older than the rubric's maximum age, makes the leaf `unknown`, for
 *   every operator (`exists` included: "never collected" says nothing about
 *   whether the thing exists).
 * - `all`: fail if any child fails, else unknown if any is unknown, else pass.
 * - `any`: pass if any child passes, else unknown if any is unknown, else fail.
 * - Every leaf is evaluated (no short-circuit) so the evidence lists each
 *   leaf's fact, its value and the comparison.
 *
 * Operators:
 * - `equal` / `notEqual`: strict equality (`===`); arrays and objects are
 *   compared by their JSON text.
 * - `greaterThan`, `greaterThanInclusive`, `lessThan`, `lessThanInclusive`:
 *   numbers only; a non-number fact value fails.
 * - `in` / `notIn`: the fact value is (not) one of the array `value`.
 * - `contains` / `doesNotContain`: the fact value, an array or a string,
 *   (does not) contain `value`. A null fact value contains nothing; any other
 *   non-array, non-string value fails both.
 * - `matches`: `value` is a JavaScript RegExp source, compiled once when the
 *   condition is compiled. A string fact matches when the RegExp finds a match;
 *   an array fact when any of its strings does; anything else fails.
 * - `exists` / `notExists`: the fact's value is (not) neither null nor undefined.
 */

export const CONDITION_OPERATORS: readonly ConditionOperator[] = [
  'equal',
  'notEqual',
  'greaterThan',
  'greaterThanInclusive',
  'lessThan',
  'lessThanInclusive',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'exists',
  'notExists',
  'matches',
];

const NUMERIC_OPERATORS = new Set<ConditionOperator>([
  'greaterThan',
  'greaterThanInclusive',
  'lessThan',
  'lessThanInclusive',
]);

/** A problem found in a condition, with its path below the condition. */
export interface ConditionIssue {
  path: (string | number)[];
  message: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a condition's structure and values. `knownFacts`, when given, is the
 * set of fact names a leaf may use. Returns every problem found (empty when
 * the condition is valid).
 */
export function validateCondition(
  raw: unknown,
  options: { knownFacts?: ReadonlySet<string> } = {},
  path: (string | number)[] = [],
  issues: ConditionIssue[] = [],
): ConditionIssue[] {
  if (!isPlainObject(raw)) {
    issues.push({
      path,
      message: `expected an object with 'all', 'any' or 'fact', got ${formatValue(
        raw,
      )}`,
    });
    return issues;
  }
  const keys = Object.keys(raw);
  let group: 'all' | 'any' | undefined;
  if ('all' in raw) group = 'all';
  else if ('any' in raw) group = 'any';
  if (group) {
    for (const key of keys) {
      if (key !== group) {
        issues.push({
          path: [...path, key],
          message: `unexpected key '${key}' beside '${group}'`,
        });
      }
    }
    const children = raw[group];
    if (!Array.isArray(children)) {
      issues.push({
        path: [...path, group],
        message: `expected a list of conditions`,
      });
    } else if (children.length === 0) {
      issues.push({
        path: [...path, group],
        message: `must list at least one condition`,
      });
    } else {
      children.forEach((child, i) =>
        validateCondition(child, options, [...path, group, i], issues),
      );
    }
    return issues;
  }
  for (const key of keys) {
    if (key !== 'fact' && key !== 'operator' && key !== 'value') {
      issues.push({
        path: [...path, key],
        message: `unexpected key '${key}'; a condition has 'fact', 'operator' and 'value', or 'all' or 'any'`,
      });
    }
  }
  const { fact, operator, value } = raw;
  if (typeof fact !== 'string' || fact.length === 0) {
    issues.push({
      path: [...path, 'fact'],
      message: `expected a fact name, got ${formatValue(fact)}`,
    });
  } else if (options.knownFacts && !options.knownFacts.has(fact)) {
    issues.push({
      path: [...path, 'fact'],
      message: `unknown fact '${fact}'; known facts: ${[...options.knownFacts]
        .sort()
        .join(', ')}`,
    });
  }
  if (!CONDITION_OPERATORS.includes(operator as ConditionOperator)) {
    issues.push({
      path: [...path, 'operator'],
      message: `expected one of ${CONDITION_OPERATORS.join(
        ', ',
      )}, got ${formatValue(operator)}`,
    });
    return issues;
  }
  const op = operator as ConditionOperator;
  const valuePath = [...path, 'value'];
  const hasValue = 'value' in raw && value !== undefined;
  if (op === 'exists' || op === 'notExists') {
    if (hasValue) {
      issues.push({ path: valuePath, message: `'${op}' takes no value` });
    }
  } else if (!hasValue) {
    issues.push({ path: valuePath, message: `'${op}' needs a value` });
  } else if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value)) {
      issues.push({
        path: valuePath,
        message: `'${op}' needs a list, got ${formatValue(value)}`,
      });
    }
  } else if (NUMERIC_OPERATORS.has(op)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({
        path: valuePath,
        message: `'${op}' needs a number, got ${formatValue(value)}`,
      });
    }
  } else if (op === 'matches') {
    if (typeof value !== 'string') {
      issues.push({
        path: valuePath,
        message: `'matches' needs a regular expression string, got ${formatValue(
          value,
        )}`,
      });
    } else {
      try {
        // eslint-disable-next-line no-new
        new RegExp(value);
      } catch (error) {
        issues.push({
          path: valuePath,
          message: `invalid regular expression: ${(error as Error).message}`,
        });
      }
    }
  } else if (op === 'contains' || op === 'doesNotContain') {
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      issues.push({
        path: valuePath,
        message: `'${op}' needs a string, number or boolean, got ${formatValue(
          value,
        )}`,
      });
    }
  }
  return issues;
}

/** Formats a path below a root, e.g. `checks[3].condition.all[0].operator`. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Compilation

const PASS = 0;
const FAIL = 1;
const UNKNOWN = 2;
type Tri = typeof PASS | typeof FAIL | typeof UNKNOWN;

interface Accumulator {
  evidence: CheckEvidence[];
  unknown: string[];
  firstFailure: string | undefined;
}

type Node = (table: FactTable, acc: Accumulator) => Tri;

type Test = (value: unknown) => boolean;

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

function contains(factValue: unknown, needle: unknown): boolean | undefined {
  if (Array.isArray(factValue)) return factValue.includes(needle);
  if (typeof factValue === 'string') return factValue.includes(String(needle));
  if (factValue === null || factValue === undefined) return false;
  return undefined;
}

function makeTest(op: ConditionOperator, expected: unknown): Test {
  switch (op) {
    case 'equal':
      return v => jsonEqual(v, expected);
    case 'notEqual':
      return v => !jsonEqual(v, expected);
    case 'greaterThan':
      return v => typeof v === 'number' && v > (expected as number);
    case 'greaterThanInclusive':
      return v => typeof v === 'number' && v >= (expected as number);
    case 'lessThan':
      return v => typeof v === 'number' && v < (expected as number);
    case 'lessThanInclusive':
      return v => typeof v === 'number' && v <= (expected as number);
    case 'in': {
      const list = expected as unknown[];
      return v => list.some(e => jsonEqual(v, e));
    }
    case 'notIn': {
      const list = expected as unknown[];
      return v => !list.some(e => jsonEqual(v, e));
    }
    case 'contains':
      return v => contains(v, expected) === true;
    case 'doesNotContain':
      return v => contains(v, expected) === false;
    case 'exists':
      return v => v !== null && v !== undefined;
    case 'notExists':
      return v => v === null || v === undefined;
    case 'matches': {
      // Compiled once, here; no flags, so `test` keeps no state between calls.
      const re = new RegExp(expected as string);
      return v =>
        typeof v === 'string'
          ? re.test(v)
          : Array.isArray(v) &&
            v.some(e => typeof e === 'string' && re.test(e));
    }
    default:
      throw new Error(`unknown operator '${op as string}'`);
  }
}

function compileNode(
  condition: Condition,
  registry: FactRegistry,
  slots: Set<number>,
): Node {
  if ('all' in condition) {
    const children = condition.all.map(c => compileNode(c, registry, slots));
    return (table, acc) => {
      let result: Tri = PASS;
      for (const child of children) {
        const r = child(table, acc);
        if (r === FAIL) result = FAIL;
        else if (r === UNKNOWN && result === PASS) result = UNKNOWN;
      }
      return result;
    };
  }
  if ('any' in condition) {
    const children = condition.any.map(c => compileNode(c, registry, slots));
    return (table, acc) => {
      let result: Tri = FAIL;
      for (const child of children) {
        const r = child(table, acc);
        if (r === PASS) result = PASS;
        else if (r === UNKNOWN && result === FAIL) result = UNKNOWN;
      }
      return result;
    };
  }
  const { fact, operator, value } = condition;
  const slot = registry.slot(fact);
  slots.add(slot);
  const test = makeTest(operator, value);
  const comparison =
    operator === 'exists' || operator === 'notExists'
      ? operator
      : `${operator} ${formatValue(value)}`;
  return (table, acc) => {
    const state = table.states[slot];
    if (state === FACT_MISSING || state === FACT_TOO_OLD) {
      const reason = unusableReason(table, slot)!;
      acc.unknown.push(reason);
      acc.evidence.push({
        kind: 'condition',
        text: `${fact} ${comparison}: unknown (${
          state === FACT_MISSING ? 'never collected' : 'too old'
        })`,
      });
      return UNKNOWN;
    }
    const record = table.records[slot]!;
    const ok = test(record.value);
    const text = `${fact} (${formatValue(record.value)}) ${comparison}: ${
      ok ? 'pass' : 'fail'
    }`;
    acc.evidence.push({ kind: 'condition', text, source: record.source });
    if (!ok && acc.firstFailure === undefined) acc.firstFailure = text;
    return ok ? PASS : FAIL;
  };
}

/** A condition compiled against a fact registry. */
export interface CompiledCondition {
  /** Slots (in the registry) of the facts the condition reads. */
  readonly slots: readonly number[];
  /** Fact names the condition reads. */
  readonly facts: readonly string[];
  evaluate(table: FactTable): CheckOutcome;
}

/**
 * Compiles a condition once: RegExps are built here, fact names become slots.
 * Throws an Error naming the path of the first problem when it is invalid.
 */
export function compileCondition(
  condition: Condition,
  registry: FactRegistry,
): CompiledCondition {
  const issues = validateCondition(condition);
  if (issues.length > 0) {
    throw new Error(
      `Invalid condition at '${formatPath('condition', issues[0].path)}': ${
        issues[0].message
      }`,
    );
  }
  const slotSet = new Set<number>();
  const root = compileNode(condition, registry, slotSet);
  const slots = [...slotSet];
  return {
    slots,
    facts: slots.map(s => registry.names[s]),
    evaluate(table) {
      const acc: Accumulator = {
        evidence: [],
        unknown: [],
        firstFailure: undefined,
      };
      const result = root(table, acc);
      if (result === PASS) {
        return {
          status: 'pass',
          message:
            acc.evidence.length === 1
              ? acc.evidence[0].text
              : 'every condition holds',
          evidence: acc.evidence,
        };
      }
      if (result === FAIL) {
        return {
          status: 'fail',
          message: `condition not met: ${
            acc.firstFailure ?? 'no branch holds'
          }`,
          evidence: acc.evidence,
        };
      }
      return {
        status: 'unknown',
        message: acc.unknown.join('; '),
        evidence: acc.evidence,
      };
    },
  };
}

/**
 * Evaluates one condition over an entity's facts at `now`. Convenience for
 * one-off use and tests; the rubric evaluator compiles conditions once.
 */
export function evaluateCondition(
  condition: Condition,
  facts: EntityFacts,
  options: { now: Date; maxFactAgeMs?: number },
): CheckOutcome {
  const registry = new FactRegistry();
  const compiled = compileCondition(condition, registry);
  const table = buildFactTable(
    registry,
    facts,
    options.now.getTime(),
    options.maxFactAgeMs ?? Number.POSITIVE_INFINITY,
  );
  return compiled.evaluate(table);
}
