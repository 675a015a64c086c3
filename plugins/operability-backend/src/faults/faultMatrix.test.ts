import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import type {
  CheckResult,
  EntityReport,
} from '@opsready/plugin-operability-common';
// The fault matrix runs the plugin with the real source modules. This package
// does not list them (yet) as devDependencies: adding them changes yarn.lock,
// which only a `yarn install` may write. Until then they resolve through the
// workspace.
// eslint-disable-next-line @backstage/no-undeclared-imports
import prometheusModule from '@opsready/plugin-operability-backend-module-prometheus';
// eslint-disable-next-line @backstage/no-undeclared-imports
import pagerDutyModule from '@opsready/plugin-operability-backend-module-pagerduty';
import type { Knex } from 'knex';
import request from 'supertest';
import { operabilityPlugin } from '../plugin';
import { formatDuration } from '../readiness/evaluator/format';
import {
  readinessFromStored,
  type StoredReadiness,
} from '../readiness/storedReadiness';
import { createTestDatabases } from '../__testUtils__/databases';
import { FAULTS, Fault, FaultServer } from '../__testUtils__/faultServer';
import {
  FaultSources,
  startFaultSources,
  TIMEOUTS,
} from '../__testUtils__/faultSources';

/*
 * The fault matrix (issue 10): for each source and each way it can fail, a
 * cycle with the fault after a good cycle, then a good cycle again. What must
 * hold (DESIGN.md, "Data flow": unknown is not fail, an outage does not
 * rewrite history, nothing is lost) is one `it` each, so that a cell that
 * breaks says which promise it broke. plugins/operability-backend/README.md
 * lists every cell with its test.
 */

const CYCLE_TASK_ID = 'operability-readiness-cycle';
/** A cycle with a fault must end within this (the slowest timeout is the provider's). */
const CYCLE_BOUND_MS = TIMEOUTS.provider + 1500;

type SourceId =
  | 'catalog'
  | 'prometheus'
  | 'alertmanager'
  | 'rules'
  | 'pagerduty';

/** An entity's check, by short entity name and check id. */
type CheckRef = [entity: string, check: string];

interface SourceSpec {
  title: string;
  /** Provider ids whose run fails as a whole (operability_provider_runs). */
  failingProviders: string[];
  /** (entity, provider) whose stored facts are the last good ones during the fault. */
  keptFacts: [entity: string, provider: string][];
  /** Checks that must say their facts are stale, and why. */
  staleChecks: CheckRef[];
  /** Checks that must not: they read only sources that did not fail. */
  freshChecks: CheckRef[];
  /** The reason, per fault. */
  reasons: Record<Fault, RegExp>;
  /**
   * Whether the last good facts date from the good cycle's start (fact
   * providers), or from when the source last answered during it (on-call).
   */
  lastGoodIsCycleTime: boolean;
}

const HTTP_REASONS = (what: RegExp): Record<Fault, RegExp> => ({
  down: new RegExp(`${what.source}.*connection refused`),
  slow: new RegExp(`${what.source}.*timed out after ${TIMEOUTS.request} ms`),
  '5xx': new RegExp(`${what.source}.*HTTP 503`),
  garbage: new RegExp(`${what.source}.*(expected an object|malformed JSON)`),
  truncated: new RegExp(
    `${what.source}.*(connection closed before the answer was complete|truncated JSON|terminated)`,
  ),
  partial: new RegExp(`${what.source}.*`),
});

