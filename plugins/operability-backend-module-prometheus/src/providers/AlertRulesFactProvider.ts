import type { Entity } from '@backstage/catalog-model';
import {
  ALERTING_FACTS,
  FactBatch,
  FactProvider,
  FactValue,
} from '@opsready/plugin-operability-node';
import { ALERT_RULE_FACT_DEFINITIONS } from '../facts';
import { formatIdentity, ServiceEntry } from '../services';
import type {
  AlertRuleCollector,
  SelectedRule,
} from '../rules/AlertRuleCollector';

/** How the service is recognised, for messages. */
export function describeService(service: ServiceEntry | undefined): string {
  const parts: string[] = [];
  if (service?.identity) parts.push(formatIdentity(service.identity));
  if (service?.alertNames.length) {
    parts.push(`alert names ${service.alertNames.join(', ')}`);
  }
  return parts.join(' or ') || 'the service';
}

/** Evidence text for one selected rule. */
export function ruleEvidenceText(r: SelectedRule): string {
  const parts = [`${r.rule.alert} (group ${r.rule.group})`, r.reason];
  if (r.burnReason) parts.push(`burn-rate: ${r.burnReason}`);
  return parts.join('; ');
}

/**
 * The `alert-rules` provider: the alerting rules that select each service,
 * from Prometheus (`/api/v1/rules` of every instance) and from the rule files
 * named by `operability.io/alert-rules`. A Prometheus failure throws (the
 * engine keeps the last good facts); a rule file that cannot be read or
 * parsed is an error for the entities using it (with file and line), whose
 * rule facts are then not produced, while the others go on.
 */
export class AlertRulesFactProvider implements FactProvider {
  readonly id = 'alert-rules';
  readonly facts = ALERT_RULE_FACT_DEFINITIONS;

  constructor(private readonly collector: AlertRuleCollector) {}

  async collect({ entities }: { entities: Entity[] }): Promise<FactBatch> {
    const collection = await this.collector.collect(entities);
    const facts = new Map<string, FactValue[]>();
    for (const [ref, rules] of collection.rules) {
      const source = (collection.sources.get(ref) ?? []).join(', ');
      facts.set(ref, [
        {
          name: ALERTING_FACTS.rules,
          value: rules.map(r => r.fact),
          source,
          collectedAt: collection.collectedAt,
          evidence:
            rules.length > 0
              ? rules.map(r => ({
                  kind: 'rule',
                  text: ruleEvidenceText(r),
                  source: r.rule.file ? r.rule.file : r.rule.origin,
                }))
              : [
                  {
                    kind: 'rules',
                    text: `no alerting rule selects ${describeService(
                      collection.services.get(ref),
                    )}`,
                    source,
                  },
                ],
        },
      ]);
    }
    return collection.errors.size > 0
      ? { facts, errors: new Map(collection.errors) }
      : { facts };
  }
}
