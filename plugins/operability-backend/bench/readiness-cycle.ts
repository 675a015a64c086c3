/* eslint-disable no-console */
/**
 * Benchmark of the readiness cycle and of the scorecards endpoint over a
 * generated catalog of 10,000 Components (plus ~60 Groups, ~600 Users,
 * ~40 Schedules and ~30 Systems; see bench/generate.ts).
 *
 *   cd /work/main
 *   scripts/toolchain node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/operability-backend/bench/readiness-cycle.ts
 *
 * 1. Cycle: `ReadinessCycle.run()` with the real evaluator (default rubric),
 *    the real DatabaseOperabilityStore on in-memory SQLite, the real
 *    CatalogSnapshot and ScheduleOnCall, and a fact provider that answers
 *    Prometheus-like facts for every entity, stamped with the collection time
 *    as a real provider would. Three cycles: cold (empty database), warm
 *    (no value changed), and one where 10% of the entities' facts changed.
 *    The catalog is an in-memory stub that streams pages of 500 entities
 *    through a JSON round trip (what a catalog client parses), without
 *    network: the time of a real catalog read is not included.
 * 2. HTTP: a real backend (`createBackend()` from @backstage/backend-defaults,
 *    built by bench/benchBackend.ts) on 127.0.0.1 with the plugin, the same
 *    fact provider (as a module), the generated catalog through
 *    catalogServiceMock (the InMemoryCatalogClient that
 *    `catalogServiceMock.factory` builds, here wrapped to count the plugin's
 *    catalog reads), config through `mockServices.rootConfig.factory` (no jest
 *    needed), SQLite in memory, a static external access token generated at
 *    run time, and the readiness cycle scheduled to run at start. Once
 *    `/v1/scorecards` reports every Component (at most 120 s), a worker
 *    thread (bench/scorecardsLoad.ts, undici Pool with keep-alive) sends
 *    `GET /api/operability/v1/scorecards?limit=100` (plain, owner, level, q,
 *    sort, cursors) with 50 requests in flight for 15 s or 5,000 requests,
 *    whichever comes first; then the same load on `/health` for 3 s, as the
 *    framework's floor, and each query once at a time.
 * 3. Peak RSS and heap used at the end.
 *
 * Environment: BENCH_ENTITIES (10000), BENCH_LOAD_SECONDS (15),
 * BENCH_LOAD_REQUESTS (5000), BENCH_CONCURRENCY (50), BENCH_SKIP_CYCLE=1,
 * BENCH_SKIP_HTTP=1, BENCH_HTTP_CATALOG=stub (serve the catalog from the
 * same JSON stub as the cycle instead of catalogServiceMock),
 * BENCH_BUDGET_MS (170000: the run is stopped by then, exit code 2).
 */