const SOURCES: Record<SourceId, SourceSpec> = {
  catalog: {
    title: 'catalog',
    failingProviders: ['catalog'],
    lastGoodIsCycleTime: true,
    keptFacts: [
      ['payments-api', 'catalog'],
      ['ledger', 'catalog'],
      ['paged', 'catalog'],
    ],
    staleChecks: [
      ['payments-api', 'documentation.description'],
      ['payments-api', 'ownership.team-contact'],
    ],
    freshChecks: [
      ['payments-api', 'instrumentation.golden-signals'],
      ['payments-api', 'alerting.has-alerts'],
    ],
    reasons: {
      down: /[Cc]atalog.*ECONNREFUSED/,
      slow: /[Cc]atalog.*timed out/,
      '5xx': /[Cc]atalog.*503/,
      garbage: /[Cc]atalog/,
      truncated: /[Cc]atalog.*(terminated|closed)/,
      partial: /[Cc]atalog/,
    },
  },
  prometheus: {
    title: 'Prometheus',
    // Prometheus serves the targets, the metrics and the loaded alert rules.
    failingProviders: ['prometheus', 'alert-rules'],
    lastGoodIsCycleTime: true,
    keptFacts: [
      ['payments-api', 'prometheus'],
      ['ledger', 'prometheus'],
      ['payments-api', 'alert-rules'],
      ['ledger', 'alert-rules'],
    ],
    staleChecks: [
      ['payments-api', 'instrumentation.scraped'],
      ['payments-api', 'instrumentation.golden-signals'],
      ['ledger', 'instrumentation.scraped'],
      ['payments-api', 'alerting.has-alerts'],
    ],
    freshChecks: [
      ['payments-api', 'documentation.description'],
      ['payments-api', 'on-call.schedule'],
      ['paged', 'on-call.primary-and-secondary'],
    ],
    reasons: {
      ...HTTP_REASONS(/Prometheus 'main'/),
      partial:
        /Prometheus 'main'.*partial answer with warnings: remote read of store-2 failed/,
    },
  },
  alertmanager: {
    title: 'Alertmanager',
    failingProviders: ['alertmanager'],
    lastGoodIsCycleTime: true,
    keptFacts: [
      ['payments-api', 'alertmanager'],
      ['ledger', 'alertmanager'],
    ],
    staleChecks: [
      ['payments-api', 'alerting.critical-pages'],
      ['ledger', 'alerting.critical-pages'],
    ],
    freshChecks: [
      ['payments-api', 'instrumentation.scraped'],
      ['payments-api', 'alerting.has-alerts'],
      ['payments-api', 'documentation.description'],
    ],
    reasons: {
      ...HTTP_REASONS(/Alertmanager/),
      partial: /Alertmanager.*(running config|config\.original)/,
    },
  },
  rules: {
    title: 'rule files',
    // One entity's rule file fails: its problem, not the provider's.
    failingProviders: [],
    lastGoodIsCycleTime: true,
    keptFacts: [
      ['payments-api', 'alert-rules'],
      ['payments-api', 'alertmanager'],
    ],
    staleChecks: [
      ['payments-api', 'alerting.has-alerts'],
      ['payments-api', 'alerting.runbooks'],
    ],
    freshChecks: [
      ['ledger', 'alerting.has-alerts'],
      ['ledger', 'alerting.critical-pages'],
      ['payments-api', 'instrumentation.scraped'],
    ],
    reasons: {
      down: /rules\/payments-api\.yaml.*cannot be read/,
      slow: /rules\/payments-api\.yaml.*(timed out|cannot be read)/,
      '5xx': /rules\/payments-api\.yaml.*cannot be read.*503/,
      garbage: /rules\/payments-api\.yaml/,
      truncated: /rules\/payments-api\.yaml.*cannot be read/,
      partial: /rules\/payments-api\.yaml.*expr/,
    },
  },
  pagerduty: {
    title: 'PagerDuty',
    // On-call keeps the last good answer of a provider that fails.
    failingProviders: [],
    lastGoodIsCycleTime: false,
    keptFacts: [['paged', 'on-call']],
    staleChecks: [
      ['paged', 'on-call.schedule'],
      ['paged', 'on-call.primary-and-secondary'],
    ],
    freshChecks: [
      ['payments-api', 'on-call.primary-and-secondary'],
      ['paged', 'documentation.description'],
    ],
    reasons: {
      down: /PagerDuty.*(refused|ECONNREFUSED|network)/i,
      slow: /PagerDuty did not answer .* within 500 ms/,
      '5xx': /PagerDuty.*503/,
      garbage: /PagerDuty.*(JSON|malformed)/i,
      truncated: /PagerDuty/,
      partial: /PagerDuty.*(lacks|no id|malformed)/i,
    },
  },
};

/** The promises each cell checks, one `it` each, in this order. */
const PROMISES = {
  completes: 'completes the cycle within the timeouts',
  othersFresh: "keeps the other sources' facts fresh",
  staleKept: 'keeps the last good facts, marked stale with their age and why',
  lastSuccessKept: 'keeps the time of the last success stored',
  shown: 'shows the problem on the entity',
  nothingLost:
    'loses nothing stored: reports, history, exemptions, scores, levels',
  cleared: 'clears the stale marker on the next good cycle',
} as const;
type Promise_ = keyof typeof PROMISES;

