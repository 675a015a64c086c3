import {
  ALERTING_FACTS,
  FactDefinition,
  INSTRUMENTATION_FACTS,
} from '@opsready/plugin-operability-node';

/** Facts of the `prometheus` provider (scrape targets and metric names). */
export const INSTRUMENTATION_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: INSTRUMENTATION_FACTS.targetsCount,
    type: 'number',
    description: 'Scrape targets whose labels select the service',
  },
  {
    name: INSTRUMENTATION_FACTS.targetsUpRatio,
    type: 'number',
    description: 'Share of those targets that are up (0-1)',
  },
  {
    name: INSTRUMENTATION_FACTS.goldenSignals,
    type: 'string[]',
    description:
      'Golden signals the service exports: requests, errors, latency-histogram',
  },
  {
    name: INSTRUMENTATION_FACTS.targetInfo,
    type: 'boolean',
    description:
      'The service exports OpenTelemetry resource info (target_info)',
  },
];

/** Facts of the `alert-rules` provider (Prometheus rules API and rule files). */
export const ALERT_RULE_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: ALERTING_FACTS.rules,
    type: 'object',
    description:
      'Alerting rules that select the service, with severity, runbook_url, for and burn-rate flags',
  },
];

/** Facts of the `alertmanager` provider (routing tree). */
export const ALERT_ROUTE_FACT_DEFINITIONS: FactDefinition[] = [
  {
    name: ALERTING_FACTS.routes,
    type: 'object',
    description:
      'Per severity, the Alertmanager receivers the service alerts reach and whether they page',
  },
];

/** Every fact this module provides. */
export const PROMETHEUS_FACTS: FactDefinition[] = [
  ...INSTRUMENTATION_FACT_DEFINITIONS,
  ...ALERT_RULE_FACT_DEFINITIONS,
  ...ALERT_ROUTE_FACT_DEFINITIONS,
];