import type {
  AuthService,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { knex as createKnex } from 'knex';
import { DatabaseOperabilityStore } from '../src/database/DatabaseOperabilityStore';
import { OnCallService } from '../src/oncall/OnCallService';
import { ScheduleOnCall } from '../src/oncall/ScheduleOnCall';
import { ScheduleOnCallProvider } from '../src/oncall/ScheduleOnCallProvider';
import { CatalogSnapshot } from '../src/ownership/CatalogSnapshot';
import { BUILTIN_EVALUATORS } from '../src/readiness/checks';
import { compileRubric, evaluate } from '../src/readiness/evaluator/evaluate';
import { createCycleMetrics } from '../src/readiness/metrics';
import { ReadinessCycle } from '../src/readiness/ReadinessCycle';
import { defaultRubric } from '../src/readiness/rubric/defaultRubric';
import { createBenchBackend, quietLogger } from './benchBackend';
import {
  createPrometheusLikeProvider,
  generateCatalog,
  type GeneratedCatalog,
} from './generate';
import type { LoadRequest, LoadResult } from './scorecardsLoad';

const COMPONENTS = Number(process.env.BENCH_ENTITIES ?? 10_000);
const LOAD_MS = Number(process.env.BENCH_LOAD_SECONDS ?? 15) * 1000;
const LOAD_REQUESTS = Number(process.env.BENCH_LOAD_REQUESTS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 170_000);
/** The catalog behind the HTTP backend: `mock` (catalogServiceMock) or `stub` (streamingCatalog). */
const CATALOG_MODE =
  process.env.BENCH_HTTP_CATALOG === 'stub' ? 'stub' : 'mock';
const READY_TIMEOUT_MS = 120_000;
const CYCLE_TARGET_MS = 5_000;
const P95_TARGET_MS = 50;
const started = performance.now();

// The whole run is bounded: a hung backend or cycle must not hang CI.
setTimeout(() => {
  console.error(
    `readiness-cycle bench: over its ${BUDGET_MS / 1000} s budget, stopping`,
  );
  process.exit(2);
}, BUDGET_MS).unref();

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

// --- 1. The cycle --------------------------------------------------------------

/**
 * Counts (and times) the snapshot's catalog reads: one per read of the scored
 * kinds. Methods run on the wrapped object (InMemoryCatalogClient has
 * private fields).
 */
function countingCatalog(
  inner: CatalogService,
  reads: { count: number; ms: number },
): CatalogService {
  return new Proxy(inner, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== 'streamEntities') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: Parameters<CatalogService['streamEntities']>) => {
        const kinds = [args[0]?.filter ?? []]
          .flat()
          .flatMap(f => [(f as Record<string, unknown>).kind ?? []].flat());
        const counted = kinds.includes('Component');
        if (counted) reads.count++;
        const stream = target.streamEntities(...args);
        return (async function* timed() {
          const t0 = performance.now();
          try {
            yield* stream;
          } finally {
            if (counted) reads.ms += performance.now() - t0;
          }
        })();
      };
    },
  });
}

/** A catalog that streams pages of 500 through a JSON round trip, no network. */
function streamingCatalog(entities: Entity[]): CatalogService {
  return {
    async *streamEntities(request?: {
      filter?: { kind?: string | string[] };
      pageSize?: number;
    }) {
      const kinds = new Set(
        [request?.filter?.kind ?? []].flat().map(k => k.toLowerCase()),
      );
      const list = entities.filter(
        e => kinds.size === 0 || kinds.has(e.kind.toLowerCase()),
      );
      const size = request?.pageSize ?? 500;
      for (let i = 0; i < list.length; i += size) {
        yield JSON.parse(JSON.stringify(list.slice(i, i + size))) as Entity[];
      }
    },
  } as unknown as CatalogService;
}

interface PhaseTimes {
  catalogRead: number;
  collect: number;
  evaluate: number;
  storeReads: number;
  write: number;
}