/**
 * Known gaps (plugins/operability-backend/README.md, "Fault matrix"). A cell
 * whose promise a gap breaks runs that promise as `it.failing`: the suite
 * stays green while the gap is known, and turns red the moment it is closed
 * (then remove the entry from KNOWN_GAPS).
 *
 * None is known now: G1–G5 are closed (the README lists what each was).
 */
type Gap = `G${number}`;

const KNOWN_GAPS: Partial<
  Record<`${SourceId}/${Fault}`, Partial<Record<Promise_, Gap>>>
> = {};

/** Every row; FAULT_MATRIX_SOURCES=rules,catalog runs only those. */
const ROWS: SourceId[] = (process.env.FAULT_MATRIX_SOURCES?.split(',') as
  | SourceId[]
  | undefined) ?? [
  'catalog',
  'prometheus',
  'alertmanager',
  'rules',
  'pagerduty',
];

const CELLS = ROWS.flatMap(source => FAULTS.map(fault => ({ source, fault })));

const ref = (name: string) => `component:default/${name}`;

interface ReportRow {
  entity_ref: string;
  score: number;
  level: string;
  readiness: string;
  evaluated_at: Date | string | number;
}

/** What the store holds, as compared before and after a fault. */
interface Stored {
  reports: Map<string, { score: number; level: string; statuses: string }>;
  evaluatedAt: Map<string, number>;
  history: string[];
  exemptions: string[];
  facts: Map<string, string>;
  runs: Map<string, { lastSuccessAt: number | null; lastError: string | null }>;
}

const time = (value: unknown): number =>
  value === null || value === undefined
    ? NaN
    : new Date(value as string | number | Date).getTime();

async function readStored(knex: Knex): Promise<Stored> {
  const reports: ReportRow[] = await knex('operability_reports').select();
  const history = await knex('operability_history')
    .select('entity_ref', 'time', 'score', 'level')
    .orderBy(['entity_ref', 'time']);
  const exemptions = await knex('operability_exemptions')
    .select()
    .orderBy('id');
  const facts = await knex('operability_facts').select(
    'entity_ref',
    'provider',
    'facts',
  );
  const runs = await knex('operability_provider_runs').select();
  const cycleState = await knex('operability_cycle_state')
    .where({ id: 1 })
    .first();
  const cycleEvaluatedAt = cycleState ? time(cycleState.evaluated_at) : 0;
  return {
    reports: new Map(
      reports.map(r => {
        const readiness = readinessFromStored(
          JSON.parse(r.readiness) as StoredReadiness,
          '',
          new Map(),
        );
        return [
          r.entity_ref,
          {
            score: r.score,
            level: r.level,
            statuses: readiness.checks
              .map(c => `${c.id}=${c.status}`)
              .join(' '),
          },
        ];
      }),
    ),
    // A report's evaluation time: its own, or the latest full cycle's.
    evaluatedAt: new Map(
      reports.map(r => [
        r.entity_ref,
        Math.max(time(r.evaluated_at), cycleEvaluatedAt),
      ]),
    ),
    history: history.map(
      h => `${h.entity_ref} ${time(h.time)} ${h.score} ${h.level}`,
    ),
    exemptions: exemptions.map(e =>
      JSON.stringify({
        ...e,
        created_at: time(e.created_at),
        expires_at: time(e.expires_at),
      }),
    ),
    facts: new Map(
      facts.map(f => [`${f.entity_ref} ${f.provider}`, String(f.facts)]),
    ),
    runs: new Map(
      runs.map(r => [
        r.provider,
        {
          lastSuccessAt: r.last_success_at ? time(r.last_success_at) : null,
          lastError: r.last_error ?? null,
        },
      ]),
    ),
  };
}

/** The one evaluation time of a cycle (every report carries it). */
function cycleTime(stored: Stored): number {
  const times = new Set(stored.evaluatedAt.values());
  expect(times.size).toBe(1);
  return [...times][0];
}

const STALE_NOTE = / is from (\S+) ago because (.*?)(?:;|\)$)/;

