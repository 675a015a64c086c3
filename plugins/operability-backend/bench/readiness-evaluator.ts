/* eslint-disable no-console */
/**
 * Benchmark of the readiness evaluator (the hot path), and the same checks
 * through json-rules-engine for comparison.
 *
 *   cd /work/main
 *   scripts/toolchain node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/operability-backend/bench/readiness-evaluator.ts
 *
 * Environment: BENCH_ENTITIES (default 10000), BENCH_ROUNDS (default 3),
 * BENCH_BUDGET_MS (default 20000, the whole run stops by then).
 *
 * json-rules-engine is not a dependency of the package. It is loaded with a
 * dynamic require; without it the comparison is skipped with a message. To
 * run it without touching the workspace:
 *   npm install --prefix /tmp/jre json-rules-engine@7.3.1
 *   NODE_PATH=/tmp/jre/node_modules scripts/toolchain node --require … bench/readiness-evaluator.ts
 *
 * Honesty of the comparison: both sides get the same 10,000 entities and the
 * same fact values, evaluate the same 24 checks per entity (filters
 * included), for the same number of rounds. json-rules-engine gets plain fact
 * objects built before timing (its input format), and checks that need more
 * than its built-in operators (every alert has a severity, …) get custom
 * operators, which is how it is extended. It does not check fact ages,
 * staleness or exemptions and builds no messages or evidence; the evaluator
 * does all of that, so the comparison favours json-rules-engine. All
 * generated facts are younger than the maximum age, so both sides must agree
 * on which checks pass; the bench counts disagreements.
 */
import type { Entity } from '@backstage/catalog-model';
import type { Exemption } from '@opsready/plugin-operability-common';
import {
  ALERTING_FACTS,
  INSTRUMENTATION_FACTS,
  type AlertRoutesFact,
  type AlertRuleFact,
} from '@opsready/plugin-operability-node';
import { CATALOG_FACTS, ON_CALL_FACTS } from '../src/readiness/builtinFacts';
import { BUILTIN_EVALUATORS } from '../src/readiness/checks';
import { compileRubric, evaluate } from '../src/readiness/evaluator/evaluate';
import { defaultRubric } from '../src/readiness/rubric/defaultRubric';
import type { FactRecord } from '../src/readiness/types';

const ENTITIES = Number(process.env.BENCH_ENTITIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 20_000);
const JRE_VERSION = '7.3.1';
const started = performance.now();
const deadline = started + BUDGET_MS;

// --- Deterministic data ------------------------------------------------------

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20260302);
const chance = (p: number) => random() < p;
const pick = <T>(values: readonly T[]): T =>
  values[Math.floor(random() * values.length)];
const int = (lo: number, hi: number) =>
  lo + Math.floor(random() * (hi - lo + 1));

const NOW = new Date('2026-03-02T12:00:00.000Z');
const FRESH = new Date(NOW.getTime() - 5 * 60_000).toISOString();
const STALE = new Date(NOW.getTime() - 3 * 3_600_000).toISOString();

interface Sample {
  entity: Entity;
  facts: Map<string, FactRecord>;
  exemptions: Exemption[];
}

function makeRules(): AlertRuleFact[] {
  const rules: AlertRuleFact[] = [];
  const n = chance(0.15) ? 0 : int(1, 6);
  for (let i = 0; i < n; i++) {
    rules.push({
      alert: `Alert${i}`,
      file: `rules/svc-${i % 3}.yaml`,
      group: 'svc',
      severity: chance(0.1) ? undefined : pick(['critical', 'warning', 'info']),
      runbookUrl: chance(0.7) ? `https://runbooks/a${i}` : undefined,
      forSeconds: pick([0, 30, 60, 300, 600]),
      burnRate: chance(0.2),
      labels: { job: 'svc' },
    });
  }
  return rules;
}

function makeRoutes(): AlertRoutesFact {
  return {
    critical: {
      receivers: chance(0.1)
        ? []
        : [
            {
              name: chance(0.75) ? 'pagerduty' : 'slack',
              pages: chance(0.75),
              routePath: 'route > routes[0]',
            },
          ],
    },
    warning: {
      receivers: [
        { name: 'slack', pages: false, routePath: 'route > routes[1]' },
      ],
    },
  };
}

