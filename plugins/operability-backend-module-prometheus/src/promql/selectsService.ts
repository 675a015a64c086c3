import { compileAnchored, literalAlternatives } from '../util/regex';
import type { ServiceIndex } from '../services';
import type { PromqlAnalysis } from './analyze';

/** The parts of an alerting rule that decide which services it selects. */
export interface SelectableRule {
  alert: string;
  labels: Record<string, string>;
  analysis: PromqlAnalysis;
}

/**
 * The services a rule selects, each with the first reason found:
 *
 * 1. a vector selector in the expression requires the service's label with
 *    `=` and its value, or with `=~` and a regex (anchored, as Prometheus
 *    does) that matches the value and does not match the empty string (a
 *    regex that matches "" does not require the label);
 * 2. the rule's own labels carry the service's label and value;
 * 3. the alert name is listed in the service's `prometheus.io/alert`.
 *
 * `!=` and `!~` never select. Lookups go through the index, so the cost is per
 * matcher, not per service (a non-literal regex is tested once per distinct
 * label value and then cached in the index).
 */
export function selectServices(
  rule: SelectableRule,
  index: ServiceIndex,
): Map<string, string> {
  const selected = new Map<string, string>();
  const add = (refs: string[] | undefined, reason: string) => {
    for (const ref of refs ?? []) {
      if (!selected.has(ref)) selected.set(ref, reason);
    }
  };
  for (const m of rule.analysis.matchers) {
    if (!index.byLabel.has(m.name)) continue;
    if (m.op === '=') {
      add(
        index.lookup(m.name, m.value),
        `expr selects ${m.name}=${JSON.stringify(m.value)}`,
      );
    } else if (m.op === '=~') {
      const reason = `expr selects ${m.name}=~${JSON.stringify(m.value)}`;
      const literals = literalAlternatives(m.value);
      if (literals) {
        if (literals.includes('')) continue; // matches an absent label
        for (const literal of literals) {
          add(index.lookup(m.name, literal), reason);
        }
        continue;
      }
      const re = compileAnchored(m.value);
      if (!re || re.test('')) continue;
      add(
        index.lookupRegex(m.name, m.value, v => re.test(v)),
        reason,
      );
    }
    // != and !~ never select (and are not kept by the analysis).
  }
  for (const label of index.byLabel.keys()) {
    const value = rule.labels[label];
    if (value !== undefined) {
      add(
        index.lookup(label, value),
        `rule label ${label}=${JSON.stringify(value)}`,
      );
    }
  }
  add(
    index.byAlert.get(rule.alert),
    'alert name listed in prometheus.io/alert',
  );
  return selected;
}
