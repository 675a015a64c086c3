import type { Entity } from '@backstage/catalog-model';
import type { CheckEvidence } from '@opsready/plugin-operability-common';
import {
  ALERTING_FACTS,
  INSTRUMENTATION_FACTS,
  type AlertRoutesFact,
  type AlertRuleFact,
} from '@opsready/plugin-operability-node';
import { CATALOG_FACTS, ON_CALL_FACTS } from '../builtinFacts';
import type {
  BuiltinEvaluator,
  CheckOutcome,
  EntityFacts,
  FactRecord,
} from '../types';
import {
  MAX_EVIDENCE,
  factEvidence,
  formatValue,
  normalizeEntityRef,
} from './format';

/**
 * A built-in evaluator with how it needs its facts.
 *
 * - `factPolicy: 'all'` (the default): every fact in `facts` must be collected
 *   and younger than the rubric's maximum age, else the check is `unknown`
 *   and the evaluator is not called.
 * - `factPolicy: 'any'`: the evaluator is called when at least one of its
 *   facts is usable; it sees only the usable ones (a missing or too-old fact
 *   is absent from the map it gets).
 */
export interface ReadinessEvaluator extends BuiltinEvaluator {
  factPolicy?: 'all' | 'any';
}

/** Rotation size bounds and limits from DESIGN's rubric. */
export const ROTATION_MIN = 6;
export const ROTATION_MAX = 8;
export const MAX_TURN_HOURS = 168;
export const MIN_OWNERS_SHARE = 0.8;
export const MIN_FOR_SECONDS = 60;
export const GOLDEN_SIGNALS = ['requests', 'errors', 'latency-histogram'];
export const NO_ALERTS_MESSAGE = 'no alerting rules select this service';

// ---------------------------------------------------------------------------
// Helpers

function pass(message: string, evidence: CheckEvidence[] = []): CheckOutcome {
  return { status: 'pass', message, evidence };
}

function fail(message: string, evidence: CheckEvidence[] = []): CheckOutcome {
  return { status: 'fail', message, evidence };
}

/** A fact whose value has the wrong shape: unknown, never fail. */
function badValue(name: string, record: FactRecord | undefined): CheckOutcome {
  return {
    status: 'unknown',
    message: `fact ${name} has an unexpected value ${formatValue(
      record?.value,
      60,
    )}`,
    evidence: [],
  };
}

/** The record of a fact the policy guarantees is present. */
function get(facts: EntityFacts, name: string): FactRecord {
  return facts.get(name)!;
}

