import type { Readiness } from '@opsready/plugin-operability-common';
import type { ReadinessChange } from '@opsready/plugin-operability-node';
import type {
  CheckStatusIds,
  ReportState,
} from '../../database/OperabilityStore';

/** The statuses stored per report; not-applicable is what is left. */
const STORED_STATUSES = ['pass', 'fail', 'exempt', 'unknown'] as const;
type StoredStatus = (typeof STORED_STATUSES)[number];

/** A readiness's check ids by status, compactly, as stored with its report. */
export function checkStatusIdsOf(readiness: Readiness): CheckStatusIds {
  const out: CheckStatusIds = {};
  for (const check of readiness.checks) {
    const status = check.status as StoredStatus;
    if (!STORED_STATUSES.includes(status)) continue;
    (out[status] = out[status] ?? []).push(check.id);
  }
  return out;
}

/** Check id → status; a check that is not there was not applicable, or not in the rubric. */
function statusById(ids: CheckStatusIds): Map<string, StoredStatus> {
  const out = new Map<string, StoredStatus>();
  for (const status of STORED_STATUSES) {
    for (const id of ids[status] ?? []) out.set(id, status);
  }
  return out;
}

/**
 * How an entity's readiness changed since its stored report (pure), or
 * `undefined` when its score, level and check statuses are all the same.
 *
 * - `before` is `null` on the first evaluation (no stored report).
 * - `regressed`: checks that fail now and were `pass` or `exempt` before (an
 *   exemption that ran out is a regression); `unknown`, not-applicable or
 *   absent before is not.
 * - `recovered`: checks that pass now and failed before.
 * - `stale`: a check whose status changed carries `stale` (it was evaluated
 *   on facts or an on-call answer kept from before a source failed).
 *
 * A report stored before statuses were (no `checkStatuses`) changes only
 * when its score or level does, without regressed or recovered checks.
 */
export function readinessChange(
  entityRef: string,
  before: ReportState | undefined,
  after: Readiness,
): ReadinessChange | undefined {
  const scoreAndLevel = { score: after.score, level: after.level };
  const scoreOrLevelChanged =
    !before || before.score !== after.score || before.level !== after.level;
  if (before && !before.checkStatuses) {
    return scoreOrLevelChanged
      ? {
          entityRef,
          before: { score: before.score, level: before.level },
          after: scoreAndLevel,
          regressed: [],
          recovered: [],
          stale: false,
        }
      : undefined;
  }
  const previous = statusById(before?.checkStatuses ?? {});
  const regressed: string[] = [];
  const recovered: string[] = [];
  let statusesChanged = false;
  let stale = false;
  const seen = new Set<string>();
  for (const check of after.checks) {
    seen.add(check.id);
    const was = previous.get(check.id);
    const is = STORED_STATUSES.includes(check.status as StoredStatus)
      ? (check.status as StoredStatus)
      : undefined;
    if (was === is) continue;
    statusesChanged = true;
    if (check.stale) stale = true;
    if (is === 'fail' && (was === 'pass' || was === 'exempt')) {
      regressed.push(check.id);
    } else if (is === 'pass' && was === 'fail') {
      recovered.push(check.id);
    }
  }
  // A check gone from the rubric changed too (it is no longer evaluated).
  for (const id of previous.keys()) {
    if (!seen.has(id)) statusesChanged = true;
  }
  if (!scoreOrLevelChanged && !statusesChanged) return undefined;
  return {
    entityRef,
    before: before ? { score: before.score, level: before.level } : null,
    after: scoreAndLevel,
    regressed,
    recovered,
    stale,
  };
}
