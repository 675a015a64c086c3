import {
  type CheckLevel,
  LEVELS,
  type Level,
  levelRank,
  type Readiness,
} from '@opsready/plugin-operability-common';

/** Why an entity is at its level and what keeps it from the next one. */
export interface ReadinessSummary {
  score: number;
  level: Level;
  /** The checks that fail, with what to do about them. */
  failing: {
    id: string;
    title: string;
    level: CheckLevel;
    message: string;
    remediation?: string;
  }[];
  /**
   * The next level and the ids of the checks that keep the entity from it:
   * those at that level or below that fail or are unknown (exempt and
   * not-applicable checks never block, nor do upcoming ones). Null at gold,
   * and when no check
   * applies to the entity (there is nothing to fix to reach a level).
   */
  nextLevel: { level: CheckLevel; blocking: string[] } | null;
}

/** The summary of one readiness report (`get-readiness`). */
export function readinessSummary(readiness: Readiness): ReadinessSummary {
  // Checks announced for later (`upcoming`) count neither in the level nor
  // here: they are not yet something that keeps the entity down.
  const counted = readiness.checks.filter(check => !check.upcoming);
  const failing = counted
    .filter(check => check.status === 'fail')
    .map(check => ({
      id: check.id,
      title: check.title,
      level: check.level,
      message: check.message,
      ...(check.remediation ? { remediation: check.remediation } : {}),
    }));
  const next = LEVELS[LEVELS.indexOf(readiness.level) + 1] as
    | CheckLevel
    | undefined;
  const applies = counted.some(c => c.status !== 'not-applicable');
  const nextLevel =
    next && applies
      ? {
          level: next,
          blocking: counted
            .filter(
              check =>
                levelRank(check.level) <= levelRank(next) &&
                (check.status === 'fail' || check.status === 'unknown'),
            )
            .map(check => check.id),
        }
      : null;
  return { score: readiness.score, level: readiness.level, failing, nextLevel };
}
