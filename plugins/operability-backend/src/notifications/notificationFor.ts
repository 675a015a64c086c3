import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import {
  type CheckLevel,
  type Level,
  levelRank,
} from '@opsready/plugin-operability-common';
import type { ReadinessChange } from '@opsready/plugin-operability-node';

/** The notifications' topic (users can mute it in their settings). */
export const NOTIFICATION_TOPIC = 'operability';

/** The check that tells whether a critical alert pages someone. */
export const PAGING_CHECK = 'alerting.critical-pages';

/**
 * Which transitions send a notification (`operability.notifications.on`).
 */
export interface NotificationTransitions {
  /** The level dropped because checks fail (not because they are unknown). */
  levelDrop: boolean;
  /** A check went from pass (or exempt) to fail. */
  checkRegression: boolean;
  /**
   * The checks of an open notification stopped failing, or the level went
   * back up: the same notification is updated.
   */
  recovery: boolean;
}

export const ALL_TRANSITIONS: NotificationTransitions = {
  levelDrop: true,
  checkRegression: true,
  recovery: true,
};

/**
 * What the plugin remembers of the notification it last sent about an
 * entity, while what it reported is not resolved: which of the checks it
 * named still fail, and the level the entity had before it dropped.
 */
export interface OpenNotification {
  checks: string[];
  levelBefore: Level;
}

/** A rubric check as the notifications name it. */
export interface NotifiedCheck {
  title: string;
  level: CheckLevel;
  /** `YYYY-MM-DD`: before it the check is announced and does not count. */
  enforcedFrom?: string;
}

/** What `notificationFor` knows besides the change itself. */
export interface NotificationContext {
  /** The rubric's checks, by id. */
  checks: ReadonlyMap<string, NotifiedCheck>;
  /** The entity's title, if it has one (else its name is used). */
  entityTitle?: string;
  /** The checks that fail in the entity's report of this cycle. */
  failing: readonly string[];
  /** The cycle's evaluation instant. */
  at: Date;
  on: NotificationTransitions;
  /** The entity's open notification, if one was sent and is not resolved. */
  open?: OpenNotification;
}

type Decision =
  | { kind: 'none' }
  | {
      kind: 'regression';
      /** The checks the notification names: newly failing, or costing the level. */
      named: string[];
      /** Open checks that stopped failing in the same cycle. */
      resolved: string[];
      open: OpenNotification;
    }
  | {
      kind: 'recovery';
      /** Checks of the open notification that no longer fail. */
      resolved: string[];
      /** Checks of the open notification that still fail. */
      stillFailing: string[];
      /** The open notification after this cycle; undefined when all is resolved. */
      open: OpenNotification | undefined;
      /** Whether the recovery is reported (`on.recovery`). */
      notify: boolean;
    };

