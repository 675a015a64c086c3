import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import {
  levelRank,
  type CheckLevel,
  type EntityRef,
  type HandoffNotReady,
  type HandoffPage,
  type HandoffRegression,
  type HandoffReport,
  type Level,
  type Person,
} from '@opsready/plugin-operability-common';
import { DateTime } from 'luxon';
import type { DetectedHandoff } from './detectHandoff';

/** A covered service's readiness at one time, as the report compares it. */
export interface ServiceState {
  level: Level;
  /** Failing checks. */
  fail: string[];
  /** Passing or exempt checks: a check here that fails later regressed. */
  ok: string[];
}

/** The covered services' states when a shift began (the task stores it). */
export interface Baseline {
  /** ISO instant. */
  at: string;
  entities: Record<EntityRef, ServiceState>;
}

/** A page as the report reads it (from the pages store). */
export interface PageRead {
  at: Date;
  title: string;
  source: string;
  entityRef: EntityRef;
}

/** A rubric check as the report names it. */
export interface ReportedCheck {
  title: string;
  level: CheckLevel;
  /** `YYYY-MM-DD`: before it, the check is announced and does not count. */
  enforcedFrom?: string;
}

export interface HandoffReportInput {
  scheduleRef: EntityRef;
  timeZone: string;
  handoff: DetectedHandoff;
  /** The incoming secondary at the hand-off, if any. */
  secondary: EntityRef | null;
  /** The Person of a User ref (its title and email from the catalog). */
  person: (ref: EntityRef) => Person;
  /** The services the schedule covers, with their titles when they have one. */
  covered: { entityRef: EntityRef; title?: string }[];
  /**
   * Their pages during the outgoing turn; null when pages are not collected
   * here (no page source).
   */
  pages: PageRead[] | null;
  /** Whether an instant is outside working hours in the schedule's zone. */
  isOffHours: (at: Date) => boolean;
  /** The covered services' states when the outgoing turn began. */
  baseline: Baseline;
  /** Their states now (services never evaluated are left out). */
  current: Map<EntityRef, ServiceState>;
  checks: ReadonlyMap<string, ReportedCheck>;
  /** A service below this level is not ready. */
  target: Level;
  now: Date;
}

/** Pages listed in a report; the counts cover them all. */
export const PAGES_LISTED = 20;

/**
 * A hand-off's report (pure): the outgoing turn's pages (and the off-hours
 * ones) on the covered services, the services that regressed since the
 * baseline (checks that fail now and passed or were exempt then, and level
 * drops), and the services below the target level. Checks announced for
 * later (`enforcedFrom` ahead) count for neither.
 */
export function buildHandoffReport(input: HandoffReportInput): HandoffReport {
  const { handoff, checks, now } = input;
  const counts = (id: string) => {
    const check = checks.get(id);
    if (!check) return false;
    return (
      !check.enforcedFrom || Date.parse(check.enforcedFrom) <= now.getTime()
    );
  };
  const named = (id: string) => ({ id, title: checks.get(id)?.title ?? id });
  const titleOf = new Map(input.covered.map(c => [c.entityRef, c.title]));
  const withTitle = (ref: EntityRef) => {
    const title = titleOf.get(ref);
    return title ? { entityRef: ref, title } : { entityRef: ref };
  };

  let pages: HandoffReport['pages'] = null;
  if (input.pages && handoff.outgoing) {
    const all: HandoffPage[] = [...input.pages]
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .map(p => ({
        at: p.at.toISOString(),
        title: p.title,
        source: p.source,
        entityRef: p.entityRef,
        offHours: input.isOffHours(p.at),
      }));
    pages = {
      total: all.length,
      offHours: all.filter(p => p.offHours).length,
      items: all.slice(0, PAGES_LISTED),
    };
  }

  const regressions: HandoffRegression[] = [];
  const notReady: HandoffNotReady[] = [];
  const targetRank = levelRank(input.target);
  for (const { entityRef } of [...input.covered].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  )) {
    const state = input.current.get(entityRef);
    const before = input.baseline.entities[entityRef];
    if (state && before) {
      const wasOk = new Set(before.ok);
      const regressed = state.fail.filter(id => wasOk.has(id) && counts(id));
      if (
        regressed.length > 0 ||
        levelRank(state.level) < levelRank(before.level)
      ) {
        regressions.push({
          ...withTitle(entityRef),
          checks: regressed.map(named),
          level: { before: before.level, after: state.level },
        });
      }
    }
    if (!state || levelRank(state.level) < targetRank) {
      notReady.push({
        ...withTitle(entityRef),
        level: state?.level ?? null,
        blocking: (state?.fail ?? [])
          .filter(
            id => counts(id) && levelRank(checks.get(id)!.level) <= targetRank,
          )
          .map(named),
      });
    }
  }

  return {
    scheduleRef: input.scheduleRef,
    at: handoff.at.toISOString(),
    timeZone: input.timeZone,
    incoming: {
      primary: input.person(handoff.incoming.primary),
      secondary: input.secondary ? input.person(input.secondary) : null,
      until: handoff.incoming.end?.toISOString() ?? null,
    },
    lastShift: handoff.outgoing
      ? {
          primary: input.person(handoff.outgoing.primary),
          start: handoff.outgoing.start.toISOString(),
          end: handoff.at.toISOString(),
        }
      : null,
    pages,
    regressions: { since: input.baseline.at, items: regressions },
    notReady: { target: input.target, items: notReady },
    services: input.covered.length,
  };
}