function makeSample(i: number): Sample {
  const kind = chance(0.9) ? 'Component' : pick(['API', 'System', 'Resource']);
  const type =
    kind === 'Component'
      ? pick(['service', 'service', 'service', 'website', 'library'])
      : 'openapi';
  const name = `svc-${i}`;
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', tags: chance(0.3) ? ['java'] : [] },
    spec: {
      type,
      lifecycle: pick(['production', 'experimental']),
      owner: `group:default/team-${i % 40}`,
    },
  };
  const hasTeam = chance(0.9);
  const values: Record<string, unknown> = {
    [CATALOG_FACTS.ownerSet]: chance(0.95),
    [CATALOG_FACTS.ownerResolvedFrom]: hasTeam
      ? 'group'
      : pick(['user', 'dangling', 'none']),
    [CATALOG_FACTS.ownerTeam]: hasTeam ? `group:default/team-${i % 40}` : null,
    [CATALOG_FACTS.teamMembers]: int(0, 10),
    [CATALOG_FACTS.teamContact]: chance(0.8),
    [CATALOG_FACTS.lifecycle]: chance(0.9) ? 'production' : null,
    [CATALOG_FACTS.system]: chance(0.6) ? 'system:default/shop' : null,
    [CATALOG_FACTS.description]: chance(0.85),
    [CATALOG_FACTS.runbook]: chance(0.6) ? ['https://runbooks/svc'] : [],
    [CATALOG_FACTS.dashboard]: chance(0.7) ? ['https://grafana/d/svc'] : [],
    [CATALOG_FACTS.techdocs]: chance(0.5),
    [CATALOG_FACTS.tracingAnnotation]: chance(0.3),
    [ON_CALL_FACTS.covered]: chance(0.8),
    [ON_CALL_FACTS.source]: 'schedule',
    [ON_CALL_FACTS.primaryAndSecondary]: chance(0.7),
    [ON_CALL_FACTS.rotationSize]: int(1, 12),
    [ON_CALL_FACTS.turnHours]: pick([24, 84, 168, 336]),
    [ON_CALL_FACTS.ownersShare]: Math.round(random() * 100) / 100,
    [INSTRUMENTATION_FACTS.targetsCount]: int(0, 5),
    [INSTRUMENTATION_FACTS.targetsUpRatio]: pick([0, 0.5, 1]),
    [INSTRUMENTATION_FACTS.goldenSignals]: pick([
      ['requests', 'errors', 'latency-histogram'],
      ['requests', 'errors'],
      [],
    ]),
    [INSTRUMENTATION_FACTS.targetInfo]: chance(0.4),
    [ALERTING_FACTS.rules]: makeRules(),
    [ALERTING_FACTS.routes]: makeRoutes(),
  };
  // Prometheus not yet collected for some, stale (but young) for others.
  const prometheusMissing = chance(0.05);
  const prometheusStale = chance(0.05);
  const facts = new Map<string, FactRecord>();
  for (const [factName, value] of Object.entries(values)) {
    const fromPrometheus =
      factName.startsWith('prometheus.') || factName.startsWith('alerting.');
    if (fromPrometheus && prometheusMissing) continue;
    const stale = fromPrometheus && prometheusStale;
    facts.set(factName, {
      value,
      source: fromPrometheus ? 'prometheus' : 'catalog',
      collectedAt: stale ? STALE : FRESH,
      ...(stale ? { staleReason: 'Prometheus: connect ECONNREFUSED' } : {}),
    });
  }
  const exemptions: Exemption[] = chance(0.02)
    ? [
        {
          id: `ex-${i}`,
          entityRef: `${kind.toLowerCase()}:default/${name}`,
          checkId: 'alerting.slo-burn-rate',
          reason: 'no SLO yet',
          author: 'user:default/alice',
          expiresAt: '2026-06-01T00:00:00Z',
        },
      ]
    : [];
  return { entity, facts, exemptions };
}

const samples = Array.from({ length: ENTITIES }, (_, i) => makeSample(i));
const rubric = defaultRubric();
const compiled = compileRubric(rubric, BUILTIN_EVALUATORS);
const CHECKS = rubric.checks.length;

// --- The evaluator --------------------------------------------------------

// Each timed loop keeps, per entity, only a bitmask of the checks that pass
// (bit i = check i): the same small summary for both engines, so neither
// pays for the other's output and the two can be compared afterwards.
const BIT = new Map(rubric.checks.map((c, i) => [c.id, 1 << i]));
const STATUSES = ['pass', 'fail', 'unknown', 'exempt', 'not-applicable'];

