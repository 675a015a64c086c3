import type { Entity } from '@backstage/catalog-model';
import {
  type CampaignState,
  type CampaignTeam,
  type CheckLevel,
  type Level,
  levelRank,
  parseCalendarDate,
} from '@opsready/plugin-operability-common';
import type { CheckStatusIds } from '../database/OperabilityStore';
import { entityFilter } from '../readiness/evaluator/evaluate';
import type { Rubric } from '../readiness/types';
import type { Campaign } from './types';

const DAY_MS = 86_400_000;

/** What a campaign reads of an entity's stored report. */
export interface CampaignReport {
  entityRef: string;
  ownerRef: string | null;
  ownerDeclared: string | null;
  level: Level;
  failedChecks: string[];
  checkStatuses: CheckStatusIds;
  evaluatedAt: Date;
}

/** One entity in a campaign's scope. */
export interface CampaignEntry {
  entityRef: string;
  /** The owning team, or the declared owner; null without either. */
  owner: string | null;
  /** `spec.owner` as a full ref: the owner filter matches it too. */
  declaredOwner: string | null;
  done: boolean;
  /** Target checks that fail or are unknown: what keeps the entity open. */
  failing: string[];
}

/** A campaign ready to judge entities. */
export interface CompiledCampaign {
  readonly campaign: Campaign;
  /** 00:00 UTC of the start date. */
  readonly startMs: number;
  /** 00:00 UTC of the day after the deadline: the first instant it is over. */
  readonly endMs: number;
  /** Whether the campaign covers the entity (its filter). */
  inScope(entity: Entity): boolean;
  /** Whether the entity's report meets the target, and what keeps it open. */
  judge(report: CampaignReport): Pick<CampaignEntry, 'done' | 'failing'>;
}

/** The check ids a report has as fail or unknown: what never counts as met. */
function notMet(report: CampaignReport): Set<string> {
  const { fail = [], unknown = [] } = report.checkStatuses;
  // A report stored before statuses were has none: its failing list.
  if (Object.keys(report.checkStatuses).length === 0) {
    return new Set(report.failedChecks);
  }
  return new Set([...fail, ...unknown]);
}

/**
 * Compiles a campaign against the rubric (pure). An entity is done when:
 *
 * - target `checks`: every target check passes, is exempt or does not apply
 *   (a check that fails or is unknown keeps it open; so does an upcoming
 *   check that fails: the campaign is there to get it fixed);
 * - target `level`: its level is at least the target. What keeps it open are
 *   the checks at or below that level that fail or are unknown and count
 *   (not upcoming at the report's evaluation).
 */
export function compileCampaign(
  campaign: Campaign,
  rubric: Rubric,
): CompiledCampaign {
  const startMs = parseCalendarDate(campaign.start)!;
  const endMs = parseCalendarDate(campaign.deadline)! + DAY_MS;
  const inScope = entityFilter(campaign.filter);
  const { target } = campaign;
  let judge: CompiledCampaign['judge'];
  if ('checks' in target) {
    const ids = target.checks;
    judge = report => {
      const open = notMet(report);
      const failing = ids.filter(id => open.has(id));
      return { done: failing.length === 0, failing };
    };
  } else {
    const rank = levelRank(target.level as CheckLevel);
    const gating = rubric.checks
      .filter(c => levelRank(c.level) <= rank)
      .map(c => ({
        id: c.id,
        enforcedFromMs: c.enforcedFrom
          ? parseCalendarDate(c.enforcedFrom)
          : undefined,
      }));
    judge = report => {
      if (levelRank(report.level) >= rank) return { done: true, failing: [] };
      const open = notMet(report);
      const at = report.evaluatedAt.getTime();
      const failing = gating
        .filter(
          c =>
            open.has(c.id) &&
            !(c.enforcedFromMs !== undefined && at < c.enforcedFromMs),
        )
        .map(c => c.id);
      return { done: false, failing };
    };
  }
  return { campaign, startMs, endMs, inScope, judge };
}

/** Where a campaign is at an instant: before its start, up to its deadline (inclusive), or after. */
export function campaignStateAt(
  compiled: Pick<CompiledCampaign, 'startMs' | 'endMs'>,
  nowMs: number,
): CampaignState {
  if (nowMs < compiled.startMs) return 'upcoming';
  if (nowMs < compiled.endMs) return 'active';
  return 'ended';
}

function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * The entries of a campaign (pure): every stored report whose entity the
 * campaign covers, judged; open ones first, then by ref. A report whose
 * entity is not in `entities` (gone from the catalog) is left out.
 */
export function campaignEntries(
  compiled: CompiledCampaign,
  reports: readonly CampaignReport[],
  entities: ReadonlyMap<string, Entity>,
): CampaignEntry[] {
  const entries: CampaignEntry[] = [];
  for (const report of reports) {
    const entity = entities.get(report.entityRef);
    if (!entity || !compiled.inScope(entity)) continue;
    entries.push({
      entityRef: report.entityRef,
      owner: report.ownerRef ?? report.ownerDeclared,
      declaredOwner: report.ownerDeclared,
      ...compiled.judge(report),
    });
  }
  return entries.sort(
    (a, b) =>
      Number(a.done) - Number(b.done) || byCodePoint(a.entityRef, b.entityRef),
  );
}

/** Totals per owning team (pure), by team ref; entries without an owner are in no team. */
export function teamProgress(
  entries: readonly CampaignEntry[],
  titleOf: (ref: string) => string | undefined,
): CampaignTeam[] {
  const teams = new Map<string, CampaignTeam>();
  for (const e of entries) {
    if (!e.owner) continue;
    let team = teams.get(e.owner);
    if (!team) {
      const title = titleOf(e.owner);
      team = { ref: e.owner, ...(title ? { title } : {}), total: 0, done: 0 };
      teams.set(e.owner, team);
    }
    team.total++;
    if (e.done) team.done++;
  }
  return [...teams.values()].sort(
    (a, b) =>
      b.total - b.done - (a.total - a.done) || a.ref.localeCompare(b.ref),
  );
}
