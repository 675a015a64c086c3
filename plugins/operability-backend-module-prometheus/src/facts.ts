import type { FactDefinition } from '@opsready/plugin-operability-node';

/** The facts this module provides to the readiness engine. */
export const PROMETHEUS_FACTS: FactDefinition[] = [
  {
    name: 'prometheus.targets.count',
    type: 'number',
    description: 'Scrape targets whose labels select the service',
  },
  {
    name: 'prometheus.targets.up-ratio',
    type: 'number',
    description: 'Share of those targets that are up (0-1)',
  },
  {
    name: 'prometheus.golden-signals',
    type: 'string[]',
    description:
      'Golden signals the service exports: requests, errors, latency-histogram',
  },
  {
    name: 'prometheus.target-info',
    type: 'boolean',
    description:
      'The service exports OpenTelemetry resource info (target_info)',
  },
  {
    name: 'alerting.rules',
    type: 'object',
    description:
      'Alerting rules that select the service, with severity, runbook_url, for and burn-rate flags',
  },
  {
    name: 'alerting.routes',
    type: 'object',
    description:
      'Per severity, the Alertmanager receivers the service alerts reach and whether they page',
  },
];