function evaluatorRound(
  count: number,
  masks: Int32Array,
  exempted: Int32Array,
  tally?: Record<string, number>,
) {
  for (let i = 0; i < count; i++) {
    const s = samples[i];
    const report = evaluate(s.entity, s.facts, compiled, s.exemptions, NOW);
    let mask = 0;
    let exempt = 0;
    const checks = report.checks;
    for (let c = 0; c < checks.length; c++) {
      const status = checks[c].status;
      if (status === 'pass') mask |= 1 << c;
      else if (status === 'exempt') exempt |= 1 << c;
      if (tally) tally[status]++;
    }
    masks[i] = mask;
    exempted[i] = exempt;
  }
}

const ourMasks = new Int32Array(ENTITIES);
const exemptMasks = new Int32Array(ENTITIES);
evaluatorRound(Math.min(1000, ENTITIES), ourMasks, exemptMasks); // warm-up
let ourEvaluations = 0;
let ourRounds = 0;
const tally: Record<string, number> = Object.fromEntries(
  STATUSES.map(k => [k, 0]),
);
const ourStart = performance.now();
for (let r = 0; r < ROUNDS && performance.now() < deadline; r++) {
  evaluatorRound(
    ENTITIES,
    ourMasks,
    exemptMasks,
    r === ROUNDS - 1 ? tally : undefined,
  );
  ourEvaluations += ENTITIES * CHECKS;
  ourRounds++;
}
const ourMs = performance.now() - ourStart;
const ourRate = ourEvaluations / (ourMs / 1000);
const format = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `evaluator: ${ENTITIES} entities × ${CHECKS} checks × ${ourRounds} rounds = ${format(
    ourEvaluations,
  )} check evaluations in ${ourMs.toFixed(0)} ms → ${format(
    ourRate,
  )} per second (one core)`,
);
console.log(`  statuses in the last round: ${JSON.stringify(tally)}`);

// The same, keeping every report of a round in memory (as a cycle that
// writes all reports at the end would): shows the garbage collector's share.
{
  const kept: ReturnType<typeof evaluate>[] = new Array(ENTITIES);
  const t0 = performance.now();
  for (let i = 0; i < ENTITIES; i++) {
    const s = samples[i];
    kept[i] = evaluate(s.entity, s.facts, compiled, s.exemptions, NOW);
  }
  const ms = performance.now() - t0;
  console.log(
    `  one more round keeping all ${format(
      ENTITIES,
    )} reports in memory: ${format(
      (ENTITIES * CHECKS) / (ms / 1000),
    )} per second`,
  );
}

// --- json-rules-engine ----------------------------------------------------

type JreEngine = {
  addOperator(name: string, fn: (a: any, b: any) => boolean): void;
  addRule(rule: unknown): void;
  run(facts: Record<string, unknown>): Promise<{
    events: { type: string }[];
    failureEvents: { type: string }[];
  }>;
};

function loadJre():
  | { Engine: new (rules: unknown[], options: unknown) => JreEngine }
  | undefined {
  try {
    // Not a dependency of the package: loaded dynamically, skipped when absent.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('json-rules-engine');
  } catch {
    return undefined;
  }
}

const OWNED = ['component', 'api', 'resource', 'system'];
const SERVICE = [
  { fact: 'kind', operator: 'equal', value: 'component' },
  { fact: 'type', operator: 'in', value: ['service', 'website'] },
];
const is = (fact: string, value: unknown) => ({
  fact,
  operator: 'equal',
  value,
});

