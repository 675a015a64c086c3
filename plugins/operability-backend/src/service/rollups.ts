import {
  type CheckDescription,
  type Level,
  levelRank,
  type TeamRollup,
} from '@opsready/plugin-operability-common';
import type { ReportRow } from '../database/OperabilityStore';
import type { OrgIndex } from '../ownership/orgIndex';
import type { CheckDefinition } from '../readiness/types';

export function describeCheck(check: CheckDefinition): CheckDescription {
  return {
    id: check.id,
    title: check.title,
    category: check.category,
    level: check.level,
    rank: levelRank(check.level),
    weight: check.weight,
    description: check.description,
    remediation: check.remediation,
    ...(check.filter
      ? { filter: check.filter as Record<string, string[]> }
      : {}),
    ...(check.evaluator ? { evaluator: check.evaluator } : {}),
    ...(check.condition ? { condition: check.condition } : {}),
    ...(check.enforcedFrom ? { enforcedFrom: check.enforcedFrom } : {}),
  };
}

/**
 * Per owning team: its services (Components), their average score, services
 * per level and the checks that fail most.
 */
export function rollUpTeams(
  reports: Omit<ReportRow, 'readiness'>[],
  org: OrgIndex,
): TeamRollup[] {
  const byTeam = new Map<string, Omit<ReportRow, 'readiness'>[]>();
  for (const report of reports) {
    if (!report.ownerRef || report.kind !== 'component') continue;
    const list = byTeam.get(report.ownerRef) ?? [];
    list.push(report);
    byTeam.set(report.ownerRef, list);
  }
  return [...byTeam.entries()]
    .map(([ref, list]) => {
      const levels: Record<Level, number> = {
        none: 0,
        bronze: 0,
        silver: 0,
        gold: 0,
      };
      const failing = new Map<string, number>();
      for (const report of list) {
        levels[report.level]++;
        for (const id of report.failedChecks)
          failing.set(id, (failing.get(id) ?? 0) + 1);
      }
      const group = org.groups.get(ref);
      const title =
        (group?.spec?.profile as { displayName?: string } | undefined)
          ?.displayName ?? group?.metadata.title;
      return {
        ref,
        ...(title ? { title } : {}),
        services: list.length,
        averageScore: Math.round(
          list.reduce((sum, r) => sum + r.score, 0) / list.length,
        ),
        levels,
        mostFailedChecks: [...failing.entries()]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 5)
          .map(([id, count]) => ({ id, failing: count })),
      };
    })
    .sort((a, b) => a.ref.localeCompare(b.ref));
}