function specString(entity: Entity, field: string): string | undefined {
  const value = entity.spec?.[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function declaredOwner(entity: Entity): string | undefined {
  const owner = specString(entity, 'owner');
  return owner
    ? normalizeEntityRef(owner, 'group', entity.metadata.namespace ?? 'default')
    : undefined;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function boolCheck(options: {
  id: string;
  fact: string;
  pass: string;
  fail: string;
  kind: string;
}): ReadinessEvaluator {
  return {
    id: options.id,
    facts: [options.fact],
    evaluate({ facts }) {
      const record = get(facts, options.fact);
      if (typeof record.value !== 'boolean') {
        return badValue(options.fact, record);
      }
      const evidence = factEvidence(record);
      if (evidence.length === 0) {
        evidence.push({
          kind: options.kind,
          text: record.value ? options.pass : options.fail,
          source: record.source,
        });
      }
      return record.value
        ? pass(options.pass, evidence)
        : fail(options.fail, evidence);
    },
  };
}

function listCheck(options: {
  id: string;
  fact: string;
  kind: string;
  noun: string;
  none: string;
}): ReadinessEvaluator {
  return {
    id: options.id,
    facts: [options.fact],
    evaluate({ facts }) {
      const record = get(facts, options.fact);
      const value = record.value === null ? [] : record.value;
      if (!isStringArray(value)) return badValue(options.fact, record);
      if (value.length === 0) return fail(options.none, factEvidence(record));
      const evidence: CheckEvidence[] = [];
      for (let i = 0; i < value.length && i < MAX_EVIDENCE; i++) {
        evidence.push({
          kind: options.kind,
          text: value[i],
          source: record.source,
        });
      }
      return pass(
        value.length === 1
          ? `${options.noun} is linked: ${value[0]}`
          : `${value.length} ${options.noun}s are linked`,
        evidence,
      );
    },
  };
}

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
  id: string,
  judge: (rules: AlertRuleFact[], record: FactRecord) => CheckOutcome,
  noAlertsEvidence: (record: FactRecord) => CheckEvidence[] = () => [],
): ReadinessEvaluator {
  return {
    id,
    facts: [ALERTING_FACTS.rules],
    evaluate({ facts }) {
      const record = get(facts, ALERTING_FACTS.rules);
      const rules = readRules(record);
      if (!rules) return badValue(ALERTING_FACTS.rules, record);
      if (rules.length === 0) {
        return fail(NO_ALERTS_MESSAGE, noAlertsEvidence(record));
      }
      return judge(rules, record);
    },
  };
}

/** An "every alert …" check: every selected rule must be `ok`. */
function everyRule(options: {
  id: string;
  /** Which rules the check is about (default: all). */
  select?: (rule: AlertRuleFact) => boolean;
  /** Message when the selection is empty but rules exist. */
  noneSelected?: string;
  ok: (rule: AlertRuleFact) => boolean;
  passMessage: (count: number) => string;
  failMessage: (bad: AlertRuleFact[], count: number) => string;
  note?: (rule: AlertRuleFact) => string | undefined;
}): ReadinessEvaluator {
  return rulesCheck(options.id, (rules, record) => {
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

// ---------------------------------------------------------------------------
// Ownership

const ownerSet: ReadinessEvaluator = {
  id: 'ownership.owner-set',
  facts: [CATALOG_FACTS.ownerSet],
  evaluate({ entity, facts }) {
    const record = get(facts, CATALOG_FACTS.ownerSet);
    if (typeof record.value !== 'boolean') {
      return badValue(CATALOG_FACTS.ownerSet, record);
    }
    if (!record.value) return fail('spec.owner is not set');
    const owner = declaredOwner(entity);
    return pass(
      owner ? `spec.owner is ${owner}` : 'spec.owner is set',
      owner ? [{ kind: 'owner', text: owner, source: 'spec.owner' }] : [],
    );
  },
};

const ownerIsTeam: ReadinessEvaluator = {
  id: 'ownership.owner-is-team',
  facts: [CATALOG_FACTS.ownerResolvedFrom, CATALOG_FACTS.ownerTeam],
  evaluate({ entity, facts }) {
    const from = get(facts, CATALOG_FACTS.ownerResolvedFrom);
    const teamRecord = get(facts, CATALOG_FACTS.ownerTeam);
    const team = isNonEmptyString(teamRecord.value)
      ? teamRecord.value
      : undefined;
    const owner = declaredOwner(entity) ?? 'the declared owner';
    switch (from.value) {
      case 'group':
        return pass(`owned by team ${team ?? owner}`, [
          { kind: 'team', text: team ?? owner, source: 'spec.owner' },
        ]);
      case 'user':
        return fail(
          team
            ? `a person (${owner}) owns it, not a team; their team is ${team}`
            : `a person (${owner}) owns it, not a team; they belong to no team`,
          [
            { kind: 'owner', text: owner, source: 'spec.owner' },
            ...(team ? [{ kind: 'team', text: team }] : []),
          ],
        );
      case 'dangling':
        return fail(`owner ${owner} does not exist in the catalog`, [
          { kind: 'owner', text: owner, source: 'spec.owner' },
        ]);
      case 'none':
      case null:
        return fail('spec.owner is not set, so no team owns it');
      default:
        return badValue(CATALOG_FACTS.ownerResolvedFrom, from);
    }
  },
};

const NO_TEAM = 'no team owns it';

const teamHasMembers: ReadinessEvaluator = {
  id: 'ownership.team-has-members',
  facts: [CATALOG_FACTS.teamMembers, CATALOG_FACTS.ownerTeam],
  evaluate({ facts }) {
    const record = get(facts, CATALOG_FACTS.teamMembers);
    const team = get(facts, CATALOG_FACTS.ownerTeam).value;
    if (!isNonEmptyString(team))
      return fail(`${NO_TEAM}, so nobody operates it`);
    const count = record.value === null ? 0 : record.value;
    if (!isFiniteNumber(count)) {
      return badValue(CATALOG_FACTS.teamMembers, record);
    }
    if (count >= 1) {
      return pass(
        `team ${team} has ${count} member${count === 1 ? '' : 's'}`,
        factEvidence(record),
      );
    }
    return fail(`team ${team} has no members`, [{ kind: 'team', text: team }]);
  },
};

const teamContact: ReadinessEvaluator = {
  id: 'ownership.team-contact',
  facts: [CATALOG_FACTS.teamContact, CATALOG_FACTS.ownerTeam],
  evaluate({ facts }) {
    const record = get(facts, CATALOG_FACTS.teamContact);
    const team = get(facts, CATALOG_FACTS.ownerTeam).value;
    if (!isNonEmptyString(team))
      return fail(`${NO_TEAM}, so nobody to contact`);
    if (typeof record.value !== 'boolean') {
      return badValue(CATALOG_FACTS.teamContact, record);
    }
    return record.value
      ? pass(`team ${team} can be reached`, factEvidence(record))
      : fail(
          `team ${team} has neither an email (spec.profile.email) nor a Slack channel (operability.io/slack-channel)`,
          [{ kind: 'team', text: team }],
        );
  },
};

function specFieldCheck(
  id: string,
  fact: string,
  field: string,
  kind: string,
): ReadinessEvaluator {
  return {
    id,
    facts: [fact],
    evaluate({ facts }) {
      const record = get(facts, fact);
      if (record.value === null || record.value === '') {
        return fail(`spec.${field} is not set`);
      }
      if (!isNonEmptyString(record.value)) return badValue(fact, record);
      return pass(`spec.${field} is ${record.value}`, [
        { kind, text: record.value, source: `spec.${field}` },
      ]);
    },
  };
}

// ---------------------------------------------------------------------------
// On call

const schedule = boolCheck({
  id: 'on-call.schedule',
  fact: ON_CALL_FACTS.covered,
  kind: 'on-call',
  pass: 'an on-call schedule or PagerDuty service covers it',
  fail: 'no on-call schedule or PagerDuty service covers it (own, its System’s or its owner’s)',
});

const primaryAndSecondary = boolCheck({
  id: 'on-call.primary-and-secondary',
  fact: ON_CALL_FACTS.primaryAndSecondary,
  kind: 'on-call',
  pass: 'a primary and a secondary are on call now',
  fail: 'right now there is not both a primary and a secondary on call',
});

const rotationSize: ReadinessEvaluator = {
  id: 'on-call.rotation-size',
  facts: [ON_CALL_FACTS.rotationSize],
  evaluate({ facts }) {
    const record = get(facts, ON_CALL_FACTS.rotationSize);
    const n = record.value;
    if (!isFiniteNumber(n) || n < 0) {
      return badValue(ON_CALL_FACTS.rotationSize, record);
    }
    const evidence = factEvidence(record);
    if (n < ROTATION_MIN) {
      return fail(
        `the rotation has ${n} engineer${
          n === 1 ? '' : 's'
        }; fewer than ${ROTATION_MIN} burns people out`,
        evidence,
      );
    }
    if (n > ROTATION_MAX) {
      return fail(
        `the rotation has ${n} engineers; more than ${ROTATION_MAX} and each is on call too rarely to keep in practice`,
        evidence,
      );
    }
    return pass(`the rotation has ${n} engineers`, evidence);
  },
};

const turnLength: ReadinessEvaluator = {
  id: 'on-call.turn-length',
  facts: [ON_CALL_FACTS.turnHours],
  evaluate({ facts }) {
    const record = get(facts, ON_CALL_FACTS.turnHours);
    const hours = record.value;
    if (!isFiniteNumber(hours) || hours <= 0) {
      return badValue(ON_CALL_FACTS.turnHours, record);
    }
    const evidence = factEvidence(record);
    const text =
      hours % 24 === 0
        ? `${hours / 24} day${hours === 24 ? '' : 's'}`
        : `${hours} hours`;
    return hours <= MAX_TURN_HOURS
      ? pass(`turns last ${text}`, evidence)
      : fail(`turns last ${text}, longer than one week`, evidence);
  },
};

const ownersOnCall: ReadinessEvaluator = {
  id: 'on-call.owners-on-call',
  facts: [ON_CALL_FACTS.ownersShare],
  evaluate({ facts }) {
    const record = get(facts, ON_CALL_FACTS.ownersShare);
    const share = record.value;
    if (!isFiniteNumber(share) || share < 0 || share > 1) {
      return badValue(ON_CALL_FACTS.ownersShare, record);
    }
    const evidence = factEvidence(record);
    return share >= MIN_OWNERS_SHARE
      ? pass(
          `${percent(share)} of the rotation belongs to the owning team`,
          evidence,
        )
      : fail(
          `only ${percent(
            share,
          )} of the rotation belongs to the owning team (at least ${percent(
            MIN_OWNERS_SHARE,
          )} needed)`,
          evidence,
        );
  },
};

// ---------------------------------------------------------------------------
// Instrumentation

const scraped: ReadinessEvaluator = {
  id: 'instrumentation.scraped',
  facts: [
    INSTRUMENTATION_FACTS.targetsCount,
    INSTRUMENTATION_FACTS.targetsUpRatio,
  ],
  evaluate({ facts }) {
    const countRecord = get(facts, INSTRUMENTATION_FACTS.targetsCount);
    const ratioRecord = get(facts, INSTRUMENTATION_FACTS.targetsUpRatio);
    const count = countRecord.value;
    if (!isFiniteNumber(count) || count < 0) {
      return badValue(INSTRUMENTATION_FACTS.targetsCount, countRecord);
    }
    if (count === 0) {
      return fail(
        'no Prometheus scrape target selects this service',
        factEvidence(countRecord),
      );
    }
    const ratio = ratioRecord.value;
    if (!isFiniteNumber(ratio) || ratio < 0 || ratio > 1) {
      return badValue(INSTRUMENTATION_FACTS.targetsUpRatio, ratioRecord);
    }
    const up = Math.round(ratio * count);
    const evidence = [
      ...factEvidence(countRecord),
      ...factEvidence(ratioRecord),
    ];
    if (evidence.length === 0) {
      evidence.push({
        kind: 'targets',
        text: `${up} of ${count} up`,
        source: countRecord.source,
      });
    }
    return ratio > 0
      ? pass(
          `${up} of ${count} scrape target${count === 1 ? '' : 's'} up`,
          evidence,
        )
      : fail(
          `all ${count} scrape target${count === 1 ? ' is' : 's are'} down`,
          evidence,
        );
  },
};

const goldenSignals: ReadinessEvaluator = {
  id: 'instrumentation.golden-signals',
  facts: [INSTRUMENTATION_FACTS.goldenSignals],
  evaluate({ facts }) {
    const record = get(facts, INSTRUMENTATION_FACTS.goldenSignals);
    const value = record.value === null ? [] : record.value;
    if (!isStringArray(value)) {
      return badValue(INSTRUMENTATION_FACTS.goldenSignals, record);
    }
    const evidence: CheckEvidence[] = factEvidence(record);
    if (evidence.length === 0) {
      for (const signal of value) {
        evidence.push({ kind: 'metric', text: signal, source: record.source });
      }
    }
    const missing = GOLDEN_SIGNALS.filter(s => !value.includes(s));
    return missing.length === 0
      ? pass(
          'request rate, errors and a latency histogram are exported',
          evidence,
        )
      : fail(`not exported: ${missing.join(', ')}`, evidence);
  },
};

const traces: ReadinessEvaluator = {
  id: 'instrumentation.traces',
  facts: [INSTRUMENTATION_FACTS.targetInfo, CATALOG_FACTS.tracingAnnotation],
  factPolicy: 'any',
  evaluate({ facts }) {
    // Either known-true fact passes; with only false (or unusable) facts it
    // fails; 'any' policy makes it unknown when neither fact is usable.
    const info = facts.get(INSTRUMENTATION_FACTS.targetInfo);
    const annotation = facts.get(CATALOG_FACTS.tracingAnnotation);
    if (info && typeof info.value !== 'boolean' && info.value !== null) {
      return badValue(INSTRUMENTATION_FACTS.targetInfo, info);
    }
    if (
      annotation &&
      typeof annotation.value !== 'boolean' &&
      annotation.value !== null
    ) {
      return badValue(CATALOG_FACTS.tracingAnnotation, annotation);
    }
    const evidence: CheckEvidence[] = [];
    if (info?.value === true) {
      evidence.push(
        ...(factEvidence(info).length
          ? factEvidence(info)
          : [{ kind: 'metric', text: 'target_info', source: info.source }]),
      );
    }
    if (annotation?.value === true) {
      evidence.push(
        ...(factEvidence(annotation).length
          ? factEvidence(annotation)
          : [
              {
                kind: 'annotation',
                text: 'tracing annotation',
                source: annotation.source,
              },
            ]),
      );
    }
    if (info?.value === true && annotation?.value === true) {
      return pass(
        'OpenTelemetry resource info (target_info) is exported and a tracing annotation is set',
        evidence,
      );
    }
    if (info?.value === true) {
      return pass(
        'OpenTelemetry resource info (target_info) is exported',
        evidence,
      );
    }
    if (annotation?.value === true) {
      return pass('a tracing annotation is set', evidence);
    }
    let unknownPart = '';
    if (!info) unknownPart = '; whether target_info is exported is unknown';
    else if (!annotation) {
      unknownPart = '; whether a tracing annotation is set is unknown';
    }
    return fail(
      `no OpenTelemetry resource info (target_info) and no tracing annotation${unknownPart}`,
    );
  },
};

const dashboard = listCheck({
  id: 'instrumentation.dashboard',
  fact: CATALOG_FACTS.dashboard,
  kind: 'dashboard',
  noun: 'dashboard',
  none: 'no dashboard is linked',
});

// ---------------------------------------------------------------------------
// Alerting

const hasAlerts = rulesCheck(
  'alerting.has-alerts',
  (rules, record) =>
    pass(
      `${rules.length} alerting rule${rules.length === 1 ? '' : 's'} select${
        rules.length === 1 ? 's' : ''
      } this service`,
      listRules(rules, record),
    ),
  factEvidence,
);

const severityLabels = everyRule({
  id: 'alerting.severity-labels',
  ok: r => isNonEmptyString(r.severity),
  note: r => (r.severity ? `severity ${r.severity}` : 'no severity'),
  passMessage: n =>
    n === 1
      ? 'the alert has a severity label'
      : `all ${n} alerts have a severity label`,
  failMessage: (bad, n) =>
    `${bad.length} of ${n} alerts have no severity label: ${names(bad)}`,
});

const isCritical = (r: AlertRuleFact) => r.severity === 'critical';

const runbooks = everyRule({
  id: 'alerting.runbooks',
  select: isCritical,
  noneSelected: 'no critical alerts, so none lacks a runbook_url',
  ok: r => isNonEmptyString(r.runbookUrl),
  note: r => (r.runbookUrl ? `runbook ${r.runbookUrl}` : 'no runbook_url'),
  passMessage: n =>
    n === 1
      ? 'the critical alert carries a runbook_url'
      : `all ${n} critical alerts carry a runbook_url`,
  failMessage: (bad, n) =>
    `${bad.length} of ${n} critical alerts have no runbook_url: ${names(bad)}`,
});

const forDuration = everyRule({
  id: 'alerting.for-duration',
  ok: r => isFiniteNumber(r.forSeconds) && r.forSeconds >= MIN_FOR_SECONDS,
  note: r => `for ${isFiniteNumber(r.forSeconds) ? r.forSeconds : 0}s`,
  passMessage: n =>
    n === 1
      ? 'the alert waits at least 1m before firing'
      : `all ${n} alerts wait at least 1m before firing`,
  failMessage: (bad, n) =>
    `${bad.length} of ${n} alerts fire without waiting 1m ('for' < 1m): ${names(
      bad,
    )}`,
});

const sloBurnRate = rulesCheck('alerting.slo-burn-rate', (rules, record) => {
  const burn = rules.filter(r => r.burnRate === true);
  return burn.length > 0
    ? pass(
        `SLO burn-rate alert${burn.length === 1 ? '' : 's'}: ${names(burn)}`,
        listRules(burn, record),
      )
    : fail(`none of the ${rules.length} alerts is an SLO burn-rate alert`);
});

function readRoutes(record: FactRecord): AlertRoutesFact | undefined {
  const value = record.value === null ? {} : record.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }
  return value as AlertRoutesFact;
}

const criticalPages: ReadinessEvaluator = {
  id: 'alerting.critical-pages',
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
        `critical alerts page through ${paging.map(r => r.name).join(', ')} (${
          paging[0].routePath
        })`,
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
};

// ---------------------------------------------------------------------------
// Documentation

const description = boolCheck({
  id: 'documentation.description',
  fact: CATALOG_FACTS.description,
  kind: 'field',
  pass: 'metadata.description is set',
  fail: 'metadata.description is not set',
});

const runbook = listCheck({
  id: 'documentation.runbook',
  fact: CATALOG_FACTS.runbook,
  kind: 'runbook',
  noun: 'runbook',
  none: 'no runbook is linked',
});

const techdocs = boolCheck({
  id: 'documentation.techdocs',
  fact: CATALOG_FACTS.techdocs,
  kind: 'annotation',
  pass: 'TechDocs are set up (backstage.io/techdocs-ref)',
  fail: 'TechDocs are not set up: no backstage.io/techdocs-ref annotation',
});

/** Every built-in evaluator, one per check of the default rubric, in its order. */
export const BUILTIN_EVALUATOR_LIST: readonly ReadinessEvaluator[] = [
  ownerSet,
  ownerIsTeam,
  teamHasMembers,
  teamContact,
  specFieldCheck(
    'ownership.lifecycle-set',
    CATALOG_FACTS.lifecycle,
    'lifecycle',
    'lifecycle',
  ),
  specFieldCheck(
    'ownership.in-system',
    CATALOG_FACTS.system,
    'system',
    'system',
  ),
  schedule,
  primaryAndSecondary,
  rotationSize,
  turnLength,
  ownersOnCall,
  scraped,
  goldenSignals,
  traces,
  dashboard,
  hasAlerts,
  severityLabels,
  criticalPages,
  runbooks,
  forDuration,
  sloBurnRate,
  description,
  runbook,
  techdocs,
];

/**
 * The built-in evaluators by id (the check ids of the default rubric), as
 * `compileRubric` and `readRubricConfig` take them.
 */
export const BUILTIN_EVALUATORS: ReadonlyMap<string, ReadinessEvaluator> =
  new Map(BUILTIN_EVALUATOR_LIST.map(e => [e.id, e]));

/** The built-in evaluators plus others (which replace a built-in of the same id). */
export function builtinEvaluatorMap(
  extra: Iterable<BuiltinEvaluator> = [],
): Map<string, BuiltinEvaluator> {
  const map = new Map<string, BuiltinEvaluator>(BUILTIN_EVALUATORS);
  for (const e of extra) map.set(e.id, e);
  return map;
}