/** Items a notification names before "and N more". */
const NAMED = 3;

function listed<T>(items: T[], show: (item: T) => string): string {
  const shown = items.slice(0, NAMED).map(show).join(', ');
  return items.length > NAMED
    ? `${shown} and ${items.length - NAMED} more`
    : shown;
}

function nameOf(person: Person): string {
  return person.title ?? person.ref.replace(/^[^:]*:(?:[^/]*\/)?/, '');
}

function serviceName(item: { entityRef: string; title?: string }): string {
  return item.title ?? item.entityRef.replace(/^[^:]*:(?:[^/]*\/)?/, '');
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The catalog page of an entity ref: `/catalog/<namespace>/<kind>/<name>`. */
function catalogPath(ref: EntityRef): string {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  if (!m) return '/catalog';
  return `/catalog/${m[2]}/${m[1]}/${m[3]}`;
}

/** The scope of a hand-off's notification: one per schedule and hand-off. */
export function handoffScope(
  report: Pick<HandoffReport, 'scheduleRef' | 'at'>,
) {
  return `operability:handoff:${report.scheduleRef}:${report.at}`;
}

/**
 * The notification of a hand-off (pure), to the incoming primary and
 * secondary: who hands over to whom, the last shift's pages, what regressed
 * during it and what is not ready. Times are in the schedule's zone.
 */
export function handoffNotification(
  report: HandoffReport,
  scheduleTitle?: string,
): NotificationPayload {
  const local = (iso: string) =>
    DateTime.fromISO(iso, { zone: report.timeZone }).toFormat(
      'ccc d LLL HH:mm',
    );
  const schedule =
    scheduleTitle ?? report.scheduleRef.replace(/^[^:]*:(?:[^/]*\/)?/, '');
  const { incoming, lastShift, pages } = report;
  const parts: string[] = [];
  parts.push(
    `${nameOf(incoming.primary)} is primary${
      incoming.secondary ? `, ${nameOf(incoming.secondary)} secondary` : ''
    } from ${local(report.at)}${
      incoming.until ? ` to ${local(incoming.until)}` : ''
    } (${report.timeZone}).`,
  );
  if (lastShift) {
    const pagesText = pages
      ? `${plural(pages.total, 'page')}, ${pages.offHours} off-hours`
      : 'pages not collected';
    parts.push(
      `Last shift (${nameOf(lastShift.primary)}, ${local(
        lastShift.start,
      )} – ${local(lastShift.end)}): ${pagesText}.`,
    );
  }
  const regressed = report.regressions.items;
  parts.push(
    regressed.length
      ? `Regressed during it: ${listed(regressed, r =>
          r.checks.length
            ? `${serviceName(r)} (${r.checks.map(c => c.title).join(', ')})`
            : `${serviceName(r)} (${r.level.before} → ${r.level.after})`,
        )}.`
      : 'Nothing regressed during it.',
  );
  const notReady = report.notReady.items;
  if (notReady.length) {
    parts.push(
      `Not ready (below ${report.notReady.target}): ${listed(
        notReady,
        s => `${serviceName(s)} (${s.level ?? 'not evaluated'})`,
      )}.`,
    );
  }
  return {
    title: `On-call hand-off: ${schedule}`,
    description: parts.join(' '),
    link: catalogPath(report.scheduleRef),
    severity: 'normal',
    topic: 'operability',
    scope: handoffScope(report),
  };
}
