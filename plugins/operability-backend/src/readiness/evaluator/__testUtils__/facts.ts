import type { Entity } from '@backstage/catalog-model';
import {
  ALERTING_FACTS,
  INSTRUMENTATION_FACTS,
  type AlertRoutesFact,
  type AlertRuleFact,
} from '@opsready/plugin-operability-node';
import { CATALOG_FACTS, ON_CALL_FACTS } from '../../builtinFacts';
import { PAGE_LOAD_FACT } from '../../../pages/facts';
import type { EntityFacts, FactRecord } from '../../types';

export const NOW = new Date('2026-03-02T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function fact(
  value: unknown,
  options: Partial<Omit<FactRecord, 'value'>> & { ageMs?: number } = {},
): FactRecord {
  const { ageMs = 60_000, ...rest } = options;
  return {
    value,
    source: 'test',
    collectedAt: new Date(NOW.getTime() - ageMs).toISOString(),
    ...rest,
  };
}

/** Facts from plain values (wrapped with `fact`) or ready records. */
export function factsOf(
  values: Record<string, unknown>,
  records: Record<string, FactRecord> = {},
): Map<string, FactRecord> {
  const map = new Map<string, FactRecord>();
  for (const [name, value] of Object.entries(values)) {
    map.set(name, fact(value));
  }
  for (const [name, record] of Object.entries(records)) {
    map.set(name, record);
  }
  return map;
}

export function without(facts: EntityFacts, ...names: string[]) {
  const map = new Map(facts);
  for (const name of names) map.delete(name);
  return map;
}

export function component(
  options: {
    name?: string;
    kind?: string;
    type?: string;
    lifecycle?: string;
    owner?: string;
    tags?: string[];
    namespace?: string;
  } = {},
): Entity {
  const {
    name = 'payments-api',
    kind = 'Component',
    type = 'service',
    lifecycle = 'production',
    owner = 'group:default/payments',
    tags,
    namespace,
  } = options;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(tags ? { tags } : {}),
    },
    spec: { type, lifecycle, owner },
  };
}

export function rule(
  alert: string,
  options: Partial<AlertRuleFact> = {},
): AlertRuleFact {
  return {
    alert,
    file: 'rules/payments.yaml',
    group: 'payments',
    severity: 'critical',
    runbookUrl: `https://runbooks.example.com/${alert}`,
    forSeconds: 300,
    burnRate: false,
    labels: {},
    ...options,
  };
}

export const PAGING_ROUTES: AlertRoutesFact = {
  critical: {
    receivers: [
      {
        name: 'pagerduty-payments',
        pages: true,
        routePath: 'route > routes[0]',
      },
    ],
  },
  warning: {
    receivers: [
      { name: 'slack-payments', pages: false, routePath: 'route > routes[1]' },
    ],
  },
};

/** Values with which every default check passes. */
export function passingValues(): Record<string, unknown> {
  return {
    [CATALOG_FACTS.ownerSet]: true,
    [CATALOG_FACTS.ownerResolvedFrom]: 'group',
    [CATALOG_FACTS.ownerTeam]: 'group:default/payments',
    [CATALOG_FACTS.teamMembers]: 7,
    [CATALOG_FACTS.teamContact]: true,
    [CATALOG_FACTS.lifecycle]: 'production',
    [CATALOG_FACTS.system]: 'system:default/payments',
    [CATALOG_FACTS.description]: true,
    [CATALOG_FACTS.runbook]: ['https://runbooks.example.com/payments'],
    [CATALOG_FACTS.dashboard]: ['https://grafana.example.com/d/payments'],
    [CATALOG_FACTS.techdocs]: true,
    [CATALOG_FACTS.tracingAnnotation]: false,
    [ON_CALL_FACTS.covered]: true,
    [ON_CALL_FACTS.source]: 'schedule',
    [ON_CALL_FACTS.primaryAndSecondary]: true,
    [ON_CALL_FACTS.rotationSize]: 6,
    [ON_CALL_FACTS.turnHours]: 168,
    [ON_CALL_FACTS.ownersShare]: 0.8,
    [ON_CALL_FACTS.ladder]: [],
    [PAGE_LOAD_FACT]: 0.5,
    [INSTRUMENTATION_FACTS.targetsCount]: 3,
    [INSTRUMENTATION_FACTS.targetsUpRatio]: 1,
    [INSTRUMENTATION_FACTS.goldenSignals]: [
      'requests',
      'errors',
      'latency-histogram',
    ],
    [INSTRUMENTATION_FACTS.targetInfo]: true,
    [ALERTING_FACTS.rules]: [
      rule('HighErrorRate'),
      rule('ErrorBudgetBurn', { burnRate: true }),
      rule('HighLatency', { severity: 'warning', runbookUrl: undefined }),
    ],
    [ALERTING_FACTS.routes]: PAGING_ROUTES,
  };
}
