/**
 * Names and value shapes of the instrumentation and alerting facts, shared by
 * the Prometheus module (which collects them) and the built-in checks (which
 * read them).
 */

/** @public */
export const INSTRUMENTATION_FACTS = {
  /** number: scrape targets whose labels select the service */
  targetsCount: 'prometheus.targets.count',
  /** number 0-1: share of those targets that are up */
  targetsUpRatio: 'prometheus.targets.up-ratio',
  /** string[]: golden signals exported: 'requests', 'errors', 'latency-histogram' */
  goldenSignals: 'prometheus.golden-signals',
  /** boolean: OpenTelemetry resource info (`target_info`) is exported */
  targetInfo: 'prometheus.target-info',
} as const;

/** @public */
export const ALERTING_FACTS = {
  /** AlertRuleFact[]: alerting rules that select the service */
  rules: 'alerting.rules',
  /** AlertRoutesFact: where the service's alerts are routed, per severity */
  routes: 'alerting.routes',
} as const;

/**
 * One alerting rule that selects a service.
 * @public
 */
export interface AlertRuleFact {
  alert: string;
  /** Rule file (or PrometheusRule resource) and group. */
  file?: string;
  group?: string;
  severity?: string;
  runbookUrl?: string;
  /** The rule's `for`, in seconds (0 when absent). */
  forSeconds: number;
  /** Whether it is an SLO burn-rate alert. */
  burnRate: boolean;
  labels: Record<string, string>;
}

/**
 * Where a service's alerts of each severity go.
 * @public
 */
export interface AlertRoutesFact {
  [severity: string]: {
    receivers: {
      name: string;
      /** Whether the receiver pages someone (PagerDuty, Opsgenie, or a webhook named as paging). */
      pages: boolean;
      /** The route path, e.g. `route > routes[1] > routes[0]`. */
      routePath: string;
      /** When the service has a PagerDuty service id: whether this receiver reaches it, if known. */
      reachesPagerDutyService?: boolean;
    }[];
  };
}
