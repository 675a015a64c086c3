import {
  type CheckLevel,
  levelRank,
} from '@opsready/plugin-operability-common';
import { BUILTIN_CHECKS } from '../checks';
import type { CheckDefinition, Rubric } from '../types';

export { DEFAULT_WEIGHTS } from '../checks';

/** Facts older than this are unknown, unless `operability.rubric.maxFactAge` says otherwise. */
export const DEFAULT_MAX_FACT_AGE_MS = 24 * 60 * 60 * 1000;

/** The inverse of `levelRank` (Tech Insights maturity's rank 1–3) of -common. */
export function rankToLevel(rank: number): CheckLevel {
  switch (rank) {
    case 1:
      return 'bronze';
    case 2:
      return 'silver';
    case 3:
      return 'gold';
    default:
      throw new Error(`rank must be 1, 2 or 3, got ${rank}`);
  }
}

/**
 * A check in Tech Insights maturity's shape (`rank`, `category`, `solution`),
 * so teams coming from it recognise the model.
 */
export function toTechInsightsCheck(definition: CheckDefinition): {
  id: string;
  name: string;
  description: string;
  rank: 1 | 2 | 3;
  category: string;
  solution: string;
} {
  return {
    id: definition.id,
    name: definition.title,
    description: definition.description,
    rank: levelRank(definition.level),
    category: definition.category,
    solution: definition.remediation,
  };
}

/**
 * The 25 checks of the default rubric, in display order: the definitions of
 * the built-in check units. Ids are stable API.
 */
export const DEFAULT_CHECKS: readonly CheckDefinition[] = BUILTIN_CHECKS.map(
  u => u.definition,
);

/** The default rubric: every default check, facts valid for a day. */
export function defaultRubric(): Rubric {
  return {
    checks: DEFAULT_CHECKS.map(c => ({ ...c })),
    maxFactAgeMs: DEFAULT_MAX_FACT_AGE_MS,
  };
}