function checkOf(report: EntityReport, id: string): CheckResult {
  const check = report.readiness?.checks.find(c => c.id === id);
  if (!check) throw new Error(`${report.entityRef} has no check ${id}`);
  return check;
}

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('fault matrix (%s)', databaseId => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let sources: FaultSources;
  let knex: Knex;
  const probe: { scheduler?: SchedulerService } = {};

  // Holds the plugin's scheduler, to wait for the cycle that a refresh runs.
  const schedulerProbe = createBackendModule({
    pluginId: 'operability',
    moduleId: 'fault-matrix-probe',
    register(env) {
      env.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          probe.scheduler = scheduler;
        },
      });
    },
  });

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    sources = await startFaultSources();
    backend = await startTestBackend({
      features: [
        operabilityPlugin,
        prometheusModule,
        pagerDutyModule,
        schedulerProbe,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => sources.catalog.service,
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({ data: sources.config }),
      ],
    });
    // An exemption, which no fault may take away.
    await request(backend.server)
      .post(
        '/api/operability/v1/entities/component/default/payments-api/exemptions',
      )
      .send({
        checkId: 'documentation.techdocs',
        reason: 'TechDocs come with the docs migration',
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      })
      .expect(201);
  });

  afterAll(async () => {
    await backend?.stop();
    await sources?.stop();
  });

  /** Runs one cycle through `POST /v1/refresh`; rejects if the cycle failed or hung. */
  async function runCycle(): Promise<number> {
    const scheduler = probe.scheduler as SchedulerService & {
      waitForTask?(id: string): Promise<void>;
    };
    const done = scheduler.waitForTask!(CYCLE_TASK_ID);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      (async () => {
        await request(backend.server)
          .post('/api/operability/v1/refresh')
          .send({})
          .expect(202);
        await done;
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the cycle did not end within 20 s')),
          20_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return Date.now() - started;
  }

  async function report(name: string): Promise<EntityReport> {
    const res = await request(backend.server).get(
      `/api/operability/v1/entities/component/default/${name}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  }

  function serverOf(source: SourceId): FaultServer | undefined {
    return source === 'catalog' ? undefined : sources[source];
  }

  async function setFault(source: SourceId, fault: Fault | undefined) {
    if (source === 'catalog') sources.catalog.fault = fault;
    else await serverOf(source)!.set(fault);
  }

  describe.each(CELLS)('$source × $fault', ({ source, fault }) => {
    const spec = SOURCES[source];
    const gaps = KNOWN_GAPS[`${source}/${fault}`] ?? {};
    // The assertions are in `fn`, which the lint rule cannot follow.
    const promise = (key: Promise_, fn: () => Promise<void>) =>
      gaps[key]
        ? // eslint-disable-next-line jest/expect-expect
          it.failing(`${PROMISES[key]} (known gap ${gaps[key]})`, fn)
        : // eslint-disable-next-line jest/expect-expect
          it(`${PROMISES[key]}`, fn);

    let good: Stored;
    let faulty: Stored;
    let goodTime: number;
    let faultTime: number;
    let faultCycle: { ms: number } | { error: Error };

    beforeAll(async () => {
      await setFault(source, undefined);
      await runCycle();
      good = await readStored(knex);
      goodTime = cycleTime(good);
      await setFault(source, fault);
      try {
        faultCycle = { ms: await runCycle() };
      } catch (error) {
        faultCycle = { error: error as Error };
      }
      faulty = await readStored(knex);
      faultTime = cycleTime(faulty);
    });

    afterAll(async () => {
      await setFault(source, undefined);
    });

    promise('completes', async () => {
      if ('error' in faultCycle) throw faultCycle.error;
      expect(faultCycle.ms).toBeLessThan(CYCLE_BOUND_MS);
      // Every report was evaluated again, after the good cycle.
      expect(faultTime).toBeGreaterThan(goodTime);
      expect(faulty.reports.size).toBe(good.reports.size);
    });

    promise('othersFresh', async () => {
      for (const [provider, run] of faulty.runs) {
        if (spec.failingProviders.includes(provider)) continue;
        expect({ provider, ...run }).toEqual({
          provider,
          lastSuccessAt: faultTime,
          lastError: null,
        });
      }
      for (const [name, check] of spec.freshChecks) {
        const result = checkOf(await report(name), check);
        expect({ name, check, message: result.message }).not.toEqual(
          expect.objectContaining({
            message: expect.stringMatching(STALE_NOTE),
          }),
        );
        expect({
          name,
          check,
          status: result.status,
          message: result.message,
        }).not.toEqual(expect.objectContaining({ status: 'unknown' }));
      }
    });

    promise('staleKept', async () => {
      // The last good facts are still stored, unchanged.
      for (const [name, provider] of spec.keptFacts) {
        const key = `${ref(name)} ${provider}`;
        expect(good.facts.get(key)).toBeDefined();
        expect({ key, facts: faulty.facts.get(key) }).toEqual({
          key,
          facts: good.facts.get(key),
        });
      }
      // Checks evaluate on them as before, marked stale since the last good
      // answer (the facts' collectedAt), with the reason, and say so.
      for (const [name, check] of spec.staleChecks) {
        const result = checkOf(await report(name), check);
        const beforeStatus = good.reports
          .get(ref(name))!
          .statuses.split(' ')
          .find(s => s.startsWith(`${check}=`));
        expect(`${check}=${result.status}`).toBe(beforeStatus);
        expect({ check, stale: result.stale }).toEqual({
          check,
          stale: {
            since: expect.any(String),
            reason: expect.stringMatching(spec.reasons[fault]),
          },
        });
        const since = Date.parse(result.stale!.since);
        if (spec.lastGoodIsCycleTime) {
          expect(since).toBe(goodTime);
        } else {
          expect(since).toBeGreaterThanOrEqual(goodTime);
          expect(since).toBeLessThan(faultTime);
        }
        expect({ check, message: result.message }).toEqual({
          check,
          message: expect.stringMatching(STALE_NOTE),
        });
        const note = result.message.match(STALE_NOTE)!;
        expect(note[1]).toBe(formatDuration(faultTime - since));
        expect(note[2]).toMatch(spec.reasons[fault]);
      }
    });

    promise('lastSuccessKept', async () => {
      // A source that failed as a whole: its run says why, and the time of
      // its last success stays stored (the age of its facts after a restart).
      for (const provider of spec.failingProviders) {
        const run = faulty.runs.get(provider);
        expect({ provider, lastSuccessAt: run?.lastSuccessAt }).toEqual({
          provider,
          lastSuccessAt: goodTime,
        });
        expect(run?.lastError).toMatch(spec.reasons[fault]);
      }
      // A problem with one entity's input is not an outage of the source.
      if (spec.failingProviders.length === 0) {
        for (const [, provider] of spec.keptFacts) {
          expect(faulty.runs.get(provider)?.lastError ?? null).toBeNull();
        }
      }
    });

    promise('shown', async () => {
      const names = [...new Set(spec.staleChecks.map(([name]) => name))];
      for (const name of names) {
        const body = await report(name);
        const said = [
          ...(body.readiness?.checks ?? []).map(c => c.message),
          ...(body.readiness?.problems ?? []).map(p => p.message),
          ...(body.onCall?.stale ? [body.onCall.stale.reason] : []),
        ];
        expect({ name, said }).toEqual({
          name,
          said: expect.arrayContaining([
            expect.stringMatching(spec.reasons[fault]),
          ]),
        });
      }
    });

    promise('nothingLost', async () => {
      expect(faulty.reports).toEqual(good.reports);
      expect(faulty.history).toEqual(good.history);
      expect(faulty.exemptions).toEqual(good.exemptions);
      expect(faulty.exemptions).toHaveLength(1);
      for (const key of good.facts.keys()) {
        expect({ key, stored: faulty.facts.has(key) }).toEqual({
          key,
          stored: true,
        });
      }
    });

    promise('cleared', async () => {
      await setFault(source, undefined);
      await runCycle();
      const after = await readStored(knex);
      const afterTime = cycleTime(after);
      for (const [provider, run] of after.runs) {
        expect({ provider, ...run }).toEqual({
          provider,
          lastSuccessAt: afterTime,
          lastError: null,
        });
      }
      for (const name of ['payments-api', 'ledger', 'paged']) {
        const body = await report(name);
        for (const check of body.readiness!.checks) {
          expect({ name, id: check.id, stale: check.stale }).toEqual({
            name,
            id: check.id,
          });
          expect({ name, id: check.id, message: check.message }).not.toEqual(
            expect.objectContaining({
              message: expect.stringMatching(STALE_NOTE),
            }),
          );
        }
        expect(body.readiness!.problems).toBeUndefined();
        expect(body.onCall?.stale).toBeUndefined();
      }
      expect(after.reports).toEqual(good.reports);
    });
  });
});