async function benchCycle(catalog: GeneratedCatalog) {
  const knex = createKnex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const database: DatabaseService = {
    getClient: async () => knex,
    migrations: { skip: false },
  };
  const store = await DatabaseOperabilityStore.create({ database });

  // Time the phases by wrapping what the cycle calls.
  const t: PhaseTimes = {
    catalogRead: 0,
    collect: 0,
    evaluate: 0,
    storeReads: 0,
    write: 0,
  };
  const written = { facts: 0, reports: 0, history: 0 };
  const timed =
    <A extends unknown[], R>(
      key: keyof PhaseTimes,
      fn: (...args: A) => Promise<R>,
    ) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await fn(...args);
      } finally {
        t[key] += performance.now() - t0;
      }
    };
  const realWrite = store.writeCycle.bind(store);
  store.writeCycle = timed('write', async write => {
    written.facts = write.facts.length;
    written.reports = write.reports.length;
    written.history = write.historyPoints.length;
    return realWrite(write);
  });
  store.loadFacts = timed('storeReads', store.loadFacts.bind(store));
  store.loadReportStates = timed(
    'storeReads',
    store.loadReportStates.bind(store),
  );
  store.listExemptions = timed('storeReads', store.listExemptions.bind(store));

  const logger = quietLogger({ prefix: ' cycle', keepInfo: true });
  const snapshot = new CatalogSnapshot({
    catalog: streamingCatalog(catalog.entities),
    auth: mockServices.auth() as AuthService,
    logger,
    ttlMs: 60_000,
  });
  snapshot.get = timed('catalogRead', snapshot.get.bind(snapshot));
  const prometheus = createPrometheusLikeProvider();
  const provider = {
    ...prometheus.provider,
    collect: timed('collect', prometheus.provider.collect),
  };
  const compiled = compileRubric(defaultRubric(), BUILTIN_EVALUATORS);
  const cycle = new ReadinessCycle({
    store,
    snapshot,
    // As the plugin wires it: the catalog's schedules through the on-call service.
    onCall: new OnCallService({
      providers: [
        new ScheduleOnCallProvider({
          scheduleOnCall: new ScheduleOnCall(),
          snapshot,
        }),
      ],
      store,
      snapshot,
      logger,
      requestBudgetMs: 1_500,
    }),
    factProviders: [provider],
    evaluate: (entity, facts, exemptions, now) => {
      const t0 = performance.now();
      const report = evaluate(entity, facts, compiled, exemptions, now);
      t.evaluate += performance.now() - t0;
      return report;
    },
    logger,
    providerTimeoutMs: 60_000,
    historyRetentionMs: 365 * 86_400_000,
    metrics: createCycleMetrics(),
  });

  const results: { name: string; ms: number }[] = [];
  const runOne = async (name: string, note: string) => {
    for (const key of Object.keys(t) as (keyof PhaseTimes)[]) t[key] = 0;
    const t0 = performance.now();
    const summary = await cycle.run();
    const ms = performance.now() - t0;
    results.push({ name, ms });
    const other =
      ms - t.catalogRead - t.collect - t.evaluate - t.storeReads - t.write;
    console.log(
      `cycle ${name}: ${seconds(ms)} s for ${fmt(summary.entities)} entities${
        note ? ` (${note})` : ''
      } — ${ms <= CYCLE_TARGET_MS ? 'within' : 'OVER'} the ${
        CYCLE_TARGET_MS / 1000
      } s target`,
    );
    console.log(
      `  phases: catalog read ${fmt(t.catalogRead)} ms, provider ${fmt(
        t.collect,
      )} ms, evaluate ${fmt(t.evaluate)} ms, store reads ${fmt(
        t.storeReads,
      )} ms, write ${fmt(
        t.write,
      )} ms, rest (facts merge, hashing, ownership, on-call) ${fmt(other)} ms`,
    );
    console.log(
      `  written: ${fmt(written.facts)} fact rows, ${fmt(
        written.reports,
      )} report rows, ${fmt(
        written.history,
      )} history points; reports changed ${fmt(summary.reportsChanged)}${
        Object.keys(summary.failures).length
          ? `; failures ${JSON.stringify(summary.failures)}`
          : ''
      }`,
    );
  };

  await runOne('cold', 'empty database');
  await runOne('warm', 'no fact value changed');
  const changed = prometheus.change(
    [...catalog.components, ...catalog.systems],
    0.1,
  );
  await runOne('changed', `facts of ${fmt(changed)} entities changed`);

  const [{ reports, readinessBytes, factBytes, facts }] = await knex.raw(`
    select (select count(*) from operability_reports) as reports,
           (select sum(length(readiness)) from operability_reports) as readinessBytes,
           (select count(*) from operability_facts) as facts,
           (select sum(length(facts)) from operability_facts) as factBytes`);
  const levels = (await knex('operability_reports')
    .select('level')
    .count({ n: '*' })
    .groupBy('level')) as { level: string; n: number }[];
  console.log(
    `  stored: ${fmt(reports)} reports, readiness JSON ${mib(
      readinessBytes,
    )} MiB (${fmt(readinessBytes / reports)} bytes each); ${fmt(
      facts,
    )} fact rows, ${mib(factBytes)} MiB; levels ${levels
      .map(l => `${l.level} ${l.n}`)
      .join(', ')}`,
  );
  await knex.destroy();
  return results;
}

// --- 2. Scorecards over HTTP ----------------------------------------------------

