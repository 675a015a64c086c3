import type { CheckLevel } from '@opsready/plugin-operability-common';
import type {
  BuiltinEvaluator,
  CheckDefinition,
  CheckFilter,
  CheckOutcome,
  CheckUnit,
  EvaluatorInput,
  FactRecord,
} from '../types';

/**
 * Default weight per level: a gold practice is worth more of the score than a
 * bronze basic because it takes more to get there, while the level already
 * makes the bronze basics the gate. Bronze 1, silver 2, gold 3.
 */
export const DEFAULT_WEIGHTS: Readonly<Record<CheckLevel, number>> = {
  bronze: 1,
  silver: 2,
  gold: 3,
};

/** A check id: `<category>.<name>` in lower case, e.g. `alerting.runbooks`. */
export const CHECK_ID = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$/;

/** A check's default category: its id's prefix (`alerting.runbooks` → `alerting`). */
export function categoryOf(id: string): string {
  return id.slice(0, id.indexOf('.'));
}

/** Where the checks apply: owned kinds, and the components that run. */
export const OWNED: CheckFilter = {
  kind: ['Component', 'API', 'Resource', 'System'],
};
export const SERVICES: CheckFilter = {
  kind: ['Component'],
  type: ['service', 'website'],
};

/** A built-in check as written in its category's file. */
export interface CheckSpec
  extends Omit<
      CheckDefinition,
      'category' | 'weight' | 'evaluator' | 'condition'
    >,
    Omit<BuiltinEvaluator, 'id'> {}

/**
 * One built-in check, definition and evaluator together. The category is the
 * id's prefix, the weight the level's default, and the evaluator's id the
 * check's id.
 */
export function defineCheck(spec: CheckSpec): CheckUnit {
  const { facts, factPolicy, evaluate, ...draft } = spec;
  return {
    definition: {
      ...draft,
      category: categoryOf(draft.id),
      weight: DEFAULT_WEIGHTS[draft.level],
      evaluator: draft.id,
    },
    evaluator: {
      id: draft.id,
      facts,
      ...(factPolicy ? { factPolicy } : {}),
      evaluate,
    },
  };
}

/**
 * The evaluator part of a check that reads one fact: `judge` gets its record
 * (present, since the default fact policy makes the check `unknown` without
 * calling it otherwise) and the rest of the input.
 */
export function factCheck(
  fact: string,
  judge: (record: FactRecord, input: EvaluatorInput) => CheckOutcome,
): Pick<BuiltinEvaluator, 'facts' | 'evaluate'> {
  return {
    facts: [fact],
    evaluate: input => judge(input.facts.get(fact)!, input),
  };
}
