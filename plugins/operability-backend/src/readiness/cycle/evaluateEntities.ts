import type { Entity } from '@backstage/catalog-model';
import type {
  Exemption,
  Readiness,
  SourceProblem,
} from '@opsready/plugin-operability-common';
import type { EntityFacts } from '../types';

/** Evaluates one entity; the readiness engine's pure evaluator, bound to the rubric. */
export type EntityEvaluator = (
  entity: Entity,
  facts: EntityFacts,
  exemptions: Exemption[],
  now: Date,
) => Readiness;

export interface EvaluateInput {
  entities: readonly Entity[];
  refs: readonly string[];
  /** Per entity ref, the merged facts. */
  facts: ReadonlyMap<string, EntityFacts>;
  /** Per entity ref, problems with its own inputs. */
  problems: ReadonlyMap<string, SourceProblem[]>;
  exemptions: ReadonlyMap<string, Exemption[]>;
  evaluate: EntityEvaluator;
  now: Date;
}

/**
 * The evaluate step (pure, as the evaluator is): every entity's readiness,
 * in the order of `entities`, with the problems of its own inputs attached.
 */
export function evaluateEntities({
  entities,
  refs,
  facts,
  problems,
  exemptions,
  evaluate,
  now,
}: EvaluateInput): Readiness[] {
  return entities.map((entity, i) => {
    const ref = refs[i];
    const evaluated = evaluate(
      entity,
      facts.get(ref) ?? new Map(),
      exemptions.get(ref) ?? [],
      now,
    );
    const entityProblems = problems.get(ref);
    return entityProblems?.length
      ? { ...evaluated, problems: entityProblems }
      : evaluated;
  });
}

/** Exemptions by entity ref. */
export function exemptionsByEntity(
  exemptions: readonly Exemption[],
): Map<string, Exemption[]> {
  const out = new Map<string, Exemption[]>();
  for (const exemption of exemptions) {
    const list = out.get(exemption.entityRef) ?? [];
    list.push(exemption);
    out.set(exemption.entityRef, list);
  }
  return out;
}
