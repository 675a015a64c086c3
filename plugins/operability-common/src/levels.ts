import type { CheckLevel, Level } from './types';

/**
 * Every level, lowest first: `none`, `bronze`, `silver`, `gold`.
 * @public
 */
export const LEVELS: readonly Level[] = ['none', 'bronze', 'silver', 'gold'];

const RANKS: Readonly<Record<Level, 0 | 1 | 2 | 3>> = {
  none: 0,
  bronze: 1,
  silver: 2,
  gold: 3,
};

/**
 * Tech Insights maturity's rank of a level: 1 bronze, 2 silver, 3 gold, and 0
 * for `none`. Higher is better; `CheckDescription.rank` carries it.
 * @public
 */
export function levelRank(level: CheckLevel): 1 | 2 | 3;
/** @public */
export function levelRank(level: Level): 0 | 1 | 2 | 3;
export function levelRank(level: Level): 0 | 1 | 2 | 3 {
  return RANKS[level];
}

/**
 * Whether a value (a label, a query parameter) names a level.
 * @public
 */
export function isLevel(value: unknown): value is Level {
  return (
    typeof value === 'string' &&
    Object.prototype.hasOwnProperty.call(RANKS, value)
  );
}
