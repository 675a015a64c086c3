import type { CheckLevel, Level } from '@opsready/plugin-operability-common';

/** Every level, best first: the order of level filters and counts. */
export const LEVELS_BEST_FIRST: readonly Level[] = [
  'gold',
  'silver',
  'bronze',
  'none',
];

const levelRanks: Record<Level, number> = {
  none: 0,
  bronze: 1,
  silver: 2,
  gold: 3,
};

/** 0 for none up to 3 for gold, as Tech Insights maturity ranks them. */
export function levelRank(level: Level | CheckLevel): number {
  return levelRanks[level];
}

export function isLevel(value: unknown): value is Level {
  return (
    typeof value === 'string' &&
    Object.prototype.hasOwnProperty.call(levelRanks, value)
  );
}

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