/** The default checks as json-rules-engine rules: filter + condition. */
function jreRules(): { id: string; all: unknown[] }[] {
  const rules = ALERTING_FACTS.rules;
  const f = { ...CATALOG_FACTS, ...ON_CALL_FACTS };
  const owned = [{ fact: 'kind', operator: 'in', value: OWNED }];
  return [
    { id: 'ownership.owner-set', all: [...owned, is(f.ownerSet, true)] },
    {
      id: 'ownership.owner-is-team',
      all: [...owned, is(f.ownerResolvedFrom, 'group')],
    },
    {
      id: 'ownership.team-has-members',
      all: [
        ...owned,
        { fact: f.ownerTeam, operator: 'nonEmptyString', value: true },
        { fact: f.teamMembers, operator: 'greaterThanInclusive', value: 1 },
      ],
    },
    {
      id: 'ownership.team-contact',
      all: [
        ...owned,
        { fact: f.ownerTeam, operator: 'nonEmptyString', value: true },
        is(f.teamContact, true),
      ],
    },
    {
      id: 'ownership.lifecycle-set',
      all: [
        { fact: 'kind', operator: 'in', value: ['component', 'api'] },
        { fact: f.lifecycle, operator: 'nonEmptyString', value: true },
      ],
    },
    {
      id: 'ownership.in-system',
      all: [
        {
          fact: 'kind',
          operator: 'in',
          value: ['component', 'api', 'resource'],
        },
        { fact: f.system, operator: 'nonEmptyString', value: true },
      ],
    },
    { id: 'on-call.schedule', all: [...SERVICE, is(f.covered, true)] },
    {
      id: 'on-call.primary-and-secondary',
      all: [...SERVICE, is(f.primaryAndSecondary, true)],
    },
    {
      id: 'on-call.rotation-size',
      all: [
        ...SERVICE,
        { fact: f.rotationSize, operator: 'greaterThanInclusive', value: 6 },
        { fact: f.rotationSize, operator: 'lessThanInclusive', value: 8 },
      ],
    },
    {
      id: 'on-call.turn-length',
      all: [
        ...SERVICE,
        { fact: f.turnHours, operator: 'greaterThan', value: 0 },
        { fact: f.turnHours, operator: 'lessThanInclusive', value: 168 },
      ],
    },
    {
      id: 'on-call.owners-on-call',
      all: [
        ...SERVICE,
        { fact: f.ownersShare, operator: 'greaterThanInclusive', value: 0.8 },
      ],
    },
    {
      id: 'instrumentation.scraped',
      all: [
        ...SERVICE,
        {
          fact: INSTRUMENTATION_FACTS.targetsCount,
          operator: 'greaterThan',
          value: 0,
        },
        {
          fact: INSTRUMENTATION_FACTS.targetsUpRatio,
          operator: 'greaterThan',
          value: 0,
        },
      ],
    },
    {
      id: 'instrumentation.golden-signals',
      all: [
        ...SERVICE,
        ...['requests', 'errors', 'latency-histogram'].map(value => ({
          fact: INSTRUMENTATION_FACTS.goldenSignals,
          operator: 'contains',
          value,
        })),
      ],
    },
    {
      id: 'instrumentation.traces',
      all: [
        ...SERVICE,
        {
          any: [
            is(INSTRUMENTATION_FACTS.targetInfo, true),
            is(f.tracingAnnotation, true),
          ],
        },
      ],
    },
    {
      id: 'instrumentation.dashboard',
      all: [
        ...SERVICE,
        { fact: f.dashboard, operator: 'nonEmptyArray', value: true },
      ],
    },
    {
      id: 'alerting.has-alerts',
      all: [
        ...SERVICE,
        { fact: rules, operator: 'nonEmptyArray', value: true },
      ],
    },
    {
      id: 'alerting.severity-labels',
      all: [
        ...SERVICE,
        { fact: rules, operator: 'nonEmptyArray', value: true },
        { fact: rules, operator: 'everyRuleHasSeverity', value: true },
      ],
    },
    {
      id: 'alerting.critical-pages',
      all: [
        ...SERVICE,
        { fact: rules, operator: 'someRuleHasSeverity', value: 'critical' },
        {
          fact: ALERTING_FACTS.routes,
          operator: 'severityPages',
          value: 'critical',
        },
      ],
    },
    {
      id: 'alerting.runbooks',
      all: [
        ...SERVICE,
        { fact: rules, operator: 'nonEmptyArray', value: true },
        { fact: rules, operator: 'criticalRulesHaveRunbooks', value: true },
      ],
    },
    {
      id: 'alerting.for-duration',
      all: [
        ...SERVICE,
        { fact: rules, operator: 'nonEmptyArray', value: true },
        { fact: rules, operator: 'everyRuleWaitsAtLeast', value: 60 },
      ],
    },
    {
      id: 'alerting.slo-burn-rate',
      all: [
        ...SERVICE,
        { fact: rules, operator: 'someRuleIsBurnRate', value: true },
      ],
    },
    {
      id: 'documentation.description',
      all: [...owned, is(f.description, true)],
    },
    {
      id: 'documentation.runbook',
      all: [
        ...SERVICE,
        { fact: f.runbook, operator: 'nonEmptyArray', value: true },
      ],
    },
    {
      id: 'documentation.techdocs',
      all: [is('kind', 'component'), is(f.techdocs, true)],
    },
  ];
}

