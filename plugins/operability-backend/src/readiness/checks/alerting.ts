import type { CheckEvidence } from '@opsready/plugin-operability-common';
import {
  ALERTING_FACTS,
  type AlertRoutesFact,
  type AlertRuleFact,
} from '@opsready/plugin-operability-node';
import type {
  BuiltinEvaluator,
  CheckOutcome,
  CheckUnit,
  FactRecord,
} from '../types';
import { MAX_EVIDENCE, factEvidence } from '../evaluator/format';
import {
  badValue,
  fail,
  get,
  isFiniteNumber,
  isNonEmptyString,
  pass,
  plural,
} from './judges';
import { SERVICES, defineCheck, factCheck } from './unit';

const MIN_FOR_SECONDS = 60;
export const NO_ALERTS_MESSAGE = 'no alerting rules select this service';

function ruleEvidence(
  rule: AlertRuleFact,
  record: FactRecord,
  note?: string,
): CheckEvidence {
  return {
    kind: 'rule',
    text: note ? `${rule.alert} (${note})` : rule.alert,
    source: rule.file ?? record.source,
  };
}

/** The rules of the `alerting.rules` fact, or undefined when malformed. */
function readRules(record: FactRecord): AlertRuleFact[] | undefined {
  const value = record.value === null ? [] : record.value;
  if (!Array.isArray(value)) return undefined;
  for (const rule of value) {
    if (
      typeof rule !== 'object' ||
      rule === null ||
      typeof (rule as AlertRuleFact).alert !== 'string'
    ) {
      return undefined;
    }
  }
  return value as AlertRuleFact[];
}

function readRoutes(record: FactRecord): AlertRoutesFact | undefined {
  const value = record.value === null ? {} : record.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  return value as AlertRoutesFact;
}

function listRules(
  rules: AlertRuleFact[],
  record: FactRecord,
  note?: (rule: AlertRuleFact) => string | undefined,
): CheckEvidence[] {
  const evidence: CheckEvidence[] = [];
  for (let i = 0; i < rules.length && i < MAX_EVIDENCE; i++) {
    evidence.push(ruleEvidence(rules[i], record, note?.(rules[i])));
  }
  if (rules.length > MAX_EVIDENCE) {
    evidence.push({
      kind: 'more',
      text: `and ${rules.length - MAX_EVIDENCE} more`,
    });
  }
  return evidence;
}

function names(rules: AlertRuleFact[], max = 3): string {
  const shown = rules.slice(0, max).map(r => r.alert);
  return rules.length > max
    ? `${shown.join(', ')} and ${rules.length - max} more`
    : shown.join(', ');
}

/**
 * A check over `alerting.rules`: unknown when the fact is malformed, fails
 * with NO_ALERTS_MESSAGE when no rule selects the service, else `judge`
 * decides on the (non-empty) rules.
 */
function rulesCheck(
  judge: (rules: AlertRuleFact[], record: FactRecord) => CheckOutcome,
  noAlertsEvidence: (record: FactRecord) => CheckEvidence[] = () => [],
): Pick<BuiltinEvaluator, 'facts' | 'evaluate'> {
  return factCheck(ALERTING_FACTS.rules, record => {
    const rules = readRules(record);
    if (!rules) return badValue(ALERTING_FACTS.rules, record);
    if (rules.length === 0) {
      return fail(NO_ALERTS_MESSAGE, noAlertsEvidence(record));
    }
    return judge(rules, record);
  });
}