function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function scorecardPaths(
  catalog: GeneratedCatalog,
): { label: string; path: string }[] {
  const base = '/api/operability/v1/scorecards?limit=100';
  const teams = catalog.groups
    .filter(g => (g.spec as { type?: string }).type !== 'organization')
    .map(g => g.metadata.name);
  const paths: { label: string; path: string }[] = [
    { label: 'plain', path: base },
    { label: 'owner', path: `${base}&owner=${teams[7]}` },
    { label: 'owner', path: `${base}&owner=group:default/${teams[20]}` },
    {
      label: 'owner',
      path: `${base}&owner=${teams[33]}&sort=score&order=desc`,
    },
    { label: 'level', path: `${base}&level=bronze` },
    { label: 'level', path: `${base}&level=none` },
    { label: 'level', path: `${base}&level=silver&sort=score&order=desc` },
    { label: 'q', path: `${base}&q=svc-12` },
    { label: 'q', path: `${base}&q=checkout` },
    { label: 'q', path: `${base}&q=zzz-no-match` },
    { label: 'sort', path: `${base}&sort=score&order=desc` },
    { label: 'sort', path: `${base}&sort=level&order=asc` },
    { label: 'sort', path: `${base}&sort=owner` },
    { label: 'cursor', path: `${base}&cursor=100` },
    { label: 'cursor', path: `${base}&cursor=5000` },
    { label: 'cursor', path: `${base}&cursor=9900` },
    { label: 'cursor', path: `${base}&sort=score&order=desc&cursor=4000` },
  ];
  return paths;
}

function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'scorecardsLoad.ts'), {
      workerData: request,
    });
    worker.once(
      'message',
      (message: { result?: LoadResult; error?: string }) => {
        if (message.result) resolve(message.result);
        else reject(new Error(`load worker: ${message.error}`));
        worker.terminate();
      },
    );
    worker.once('error', reject);
  });
}

