import type { Entity } from '@backstage/catalog-model';
import type { CatalogStamp } from './types';

/**
 * Annotation keys the operability plugins read: what teams declare on their
 * entities. Where another plugin already defines a key, we read the same one.
 *
 * Nothing the plugins compute is ever written under one of these keys; what
 * they write has keys of its own ({@link STAMPED_ANNOTATIONS}, {@link LABELS}).
 * A value written under the key it is read from comes back as a declaration on
 * the next readiness cycle: a resolved schedule stamped on a System would be
 * inherited by the System's components as if the System had declared it.
 * @public
 */
export const ANNOTATIONS = {
  /** Schedule entity ref; a Component without one inherits its System's, then its owner Group's. */
  onCallSchedule: 'operability.io/on-call-schedule',
  /** Location of Prometheus rule files in the service's repository. */
  alertRules: 'operability.io/alert-rules',
  runbook: 'operability.io/runbook',
  slackChannel: 'operability.io/slack-channel',
  /** PagerDuty's own plugin uses this key. */
  pagerDutyServiceId: 'pagerduty.com/service-id',
  prometheusJob: 'prometheus.io/job',
  prometheusServiceLabel: 'prometheus.io/service-label',
  /** The Prometheus plugin's key: alert names that belong to the service. */
  prometheusAlert: 'prometheus.io/alert',
  grafanaDashboardSelector: 'grafana/dashboard-selector',
  grafanaOverviewDashboard: 'grafana/overview-dashboard',
  datadogDashboardUrl: 'datadoghq.com/dashboard-url',
  techdocsRef: 'backstage.io/techdocs-ref',
} as const;

/**
 * Annotation keys the catalog module stamps on evaluated entities, so the
 * catalog's own table, filters and search can use the results. Outputs only:
 * the operability plugins never read them as inputs (see {@link ANNOTATIONS}).
 * @public
 */
export const STAMPED_ANNOTATIONS = {
  /** The readiness score. */
  score: 'operability.io/score',
  /** The resolved owning team. */
  ownerTeam: 'operability.io/owner-team',
  /** The schedule that covers the entity: its own, or inherited. */
  resolvedOnCallSchedule: 'operability.io/resolved-on-call-schedule',
  /** The System or Group the resolved schedule is inherited from, when inherited. */
  resolvedOnCallScheduleInheritedFrom:
    'operability.io/resolved-on-call-schedule-inherited-from',
} as const;

/**
 * Label keys stamped on catalog entities; outputs only, like
 * {@link STAMPED_ANNOTATIONS}.
 * @public
 */
export const LABELS = {
  level: 'operability.io/level',
} as const;

/**
 * The entity with a stamp written on it, as the catalog module writes it:
 * the stamp's values under the stamped keys, and nothing under a declared key.
 * Stamped keys the entity carries that this stamp does not set are dropped, so
 * a schedule no longer resolved disappears.
 * @public
 */
export function withCatalogStamp(entity: Entity, stamp: CatalogStamp): Entity {
  const annotations: Record<string, string> = {
    ...entity.metadata.annotations,
  };
  for (const key of Object.values(STAMPED_ANNOTATIONS)) delete annotations[key];
  annotations[STAMPED_ANNOTATIONS.score] = String(stamp.score);
  if (stamp.ownerTeam) {
    annotations[STAMPED_ANNOTATIONS.ownerTeam] = stamp.ownerTeam;
  }
  if (stamp.onCallSchedule) {
    annotations[STAMPED_ANNOTATIONS.resolvedOnCallSchedule] =
      stamp.onCallSchedule;
    if (stamp.onCallInheritedFrom) {
      annotations[STAMPED_ANNOTATIONS.resolvedOnCallScheduleInheritedFrom] =
        stamp.onCallInheritedFrom;
    }
  }
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      labels: { ...entity.metadata.labels, [LABELS.level]: stamp.level },
      annotations,
    },
  };
}
