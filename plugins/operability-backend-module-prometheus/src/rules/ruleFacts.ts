import type { AlertRuleFact } from '@opsready/plugin-operability-node';
import type { PromqlAnalysis } from '../promql/analyze';
import type { AlertRuleDefinition } from './types';

const BURN_RATE_WORDS = /burn[\s_-]?rate/i;
const SLO_RECORDING = /^slo:|burn_?rate/i;

/**
 * Why a rule counts as an SLO burn-rate alert, or undefined when it does not.
 * The heuristic, first match wins:
 *
 * 1. the expression compares against a constant burn factor times an error
 *    budget: `… > (14.4 * 0.001)`, `… > 6 * (1 - 0.999)` (factor ≥ 1,
 *    0 < budget < 1; `<` with the constant on the left also counts);
 * 2. the expression reads an SLO recording rule: a metric named `slo:…`
 *    (Sloth, `slo:sli_error:ratio_rate5m`) or containing `burnrate` /
 *    `burn_rate` (Pyrra, `http_requests:burnrate5m`);
 * 3. the alert name mentions a burn rate (`ErrorBudgetBurnRateFast`);
 * 4. a rule label's name or value mentions a burn rate (`slo_type: burn-rate`).
 */
export function burnRateReason(rule: {
  alert: string;
  labels: Record<string, string>;
  analysis: PromqlAnalysis;
}): string | undefined {
  const burn = rule.analysis.burnFactor;
  if (burn) {
    return `compares with burn factor ${burn.factor} × error budget ${burn.budget}`;
  }
  for (const metric of rule.analysis.metrics) {
    if (SLO_RECORDING.test(metric)) {
      return `reads SLO recording rule ${metric}`;
    }
  }
  if (BURN_RATE_WORDS.test(rule.alert)) return 'alert name mentions burn rate';
  for (const [k, v] of Object.entries(rule.labels)) {
    if (BURN_RATE_WORDS.test(k) || BURN_RATE_WORDS.test(v)) {
      return `label ${k}=${JSON.stringify(v)} mentions burn rate`;
    }
  }
  return undefined;
}

/** The `alerting.rules` entry for one rule. */
export function toAlertRuleFact(rule: AlertRuleDefinition): AlertRuleFact {
  const fact: AlertRuleFact = {
    alert: rule.alert,
    file: rule.file,
    group: rule.group,
    forSeconds: rule.forSeconds,
    burnRate: burnRateReason(rule) !== undefined,
    labels: rule.labels,
  };
  const severity = rule.labels.severity;
  if (severity) fact.severity = severity;
  const runbook = rule.annotations.runbook_url;
  if (runbook) fact.runbookUrl = runbook;
  return fact;
}