async function benchHttp(catalog: GeneratedCatalog) {
  const token = randomBytes(32).toString('base64url'); // 43 characters
  const logger = quietLogger({ keepInfo: true });
  // catalogServiceMock.factory({ entities }) builds `new InMemoryCatalogClient(
  // { entities })`, as catalogServiceMock({ entities }) does: the same service,
  // here wrapped to count the plugin's catalog reads.
  const inner =
    CATALOG_MODE === 'stub'
      ? streamingCatalog(catalog.entities)
      : catalogServiceMock({ entities: catalog.entities });
  const reads = { count: 0, ms: 0 };
  const { backend, baseUrl } = await createBenchBackend({
    catalog: countingCatalog(inner, reads),
    logger,
    config: {
      backend: {
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench' } },
          ],
        },
      },
      operability: {
        // The default (1 minute) made explicit: the load starts and ends well
        // within a minute of the cycle's catalog read, so no reload happens.
        catalogCacheTtl: { minutes: 1 },
      },
    },
  });

  const t0 = performance.now();
  let stopped = false;
  try {
    await backend.start();
    const startMs = performance.now() - t0;

    // Wait until the first cycle has stored every Component.
    const readyBy = performance.now() + READY_TIMEOUT_MS;
    let total = -1;
    let lastError = '';
    while (performance.now() < readyBy) {
      try {
        const res = await fetch(
          `${baseUrl}/api/operability/v1/scorecards?limit=1`,
          {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(30_000),
          },
        );
        const body = (await res.json()) as { total?: number };
        if (res.status !== 200)
          lastError = `HTTP ${res.status} ${JSON.stringify(body)}`;
        total = body.total ?? -1;
        if (total === COMPONENTS) break;
      } catch (error) {
        lastError = String(error);
      }
      await new Promise(r => setTimeout(r, 250));
    }
    const readyMs = performance.now() - t0;
    if (total !== COMPONENTS) {
      throw new Error(
        `scorecards reported total ${total}, not ${COMPONENTS}, after ${
          READY_TIMEOUT_MS / 1000
        } s${lastError ? ` (${lastError})` : ''}`,
      );
    }
    const cycleLine = logger.lines.find(l => l.includes('Readiness cycle:'));
    console.log(
      `backend: started in ${seconds(startMs)} s, all ${fmt(
        COMPONENTS,
      )} Components listed ${seconds(readyMs)} s after start()${
        cycleLine ? `; ${cycleLine.replace(/^\S+\s/, '')}` : ''
      } ${
        CATALOG_MODE === 'mock'
          ? " (catalogServiceMock re-filters its whole list for every page it streams: its reads are slower than a real catalog's)"
          : ' (catalog: JSON stub)'
      }`,
    );

    const paths = scorecardPaths(catalog);
    const readsBefore = { ...reads };
    const result = await runLoad({
      baseUrl,
      token,
      paths: paths.map(p => p.path),
      concurrency: CONCURRENCY,
      durationMs: LOAD_MS,
      maxRequests: LOAD_REQUESTS,
      warmupRequests: 200,
      requestTimeoutMs: 30_000,
    });
    const bad = result.probes.filter(p => p.status !== 200);
    for (const p of bad) {
      console.log(`  probe ${p.path}: HTTP ${p.status}`);
    }
    const ok = [...result.latencies].filter(n => !Number.isNaN(n));
    const sorted = Float64Array.from(ok).sort();
    const count = result.latencies.length;
    const rps = count / (result.elapsedMs / 1000);
    const p = (q: number) => percentile(sorted, q);
    console.log(
      `scorecards: ${fmt(count)} requests (${CONCURRENCY} in flight, ${
        paths.length
      } query variants) in ${seconds(result.elapsedMs)} s → ${rps.toFixed(
        0,
      )} requests/s; p50 ${p(50).toFixed(1)} ms, p95 ${p(95).toFixed(
        1,
      )} ms, p99 ${p(99).toFixed(1)} ms, max ${p(100).toFixed(1)} ms — p95 ${
        p(95) <= P95_TARGET_MS ? 'within' : 'OVER'
      } the ${P95_TARGET_MS} ms target`,
    );
    console.log(
      `  client ${result.client}; statuses ${JSON.stringify(
        result.statuses,
      )}; ${mib(result.bytes)} MiB received (${fmt(
        result.bytes / Math.max(1, count),
      )} bytes per answer${
        result.client === 'fetch' ? '' : ', gzip'
      }; probe of the plain query: ${fmt(
        result.probes[0]?.total ?? NaN,
      )} total, ${result.probes[0]?.items ?? '?'} items)${
        result.errors.length ? `; errors: ${result.errors.join(' | ')}` : ''
      }`,
    );
    const loadReads = reads.count - readsBefore.count;
    console.log(
      `  catalog reads (snapshot reloads) during the load: ${loadReads}${
        loadReads
          ? `, ${fmt((reads.ms - readsBefore.ms) / loadReads)} ms each (${
              CATALOG_MODE === 'stub' ? 'JSON stub' : 'catalogServiceMock'
            })`
          : ''
      }`,
    );
    // Per query kind: which ones are slow.
    const byLabel = new Map<string, number[]>();
    result.pathIndex.forEach((pi, i) => {
      const label = paths[pi].label;
      const list = byLabel.get(label) ?? [];
      if (!Number.isNaN(result.latencies[i])) list.push(result.latencies[i]);
      byLabel.set(label, list);
    });
    console.log(
      `  by query: ${[...byLabel.entries()]
        .map(([label, list]) => {
          const s = list.sort((a, b) => a - b);
          return `${label} p50 ${percentile(s, 50).toFixed(
            0,
          )} / p95 ${percentile(s, 95).toFixed(0)} ms`;
        })
        .join('; ')}`,
    );
    // The floor: the same load on the plugin's smallest route (no auth, no
    // database), i.e. what the framework and this machine allow at all.
    const floor = await runLoad({
      baseUrl,
      token,
      paths: ['/api/operability/health'],
      concurrency: CONCURRENCY,
      durationMs: 3_000,
      maxRequests: 50_000,
      warmupRequests: 200,
      requestTimeoutMs: 30_000,
    });
    const floorSorted = Float64Array.from(
      [...floor.latencies].filter(n => !Number.isNaN(n)),
    ).sort();
    console.log(
      `  for comparison, GET /api/operability/health with ${CONCURRENCY} in flight: ${(
        floor.latencies.length /
        (floor.elapsedMs / 1000)
      ).toFixed(0)} requests/s, p50 ${percentile(floorSorted, 50).toFixed(
        1,
      )} ms, p95 ${percentile(floorSorted, 95).toFixed(1)} ms`,
    );
    // One request at a time: the service time of each query, without queueing.
    const single: string[] = [];
    for (const { label, path } of paths.filter(
      (x, i, all) => all.findIndex(y => y.label === x.label) === i,
    )) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s0 = performance.now();
        const res = await fetch(baseUrl + path, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.text();
        times.push(performance.now() - s0);
      }
      single.push(`${label} ${times.sort((a, b) => a - b)[2].toFixed(1)} ms`);
    }
    console.log(`  one at a time (median of 5): ${single.join(', ')}`);

    await backend.stop();
    stopped = true;
    // The backend must no longer answer.
    const down = await fetch(`${baseUrl}/api/operability/health`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      r => `still answering (HTTP ${r.status})`,
      () => 'stopped',
    );
    console.log(`  backend.stop(): ${down}`);
    return { p50: p(50), p95: p(95), p99: p(99), rps };
  } finally {
    if (!stopped) await backend.stop().catch(() => {});
  }
}