function makeEngine(jre: NonNullable<ReturnType<typeof loadJre>>): JreEngine {
  const engine = new jre.Engine([], { allowUndefinedFacts: true });
  const asRules = (v: unknown) =>
    Array.isArray(v) ? (v as AlertRuleFact[]) : [];
  engine.addOperator(
    'nonEmptyString',
    a => typeof a === 'string' && a.length > 0,
  );
  engine.addOperator('nonEmptyArray', a => Array.isArray(a) && a.length > 0);
  engine.addOperator('everyRuleHasSeverity', a =>
    asRules(a).every(
      r => typeof r.severity === 'string' && r.severity.length > 0,
    ),
  );
  engine.addOperator('someRuleHasSeverity', (a, b) =>
    asRules(a).some(r => r.severity === b),
  );
  engine.addOperator('criticalRulesHaveRunbooks', a =>
    asRules(a)
      .filter(r => r.severity === 'critical')
      .every(r => typeof r.runbookUrl === 'string' && r.runbookUrl.length > 0),
  );
  engine.addOperator('everyRuleWaitsAtLeast', (a, b) =>
    asRules(a).every(r => r.forSeconds >= b),
  );
  engine.addOperator('someRuleIsBurnRate', a =>
    asRules(a).some(r => r.burnRate === true),
  );
  engine.addOperator('severityPages', (a, b) =>
    Boolean(
      a?.[b]?.receivers?.some((r: { pages: boolean }) => r.pages === true),
    ),
  );
  for (const rule of jreRules()) {
    engine.addRule({
      name: rule.id,
      conditions: { all: rule.all },
      event: { type: rule.id },
    });
  }
  return engine;
}

async function compareWithJre() {
  const jre = loadJre();
  if (!jre) {
    console.log(
      `json-rules-engine: not installed, comparison skipped. Add it with \`yarn add -D json-rules-engine@${JRE_VERSION}\` in plugins/operability-backend (or run with NODE_PATH pointing at a copy installed elsewhere).`,
    );
    return;
  }
  const engine = makeEngine(jre);
  // The engine's input format, built before timing.
  const inputs = samples.map(s => {
    const o: Record<string, unknown> = {
      kind: s.entity.kind.toLowerCase(),
      type: s.entity.spec?.type,
    };
    for (const [name, record] of s.facts) o[name] = record.value;
    return o;
  });
  for (let i = 0; i < Math.min(1000, ENTITIES); i++)
    await engine.run(inputs[i]); // warm-up

  let evaluations = 0;
  let rounds = 0;
  let cut = false;
  const jreMasks = new Int32Array(ENTITIES);
  const t0 = performance.now();
  for (let r = 0; r < ourRounds && !cut; r++) {
    for (let i = 0; i < ENTITIES; i++) {
      if ((i & 255) === 0 && performance.now() > deadline) {
        cut = true;
        break;
      }
      const { events } = await engine.run(inputs[i]);
      let mask = 0;
      for (const e of events) mask |= BIT.get(e.type)!;
      jreMasks[i] = mask;
      evaluations += CHECKS;
    }
    if (!cut) rounds++;
  }
  const ms = performance.now() - t0;
  const rate = evaluations / (ms / 1000);
  console.log(
    `json-rules-engine ${JRE_VERSION}: ${format(
      evaluations,
    )} rule evaluations (${rounds} full rounds${
      cut ? `, cut at the ${BUDGET_MS / 1000}s budget` : ''
    }) in ${ms.toFixed(0)} ms → ${format(rate)} per second`,
  );
  console.log(
    `ratio: the evaluator is ${(ourRate / rate).toFixed(1)}× json-rules-engine`,
  );

  if (rounds > 0) {
    let agree = 0;
    let compared = 0;
    const disagreements: string[] = [];
    for (let i = 0; i < ENTITIES; i++) {
      for (let c = 0; c < CHECKS; c++) {
        const bit = 1 << c;
        if (exemptMasks[i] & bit) continue; // json-rules-engine knows no exemptions
        compared++;
        if ((ourMasks[i] & bit) === (jreMasks[i] & bit)) agree++;
        else if (disagreements.length < 5) {
          disagreements.push(
            `${samples[i].entity.metadata.name} ${rubric.checks[c].id}`,
          );
        }
      }
    }
    console.log(
      `agreement on which checks pass: ${format(agree)} of ${format(compared)}${
        disagreements.length ? `; e.g. ${disagreements.join(', ')}` : ''
      }`,
    );
  }
}

compareWithJre()
  .then(() =>
    console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`),
  )
  .catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