function counts(check: NotifiedCheck | undefined, at: Date): boolean {
  if (!check) return false;
  if (!check.enforcedFrom) return true;
  return at.getTime() >= Date.parse(`${check.enforcedFrom}T00:00:00Z`);
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function decide(change: ReadinessChange, ctx: NotificationContext): Decision {
  const { before, after } = change;
  // Never on a first evaluation, and never on a change that came from inputs
  // kept from before a source failed: an outage is not a regression.
  if (!before || change.stale) return { kind: 'none' };

  const failing = new Set(ctx.failing);
  const dropped = levelRank(after.level) < levelRank(before.level);
  // Checks that fail now and count (announced ones do not).
  const countsNow = (id: string) => counts(ctx.checks.get(id), ctx.at);
  const regressed = unique(change.regressed).filter(countsNow);
  // What cost the level: counted checks at or below the level held before
  // that fail now. None when the drop is only checks turned unknown (facts
  // missing or too old): that is a data problem, not a regression.
  const costLevel = dropped
    ? ctx.failing.filter(id => {
        const check = ctx.checks.get(id);
        return (
          countsNow(id) &&
          check !== undefined &&
          levelRank(check.level) <= levelRank(before.level)
        );
      })
    : [];

  const regression =
    (ctx.on.checkRegression && regressed.length > 0) ||
    (ctx.on.levelDrop && costLevel.length > 0);
  const open = ctx.open;
  const resolved = open ? open.checks.filter(id => !failing.has(id)) : [];
  const stillOpen = open ? open.checks.filter(id => failing.has(id)) : [];

  if (regression) {
    const named = unique([...regressed, ...costLevel]);
    return {
      kind: 'regression',
      named,
      resolved,
      open: {
        checks: unique([...stillOpen, ...named]),
        levelBefore: open?.levelBefore ?? before.level,
      },
    };
  }
  if (!open) return { kind: 'none' };
  const levelUp = levelRank(after.level) > levelRank(before.level);
  if (resolved.length === 0 && !levelUp) return { kind: 'none' };
  const done =
    stillOpen.length === 0 &&
    levelRank(after.level) >= levelRank(open.levelBefore);
  return {
    kind: 'recovery',
    resolved,
    stillFailing: stillOpen,
    open: done ? undefined : { ...open, checks: stillOpen },
    notify: ctx.on.recovery,
  };
}

/** The entity's Operability tab in the app: `/catalog/<ns>/<kind>/<name>/operability`. */
export function operabilityTabLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/operability`;
}

/** The scope that makes a later notification about the entity update this one. */
export function notificationScope(entityRef: string): string {
  return `operability:readiness:${entityRef}`;
}

function titlesOf(ids: string[], ctx: NotificationContext): string {
  return ids.map(id => ctx.checks.get(id)?.title ?? id).join(', ');
}

function nameOf(entityRef: string, ctx: NotificationContext): string {
  return ctx.entityTitle || parseEntityRef(entityRef).name;
}

/**
 * The notification to send for one entity's change in a cycle, or undefined
 * when none is due (pure):
 *
 * - never on the entity's first evaluation (`before: null`), nor when the
 *   change is `stale` (it came from inputs kept while a source was down);
 * - a regression — a check that went from pass (or exempt) to fail, or a
 *   level drop that failing checks caused — names those checks;
 * - a recovery — checks of the entity's open notification no longer fail,
 *   or its level went back up — updates that notification (same scope);
 *   without an open notification a recovery sends nothing.
 *
 * Severity is `high` when the entity drops to `none` or loses paging
 * (`alerting.critical-pages` regressed), `normal` otherwise. The link is
 * the entity's Operability tab.
 */
export function notificationFor(
  change: ReadinessChange,
  ctx: NotificationContext,
): NotificationPayload | undefined {
  const decision = decide(change, ctx);
  if (decision.kind === 'none') return undefined;
  if (decision.kind === 'recovery' && !decision.notify) return undefined;
  const { entityRef, after } = change;
  const before = change.before!;
  const name = nameOf(entityRef, ctx);
  const common = {
    link: operabilityTabLink(entityRef),
    topic: NOTIFICATION_TOPIC,
    scope: notificationScope(entityRef),
  };
  const scoreLine = `Score ${before.score} → ${after.score}.`;

  if (decision.kind === 'regression') {
    const { named, resolved } = decision;
    const dropped = levelRank(after.level) < levelRank(before.level);
    const severity =
      (after.level === 'none' && before.level !== 'none') ||
      change.regressed.includes(PAGING_CHECK)
        ? 'high'
        : 'normal';
    let title: string;
    if (dropped) {
      title = `${name} dropped from ${before.level} to ${after.level}`;
    } else if (named.length === 1) {
      title = `${name}: “${titlesOf(named, ctx)}” now fails`;
    } else {
      title = `${name}: ${named.length} checks now fail`;
    }
    const description = [
      `Now failing: ${titlesOf(named, ctx)}.`,
      resolved.length > 0
        ? `No longer failing: ${titlesOf(resolved, ctx)}.`
        : undefined,
      dropped
        ? `Level ${before.level} → ${after.level}. ${scoreLine}`
        : `Level ${after.level}. ${scoreLine}`,
    ]
      .filter(Boolean)
      .join(' ');
    return { ...common, title, description, severity };
  }

  const { resolved, stillFailing, open } = decision;
  const title =
    open === undefined
      ? `${name} is back at ${after.level}`
      : `${name}: ${
          resolved.length > 0
            ? `${resolved.length === 1 ? 'a check' : 'checks'} recovered`
            : `back up to ${after.level}`
        }`;
  const description = [
    resolved.length > 0
      ? `No longer failing: ${titlesOf(resolved, ctx)}.`
      : undefined,
    stillFailing.length > 0
      ? `Still failing: ${titlesOf(stillFailing, ctx)}.`
      : undefined,
    `Level ${before.level} → ${after.level}. ${scoreLine}`,
  ]
    .filter(Boolean)
    .join(' ');
  return { ...common, title, description, severity: 'normal' };
}

/**
 * The entity's open notification after this change (pure): what the next
 * cycle's `notificationFor` gets as `open`. Undefined when there is none —
 * nothing was reported, or everything reported is resolved and the level is
 * back. Unchanged by stale changes and first evaluations.
 */
export function openNotificationAfter(
  change: ReadinessChange,
  ctx: NotificationContext,
): OpenNotification | undefined {
  const decision = decide(change, ctx);
  if (decision.kind === 'none') return ctx.open;
  return decision.open;
}