// --- Main -------------------------------------------------------------------------

async function main() {
  const catalog = generateCatalog({ components: COMPONENTS });
  const s = catalog.stats;
  console.log(
    `catalog: ${fmt(catalog.components.length)} Components, ${
      catalog.systems.length
    } Systems, ${catalog.groups.length} Groups, ${fmt(
      catalog.users.length,
    )} Users, ${
      catalog.schedules.length
    } Schedules; Components with their own schedule ${fmt(s.ownSchedule)} (${
      s.danglingSchedule
    } naming a missing one), inheriting from their System ${fmt(
      s.inheritsFromSystem,
    )}, from their Group ${fmt(s.inheritsFromGroup)}, none ${fmt(
      s.noSchedule,
    )}`,
  );

  const cycles =
    process.env.BENCH_SKIP_CYCLE === '1' ? [] : await benchCycle(catalog);
  const afterCycles = process.memoryUsage();
  console.log(
    `memory after the cycles: RSS ${mib(afterCycles.rss)} MiB, heap used ${mib(
      afterCycles.heapUsed,
    )} MiB, peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(
      0,
    )} MiB`,
  );

  let http: Awaited<ReturnType<typeof benchHttp>> | undefined;
  if (process.env.BENCH_SKIP_HTTP !== '1') http = await benchHttp(catalog);

  const peakMiB = process.resourceUsage().maxRSS / 1024;
  const heap = process.memoryUsage();
  console.log(
    `memory: peak RSS ${peakMiB.toFixed(0)} MiB, heap used at the end ${mib(
      heap.heapUsed,
    )} MiB (of ${mib(heap.heapTotal)} MiB)`,
  );
  const ms = (name: string) => {
    const cycle = cycles.find(c => c.name === name);
    return cycle ? seconds(cycle.ms) : 'n/a';
  };
  console.log(
    `summary: cycle cold ${ms('cold')} s, warm ${ms('warm')} s, changed ${ms(
      'changed',
    )} s; scorecards p50 ${http ? http.p50.toFixed(1) : 'n/a'} ms p95 ${
      http ? http.p95.toFixed(1) : 'n/a'
    } ms; peak RSS ${peakMiB.toFixed(0)} MiB (total ${seconds(
      performance.now() - started,
    )} s)`,
  );
}

main().then(
  () => {
    // Whatever the backend left behind (timers, sockets) must not keep the
    // process alive: say what it was, then exit.
    const left = process
      .getActiveResourcesInfo()
      .filter(r => r !== 'TTYWrap' && r !== 'Timeout');
    if (left.length)
      console.log(`  (still open after stop: ${left.join(', ')})`);
    process.exit(0);
  },
  error => {
    console.error(error);
    process.exit(1);
  },
);
