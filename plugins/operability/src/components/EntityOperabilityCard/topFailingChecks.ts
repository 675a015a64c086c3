import {
  type CheckResult,
  levelRank,
} from '@opsready/plugin-operability-common';

/**
 * The failing checks that matter most: the lowest level first (a missing
 * bronze check blocks every level), then the heaviest. Checks announced for
 * later (`upcoming`) do not count yet and are left out.
 */
export function topFailingChecks(
  checks: readonly CheckResult[],
  count: number,
): CheckResult[] {
  return checks
    .filter(check => check.status === 'fail' && !check.upcoming)
    .sort(
      (a, b) => levelRank(a.level) - levelRank(b.level) || b.weight - a.weight,
    )
    .slice(0, count);
}
