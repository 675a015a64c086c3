/**
 * Annotation and label keys read or written by the operability plugins.
 * Where another plugin already defines a key, we read the same one.
 * @public
 */
export const ANNOTATIONS = {
  /** Schedule entity ref; a Component without one inherits its System's, then its owner Group's. */
  onCallSchedule: 'operability.io/on-call-schedule',
  /** Location of Prometheus rule files in the service's repository. */
  alertRules: 'operability.io/alert-rules',
  runbook: 'operability.io/runbook',
  slackChannel: 'operability.io/slack-channel',
  /** Stamped by the catalog module: the resolved owning team. */
  ownerTeam: 'operability.io/owner-team',
  /**
   * Stamped by the catalog module next to an inherited schedule: where it is
   * inherited from. Its presence marks the schedule annotation as stamped.
   */
  onCallScheduleInheritedFrom: 'operability.io/on-call-schedule-inherited-from',
  /** Stamped by the catalog module: the readiness score. */
  score: 'operability.io/score',
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
 * Label keys stamped on catalog entities.
 * @public
 */
export const LABELS = {
  level: 'operability.io/level',
} as const;