/** An "every alert …" check: every selected rule must be `ok`. */
function everyRule(options: {
  /** Which rules the check is about (default: all). */
  select?: (rule: AlertRuleFact) => boolean;
  /** Message when the selection is empty but rules exist. */
  noneSelected?: string;
  ok: (rule: AlertRuleFact) => boolean;
  passMessage: (count: number) => string;
  failMessage: (bad: AlertRuleFact[], count: number) => string;
  note?: (rule: AlertRuleFact) => string | undefined;
}): Pick<BuiltinEvaluator, 'facts' | 'evaluate'> {
  return rulesCheck((rules, record) => {
    const selected = options.select ? rules.filter(options.select) : rules;
    if (selected.length === 0) {
      return pass(options.noneSelected ?? options.passMessage(0));
    }
    const bad = selected.filter(r => !options.ok(r));
    if (bad.length === 0) {
      return pass(
        options.passMessage(selected.length),
        listRules(selected, record, options.note),
      );
    }
    return fail(
      options.failMessage(bad, selected.length),
      listRules(bad, record, options.note),
    );
  });
}

const isCritical = (r: AlertRuleFact) => r.severity === 'critical';

/** Whether the team, not the customer, hears first, and how well the alerts are made. */
export const ALERTING_CHECKS: readonly CheckUnit[] = [
  defineCheck({
    id: 'alerting.has-alerts',
    title: 'Has alerts',
    level: 'bronze',
    filter: SERVICES,
    description:
      'Only production matters, and you cannot respond to an incident you do not know about. At least one alert must watch the service so that the team, not the customer, notices first.',
    remediation:
      'Add a Prometheus alerting rule whose expression selects the service\'s `job` label (e.g. `expr: job:errors:ratio5m{job="payments"} > 0.05`), list its file in the annotation `operability.io/alert-rules`, or name existing alerts in `prometheus.io/alert`.',
    ...rulesCheck(
      (rules, record) =>
        pass(
          `${rules.length} alerting rule${plural(rules.length)} select${
            rules.length === 1 ? 's' : ''
          } this service`,
          listRules(rules, record),
        ),
      factEvidence,
    ),
  }),
  defineCheck({
    id: 'alerting.severity-labels',
    title: 'Alerts have a severity',
    level: 'silver',
    filter: SERVICES,
    description:
      'Severity is how Alertmanager decides who is woken up. An alert without one is routed by accident: it either pages for nothing or never pages.',
    remediation:
      'Add `labels: { severity: critical }` (or `warning`, `info`) to every alerting rule that selects the service.',
    ...everyRule({
      ok: r => isNonEmptyString(r.severity),
      note: r => (r.severity ? `severity ${r.severity}` : 'no severity'),
      passMessage: n =>
        n === 1
          ? 'the alert has a severity label'
          : `all ${n} alerts have a severity label`,
      failMessage: (bad, n) =>
        `${bad.length} of ${n} alerts have no severity label: ${names(bad)}`,
    }),
  }),
  defineCheck({
    id: 'alerting.critical-pages',
    title: 'Critical alerts page',
    level: 'silver',
    filter: SERVICES,
    description:
      'A critical alert that only lands in a chat channel is a log line. Being on call means critical alerts reach a person through a pager.',
    remediation:
      'Give at least one alert `severity: critical` and add an Alertmanager route matching `severity="critical"` (and the service’s labels) to a receiver with `pagerduty_configs` or `opsgenie_configs`.',
    facts: [ALERTING_FACTS.rules, ALERTING_FACTS.routes],
    evaluate({ facts }) {
      const rulesRecord = get(facts, ALERTING_FACTS.rules);
      const routesRecord = get(facts, ALERTING_FACTS.routes);
      const rules = readRules(rulesRecord);
      if (!rules) return badValue(ALERTING_FACTS.rules, rulesRecord);
      // Not a rulesCheck: malformed routes must stay unknown even with no rules.
      const routes = readRoutes(routesRecord);
      if (!routes) return badValue(ALERTING_FACTS.routes, routesRecord);
      if (rules.length === 0) return fail(NO_ALERTS_MESSAGE);
      const critical = rules.filter(isCritical);
      if (critical.length === 0) {
        return fail(
          `none of the ${rules.length} alerts has severity critical`,
          listRules(rules, rulesRecord, r =>
            r.severity ? `severity ${r.severity}` : 'no severity',
          ),
        );
      }
      const receivers = routes.critical?.receivers;
      if (receivers !== undefined && !Array.isArray(receivers)) {
        return badValue(ALERTING_FACTS.routes, routesRecord);
      }
      const evidence = listRules(critical, rulesRecord);
      if (!receivers || receivers.length === 0) {
        return fail(
          'Alertmanager routes the critical alerts to no receiver',
          evidence,
        );
      }
      for (const r of receivers) {
        evidence.push({
          kind: 'route',
          text: `${r.routePath} → ${r.name}${r.pages ? ' (pages)' : ''}`,
          source: r.name,
        });
      }
      const paging = receivers.filter(r => r.pages === true);
      if (paging.length > 0) {
        return pass(
          `critical alerts page through ${paging
            .map(r => r.name)
            .join(', ')} (${paging[0].routePath})`,
          evidence,
        );
      }
      return fail(
        `critical alerts go to ${receivers
          .map(r => `${r.name} (${r.routePath})`)
          .join(', ')}, which do${receivers.length === 1 ? 'es' : ''} not page`,
        evidence,
      );
    },
  }),
  defineCheck({
    id: 'alerting.runbooks',
    title: 'Critical alerts have runbooks',
    level: 'gold',
    filter: SERVICES,
    description:
      'Whoever is paged at 3 a.m. may not have written the code. A runbook linked from the alert turns an expert’s knowledge into steps anyone on the rotation can follow.',
    remediation:
      'Add `annotations: { runbook_url: https://… }` to every alerting rule with `severity: critical`.',
    ...everyRule({
      select: isCritical,
      noneSelected: 'no critical alerts, so none lacks a runbook_url',
      ok: r => isNonEmptyString(r.runbookUrl),
      note: r => (r.runbookUrl ? `runbook ${r.runbookUrl}` : 'no runbook_url'),
      passMessage: n =>
        n === 1
          ? 'the critical alert carries a runbook_url'
          : `all ${n} critical alerts carry a runbook_url`,
      failMessage: (bad, n) =>
        `${bad.length} of ${n} critical alerts have no runbook_url: ${names(
          bad,
        )}`,
    }),
  }),
  defineCheck({
    id: 'alerting.for-duration',
    title: 'Alerts wait before firing',
    level: 'gold',
    filter: SERVICES,
    description:
      'An alert that fires on one sample pages people for blips that heal themselves; noisy pages teach people to ignore pages.',
    remediation:
      'Add `for: 1m` (or longer, e.g. `for: 5m`) to every alerting rule that selects the service.',
    ...everyRule({
      ok: r => isFiniteNumber(r.forSeconds) && r.forSeconds >= MIN_FOR_SECONDS,
      note: r => `for ${isFiniteNumber(r.forSeconds) ? r.forSeconds : 0}s`,
      passMessage: n =>
        n === 1
          ? 'the alert waits at least 1m before firing'
          : `all ${n} alerts wait at least 1m before firing`,
      failMessage: (bad, n) =>
        `${
          bad.length
        } of ${n} alerts fire without waiting 1m ('for' < 1m): ${names(bad)}`,
    }),
  }),
  defineCheck({
    id: 'alerting.slo-burn-rate',
    title: 'SLO burn-rate alert',
    level: 'gold',
    filter: SERVICES,
    description:
      'Alerting on how fast the error budget burns pages for what customers feel, early for fast burns and without noise for slow ones, instead of on every threshold crossing.',
    remediation:
      'Add a multi-window burn-rate alerting rule over an SLI recording rule (e.g. `slo:sli_error:ratio_rate1h{job="payments"} > 14.4 * 0.001`), as generated by Sloth or Pyrra, or label it `slo: "true"`.',
    ...rulesCheck((rules, record) => {
      const burn = rules.filter(r => r.burnRate === true);
      return burn.length > 0
        ? pass(
            `SLO burn-rate alert${plural(burn.length)}: ${names(burn)}`,
            listRules(burn, record),
          )
        : fail(`none of the ${rules.length} alerts is an SLO burn-rate alert`);
    }),
  }),
];
