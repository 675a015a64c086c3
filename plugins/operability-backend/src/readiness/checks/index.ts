import type { BuiltinEvaluator, CheckUnit } from '../types';
import { ALERTING_CHECKS } from './alerting';
import { DOCUMENTATION_CHECKS } from './documentation';
import { INSTRUMENTATION_CHECKS } from './instrumentation';
import { ON_CALL_CHECKS } from './onCall';
import { OWNERSHIP_CHECKS } from './ownership';

export { NO_ALERTS_MESSAGE } from './alerting';
export { DEFAULT_WEIGHTS, categoryOf } from './unit';

/**
 * The built-in checks, in display order: the one list that the default
 * rubric and the built-in evaluators are derived from. Ids are stable API.
 */
export const BUILTIN_CHECKS: readonly CheckUnit[] = [
  ...OWNERSHIP_CHECKS,
  ...ON_CALL_CHECKS,
  ...INSTRUMENTATION_CHECKS,
  ...ALERTING_CHECKS,
  ...DOCUMENTATION_CHECKS,
];

/** The evaluators of some checks, by check id. */
export function evaluatorsOf(
  units: readonly CheckUnit[],
): Map<string, BuiltinEvaluator> {
  return new Map(units.map(u => [u.evaluator.id, u.evaluator]));
}

/** Every built-in evaluator, one per built-in check, in its order. */
export const BUILTIN_EVALUATOR_LIST: readonly BuiltinEvaluator[] =
  BUILTIN_CHECKS.map(u => u.evaluator);

/**
 * The built-in evaluators by id (the check ids of the default rubric), as
 * `compileRubric` and `readRubricConfig` take them.
 */
export const BUILTIN_EVALUATORS: ReadonlyMap<string, BuiltinEvaluator> =
  evaluatorsOf(BUILTIN_CHECKS);

/** The built-in evaluators plus others (which replace a built-in of the same id). */
export function builtinEvaluatorMap(
  extra: Iterable<BuiltinEvaluator> = [],
): Map<string, BuiltinEvaluator> {
  const map = new Map<string, BuiltinEvaluator>(BUILTIN_EVALUATORS);
  for (const e of extra) map.set(e.id, e);
  return map;
}
