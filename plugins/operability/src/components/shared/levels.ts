import {
  isLevel,
  type Level,
  LEVELS,
} from '@opsready/plugin-operability-common';

/** Every level, best first: the order of level filters and counts. */
export const LEVELS_BEST_FIRST: readonly Level[] = [...LEVELS].reverse();

/** How many items sit at each level; items without a level count as `notEvaluated`. */
export function countByLevel<T>(
  items: readonly T[],
  levelOf: (item: T) => Level | null | undefined,
): Record<Level, number> & { notEvaluated: number } {
  const counts = { gold: 0, silver: 0, bronze: 0, none: 0, notEvaluated: 0 };
  for (const item of items) {
    const level = levelOf(item);
    if (level && isLevel(level)) counts[level] += 1;
    else counts.notEvaluated += 1;
  }
  return counts;
}
