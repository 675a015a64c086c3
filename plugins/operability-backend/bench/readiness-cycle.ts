/* eslint-disable no-console */
/**
 * Benchmark of the readiness cycle and of the two routes people wait on,
 * over a generated catalog (bench/generate.ts: 10,000 Components with ~60
 * Groups, ~600 Users, ~40 Schedules and ~30 Systems; above 10,000 the
 * organisation grows with the Components).
 *
 *   cd /work/main
 *   scripts/toolchain yarn workspace @opsready/plugin-operability-backend \
 *     bench:readiness [flags]
 *   # or only this bench (the package script runs the evaluator bench first):
 *   scripts/toolchain node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/operability-backend/bench/readiness-cycle.ts [flags]
 *
 * Flags (each also as `--flag=value`):
 *
 *   --entities N         Components to generate (default 10000; env
 *                        BENCH_ENTITIES)
 *   --database D         `sqlite` (in memory, the default) or `postgres`
 *                        (env BENCH_DATABASE). PostgreSQL is the one at
 *                        postgresql://postgres@127.0.0.1:5432, or
 *                        --connection <url> (loopback only); the bench
 *                        creates databases named opsready_bench_<random>_*
 *                        and drops them at the end.
 *   --catalog C          where the entities come from (env BENCH_CATALOG):
 *                        `memory` (default): the generated entities in
 *                          memory, streamed in pages of 500 through a JSON
 *                          round trip (what a catalog client parses), single
 *                          lookups from an index; no network, no database;
 *                        `mock`: catalogServiceMock for the HTTP part (its
 *                          reads filter the whole list on every page and
 *                          lookup: quadratic, 10,000 at most is sensible);
 *                        `real`: the real catalog backend
 *                          (@backstage/plugin-catalog-backend and our catalog
 *                          module, the entities inserted by an entity
 *                          provider) in the bench's backend, read over HTTP
 *                          as a plugin reads it; PostgreSQL unless
 *                          --database says otherwise.
 *   --profile DIR        write a CPU profile (.cpuprofile) of each cycle to
 *                        DIR and print its top self-time functions
 *   --only cycle|http    run one part (env BENCH_SKIP_CYCLE=1 / BENCH_SKIP_HTTP=1)
 *
 * 1. Cycle: `ReadinessCycle.run()` with the real evaluator (default rubric),
 *    the real DatabaseOperabilityStore on a database of its own, the real
 *    CatalogSnapshot, OnCallService and ScheduleOnCall, and a fact provider
 *    that answers Prometheus-like facts for every entity, stamped with the
 *    collection time as a real provider would. Three cycles: cold (empty
 *    database), warm (nothing changed), and one where 10% of the entities'
 *    facts changed; each with its phases (timed around what the cycle
 *    calls, and the cycle's own phases when its summary reports them).
 * 2. HTTP: a real backend (`createBackend()` from @backstage/backend-defaults,
 *    built by bench/benchBackend.ts) on 127.0.0.1 with the plugin, the same
 *    fact provider (as a module), the catalog (`--catalog`), the database
 *    (`--database`), a static external access token generated at run time,
 *    and the readiness cycle run once by the backend itself (its duration is
 *    printed too). Once `/v1/scorecards` reports every Component, worker
 *    threads (bench/scorecardsLoad.ts, undici Pool with keep-alive) send
 *    a. `GET /api/operability/v1/scorecards?limit=100` (plain, owner, level,
 *       q, sort, cursors) with 50 requests in flight;
 *    b. `GET /api/operability/v1/entities/component/default/<name>` (the
 *       service page's call) over 500 services with 200 in flight;
 *    each for BENCH_LOAD_SECONDS or BENCH_LOAD_REQUESTS, whichever comes
 *    first; then `/health` for 3 s as the framework's floor.
 * 3. Memory: RSS before the cycles (the harness and its generated catalog),
 *    peak RSS during the cycles, and at the end.
 *
 * Each figure is printed on one line starting with `figure:`, with its
 * target where the issue set one (the targets are for 100,000 Components on
 * PostgreSQL unless the line says otherwise).
 *
 * Environment (still read; flags win): BENCH_ENTITIES (10000),
 * BENCH_LOAD_SECONDS (15), BENCH_LOAD_REQUESTS (5000 per load; 0 for no
 * bound), BENCH_CONCURRENCY (50, the scorecards load), BENCH_ENTITY_CONCURRENCY
 * (200, the entity report load), BENCH_SKIP_CYCLE=1, BENCH_SKIP_HTTP=1,
 * BENCH_HTTP_CATALOG=stub|mock (the catalog of the HTTP part with
 * `--catalog memory`: `stub` is the memory catalog, `mock`
 * catalogServiceMock), BENCH_BUDGET_MS (the run is stopped by then, exit
 * code 2, the bench's databases dropped; default 170 s plus 2 ms per
 * Component, plus 10 ms per Component with the real catalog).
 */
import type {
  AuthService,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { entityRefOf } from '@opsready/plugin-operability-common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { DatabaseOperabilityStore } from '../src/database/DatabaseOperabilityStore';
import type { CycleWriteBatch } from '../src/database/OperabilityStore';
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
  benchDatabase,
  DEFAULT_PG_CONNECTION,
  type BenchDatabase,
} from './benchDatabase';
import {
  createPrometheusLikeProvider,
  generateCatalog,
  type GeneratedCatalog,
} from './generate';
import type { LoadRequest, LoadResult } from './scorecardsLoad';

// --- Flags ------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const inline = process.argv.find(a => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

function usage(message: string): never {
  console.error(`readiness-cycle bench: ${message}`);
  process.exit(64);
}

const COMPONENTS = Number(
  arg('entities') ?? process.env.BENCH_ENTITIES ?? 10_000,
);
if (!Number.isInteger(COMPONENTS) || COMPONENTS < 1) {
  usage(`--entities must be a positive integer`);
}
const CATALOG = arg('catalog') ?? process.env.BENCH_CATALOG ?? 'memory';
if (!['memory', 'mock', 'real'].includes(CATALOG)) {
  usage(`--catalog must be memory, mock or real, not '${CATALOG}'`);
}
const DATABASE =
  arg('database') ??
  process.env.BENCH_DATABASE ??
  (CATALOG === 'real' ? 'postgres' : 'sqlite');
if (DATABASE !== 'sqlite' && DATABASE !== 'postgres') {
  usage(`--database must be sqlite or postgres, not '${DATABASE}'`);
}
const ONLY = arg('only');
if (ONLY !== undefined && ONLY !== 'cycle' && ONLY !== 'http') {
  usage(`--only must be cycle or http, not '${ONLY}'`);
}
const PROFILE_DIR = arg('profile');
const LIVE_HEAP = process.env.BENCH_LIVE_HEAP === '1';
const LOAD_MS = Number(process.env.BENCH_LOAD_SECONDS ?? 15) * 1000;
const LOAD_REQUESTS =
  Number(process.env.BENCH_LOAD_REQUESTS ?? 5_000) || 5_000_000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const ENTITY_CONCURRENCY = Number(process.env.BENCH_ENTITY_CONCURRENCY ?? 200);
const SKIP_CYCLE = ONLY === 'http' || process.env.BENCH_SKIP_CYCLE === '1';
const SKIP_HTTP = ONLY === 'cycle' || process.env.BENCH_SKIP_HTTP === '1';
/** The catalog behind the HTTP backend with `--catalog memory`. */
const HTTP_CATALOG =
  CATALOG === 'mock' || process.env.BENCH_HTTP_CATALOG === 'mock'
    ? 'mock'
    : 'memory';
const BUDGET_MS = Number(
  process.env.BENCH_BUDGET_MS ??
    170_000 + COMPONENTS * (CATALOG === 'real' ? 20 : 5),
);
/** How long the backend may take to list every Component (its own first cycle). */
const READY_TIMEOUT_MS = Math.max(120_000, COMPONENTS * 3);
/** How long the real catalog may take to process every entity. */
const CATALOG_READY_TIMEOUT_MS = Math.max(300_000, COMPONENTS * 8);
const ENTITY_PATHS = 500;

/** The issue's targets (100,000 Components on PostgreSQL unless said). */
const TARGETS = {
  warm: 5_000,
  warmSqlite10k: 400,
  cold: 20_000,
  reportBytes: 1_500,
  peakRssBytes: 1.5e9,
  scorecardsP95: 30,
  entityP95: 100,
};

const started = performance.now();
let cleanupBeforeExit: (() => Promise<void>) | undefined;

// The whole run is bounded: a hung backend or cycle must not hang CI. The
// bench's databases are dropped on the way out (for at most 10 s).
setTimeout(() => {
  console.error(
    `readiness-cycle bench: over its ${BUDGET_MS / 1000} s budget, stopping`,
  );
  const exit = () => process.exit(2);
  setTimeout(exit, 10_000).unref();
  (cleanupBeforeExit?.() ?? Promise.resolve()).then(exit, exit);
}, BUDGET_MS).unref();

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const maxRss = () => process.resourceUsage().maxRSS * 1024;

/** A full garbage collection (through V8's flag, as --expose-gc would allow). */
const fullGc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap still used after a full GC: what stays in memory between cycles. */
function retainedHeap(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

/** One figure, on one line, with its target when there is one. */
function figure(label: string, value: string, target?: string, met?: boolean) {
  console.log(
    `figure: ${label}: ${value}${
      target ? ` (target ${target}: ${met ? 'met' : 'NOT met'})` : ''
    }`,
  );
}

// --- Catalogs -----------------------------------------------------------------------

/** `value` with only the given dotted fields, as the catalog answers `fields`. */
function withFields(entity: Entity, fields?: string[]): Entity {
  if (!fields?.length) return entity;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const path = field.split('.');
    let from: unknown = entity;
    for (const key of path) {
      from = (from as Record<string, unknown> | undefined)?.[key];
    }
    if (from === undefined) continue;
    let to = out;
    for (const key of path.slice(0, -1)) {
      to = (to[key] ??= {}) as Record<string, unknown>;
    }
    to[path[path.length - 1]] = from;
  }
  return out as unknown as Entity;
}

/**
 * The generated entities in memory, answered as a catalog client would
 * (pages of 500 through a JSON round trip, `fields` applied), single lookups
 * from an index; no network, no database.
 */
function memoryCatalog(entities: Entity[]): CatalogService {
  const byRef = new Map(entities.map(e => [entityRefOf(e), e]));
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));
  const lookup = (ref: string) => {
    const entity = byRef.get(ref.toLowerCase());
    return entity ? copy(entity) : undefined;
  };
  return {
    async *streamEntities(request?: {
      filter?: { kind?: string | string[] };
      fields?: string[];
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
        const page = list
          .slice(i, i + size)
          .map(e => withFields(e, request?.fields));
        yield JSON.parse(JSON.stringify(page)) as Entity[];
      }
    },
    async getEntityByRef(ref: string) {
      return lookup(ref);
    },
    async getEntitiesByRefs(request: {
      entityRefs: string[];
      fields?: string[];
    }) {
      return {
        items: request.entityRefs.map(ref => {
          const entity = lookup(ref);
          return entity ? withFields(entity, request.fields) : null;
        }),
      };
    },
  } as unknown as CatalogService;
}

/**
 * The real catalog of a running backend, read over HTTP with a token, as the
 * catalog client of a plugin reads it (streamed in pages of 500 with a
 * cursor, the total counted on the first page only).
 */
function httpCatalog(baseUrl: string, token: string): CatalogService {
  const get = async (path: string) => {
    const res = await fetch(`${baseUrl}/api/catalog${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`catalog ${path}: HTTP ${res.status}`);
    return res.json();
  };
  return {
    async *streamEntities(request?: {
      filter?: { kind?: string | string[] };
      fields?: string[];
      pageSize?: number;
    }) {
      const kinds = [request?.filter?.kind ?? []].flat();
      const params = new URLSearchParams();
      // One filter: its conditions on one key are alternatives.
      if (kinds.length) {
        params.append('filter', kinds.map(k => `kind=${k}`).join(','));
      }
      for (const field of request?.fields ?? []) params.append('fields', field);
      params.set('limit', String(request?.pageSize ?? 500));
      let cursor: string | undefined;
      do {
        const query = cursor
          ? new URLSearchParams({
              cursor,
              limit: params.get('limit')!,
              ...(request?.fields?.length
                ? { fields: request.fields.join(',') }
                : {}),
            })
          : params;
        const body = (await get(`/entities/by-query?${query}`)) as {
          items: Entity[];
          pageInfo: { nextCursor?: string };
        };
        yield body.items;
        cursor = body.pageInfo.nextCursor;
      } while (cursor);
    },
    async getEntityByRef(ref: string) {
      const [kind, rest] = ref.split(':');
      const [namespace, name] = rest.split('/');
      return get(`/entities/by-name/${kind}/${namespace}/${name}`);
    },
  } as unknown as CatalogService;
}

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

// --- Profiles -----------------------------------------------------------------------

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time, `ms  %  name file:line`. */
function topSelfTime(profile: CpuProfile, count: number): string[] {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url
      .replace(/^file:\/\//, '')
      .replace(/.*\/(node_modules|plugins)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where}${
      where ? `:${lineNumber + 1}` : ''
    }`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) =>
        `${fmt(us / 1000).padStart(7)} ms ${((100 * us) / total)
          .toFixed(1)
          .padStart(5)}%  ${key}`,
    );
}

/**
 * Runs and times `fn`, profiled when --profile is set: the profile is
 * written and summed up (the time excludes the profiler's own stop).
 */
async function timedRun<T>(
  name: string,
  fn: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number }> {
  const run = async () => {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const value = await fn();
    const cpu = process.cpuUsage(cpu0);
    return {
      value,
      ms: performance.now() - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };
  if (!PROFILE_DIR) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = (await session.post('Profiler.stop')) as {
      profile: CpuProfile;
    };
    session.disconnect();
    mkdirSync(PROFILE_DIR, { recursive: true });
    const file = resolve(PROFILE_DIR, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`  profile ${file}; top self time:`);
    for (const line of topSelfTime(profile, 15)) console.log(`    ${line}`);
  }
}

// --- 1. The cycle --------------------------------------------------------------

/** Times of what the cycle calls, beside the phases it reports itself. */
interface PhaseTimes {
  /** The Prometheus-like provider's collect. */
  provider: number;
  /** The evaluator alone. */
  evaluator: number;
}

interface CycleFigure {
  name: string;
  ms: number;
  /** CPU time of the process (all threads) during the cycle. */
  cpuMs: number;
  peakRss: number;
}

async function benchCycle(
  catalog: GeneratedCatalog,
  source: CatalogService,
  db: BenchDatabase,
) {
  const knex: Knex = await db.open('cycle');
  const database: DatabaseService = {
    getClient: async () => knex,
    migrations: { skip: false },
  };
  const store = await DatabaseOperabilityStore.create({ database });

  // Time the bench's provider and the evaluator by wrapping them.
  const t: PhaseTimes = { provider: 0, evaluator: 0 };
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
  // Counts the rows written, those of the batches the cycle hands over too.
  const count = (rows: CycleWriteBatch) => {
    written.facts += rows.facts.length;
    written.reports += rows.reports.length;
    written.history += rows.historyPoints.length;
  };
  store.writeCycle = async write => {
    Object.assign(written, { facts: 0, reports: 0, history: 0 });
    count(write);
    const batches = write.batches;
    return realWrite({
      ...write,
      ...(batches
        ? {
            batches: (async function* counted() {
              for await (const batch of batches) {
                count(batch);
                yield batch;
              }
            })(),
          }
        : {}),
    });
  };

  // BENCH_LIVE_HEAP=1: the heap still used after a full GC at the cycle's
  // first evaluation (a diagnostic: the GC takes seconds at 100,000).
  const liveHeap = { measured: false, bytes: 0 };
  const logger = quietLogger({ prefix: ' cycle', keepInfo: true });
  const snapshot = new CatalogSnapshot({
    catalog: source,
    auth: mockServices.auth() as AuthService,
    logger,
    ttlMs: 60_000,
  });
  const prometheus = createPrometheusLikeProvider();
  const provider = {
    ...prometheus.provider,
    collect: timed('provider', prometheus.provider.collect),
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
      if (LIVE_HEAP && !liveHeap.measured) {
        // The first evaluation of a cycle: everything collected is alive.
        liveHeap.measured = true;
        liveHeap.bytes = retainedHeap();
      }
      const t0 = performance.now();
      const report = evaluate(entity, facts, compiled, exemptions, now);
      t.evaluator += performance.now() - t0;
      return report;
    },
    logger,
    providerTimeoutMs: 10 * 60_000,
    historyRetentionMs: 365 * 86_400_000,
    metrics: createCycleMetrics(),
  });

  const results: CycleFigure[] = [];
  const runOne = async (name: string, note: string) => {
    for (const key of Object.keys(t) as (keyof PhaseTimes)[]) t[key] = 0;
    // Memory during the cycle, sampled: where its peak is.
    const sampled = { rss: 0, rssAt: 0, heap: 0, heapAt: 0 };
    const sampleStart = performance.now();
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      const at = performance.now() - sampleStart;
      if (m.rss > sampled.rss)
        Object.assign(sampled, { rss: m.rss, rssAt: at });
      if (m.heapUsed > sampled.heap) {
        Object.assign(sampled, { heap: m.heapUsed, heapAt: at });
      }
    }, 100);
    const {
      value: summary,
      ms,
      cpuMs,
    } = await timedRun(`cycle-${name}`, () => cycle.run()).finally(() =>
      clearInterval(sampler),
    );
    results.push({ name, ms, cpuMs, peakRss: maxRss() });
    console.log(
      `cycle ${name}: ${seconds(ms)} s for ${fmt(summary.entities)} entities${
        note ? ` (${note})` : ''
      }; CPU ${seconds(
        cpuMs,
      )} s (the process, all threads: less than the time when the machine is busy with others' work, more with the database's work in this process); load average ${os
        .loadavg()
        .map(l => l.toFixed(2))
        .join(' ')}`,
    );
    if (liveHeap.measured) {
      console.log(
        `  live heap at the first evaluation (after a full GC): ${mib(
          liveHeap.bytes,
        )} MiB`,
      );
      liveHeap.measured = false;
    }
    console.log(
      `  memory during it (sampled every 100 ms): RSS up to ${mib(
        sampled.rss,
      )} MiB at ${seconds(sampled.rssAt)} s, heap used up to ${mib(
        sampled.heap,
      )} MiB at ${seconds(sampled.heapAt)} s`,
    );
    // The cycle's own phases (its summary), and inside them what the bench
    // times: its Prometheus-like provider (in collect) and the evaluator.
    const own = (summary as { phases?: Record<string, number> }).phases ?? {};
    console.log(
      `  phases: ${Object.entries(own)
        .map(
          ([phase, phaseMs]) =>
            `${phase} ${fmt(phaseMs)} ms${
              {
                collect: ` (the bench's provider ${fmt(t.provider)} ms)`,
                evaluate: ` (the evaluator ${fmt(t.evaluator)} ms)`,
              }[phase] ?? ''
            }`,
        )
        .join(', ')}`,
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
      }; peak RSS so far ${mib(maxRss())} MiB; heap retained after it ${mib(
        retainedHeap(),
      )} MiB`,
    );
  };

  await runOne('cold', 'empty database');
  await runOne('warm', 'nothing changed');
  const changed = prometheus.change(
    [...catalog.components, ...catalog.systems],
    0.1,
  );
  await runOne('changed', `facts of ${fmt(changed)} entities changed`);

  const length = db.kind === 'postgres' ? 'octet_length' : 'length';
  const raw = await knex.raw(`
    select (select count(*) from operability_reports) as reports,
           (select sum(${length}(readiness)) from operability_reports) as "readinessBytes",
           (select count(*) from operability_facts) as facts,
           (select sum(${length}(facts)) from operability_facts) as "factBytes"`);
  const row = (Array.isArray(raw) ? raw[0] : raw.rows[0]) as Record<
    string,
    unknown
  >;
  const reports = Number(row.reports);
  const readinessBytes = Number(row.readinessBytes);
  const facts = Number(row.facts);
  const factBytes = Number(row.factBytes);
  const levels = (await knex('operability_reports')
    .select('level')
    .count({ n: '*' })
    .groupBy('level')) as { level: string; n: number }[];
  console.log(
    `  stored: ${fmt(reports)} reports, readiness JSON ${mib(
      readinessBytes,
    )} MiB; ${fmt(facts)} fact rows, ${mib(factBytes)} MiB; levels ${levels
      .map(l => `${l.level} ${l.n}`)
      .join(', ')}`,
  );
  return { cycles: results, reportBytes: readinessBytes / reports };
}

// --- 2. HTTP ----------------------------------------------------------------------

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
  const n = catalog.components.length;
  const cursor = (at: number) => Math.max(0, Math.min(at, n - 100));
  return [
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
    { label: 'cursor', path: `${base}&cursor=${cursor(Math.floor(n / 2))}` },
    { label: 'cursor', path: `${base}&cursor=${cursor(n - 100)}` },
    {
      label: 'cursor',
      path: `${base}&sort=score&order=desc&cursor=${cursor(
        Math.floor(n * 0.4),
      )}`,
    },
  ];
}

function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(join(__dirname, 'scorecardsLoad.ts'), {
      workerData: request,
    });
    worker.once(
      'message',
      (message: { result?: LoadResult; error?: string }) => {
        if (message.result) resolvePromise(message.result);
        else reject(new Error(`load worker: ${message.error}`));
        worker.terminate();
      },
    );
    worker.once('error', reject);
  });
}

interface LoadFigures {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  count: number;
  errors: number;
}

/** One load, summed up on a line; the percentiles for the figures. */
async function measuredLoad(
  label: string,
  request: LoadRequest,
  labels?: string[],
): Promise<LoadFigures> {
  const result = await runLoad(request);
  for (const probe of result.probes.filter(p => p.status !== 200).slice(0, 5)) {
    console.log(`  probe ${probe.path}: HTTP ${probe.status}`);
  }
  const sorted = Float64Array.from(
    [...result.latencies].filter(n => !Number.isNaN(n)),
  ).sort();
  const count = result.latencies.length;
  const rps = count / (result.elapsedMs / 1000);
  const p = (q: number) => percentile(sorted, q);
  const errors =
    Object.entries(result.statuses)
      .filter(([status]) => status !== '200')
      .reduce((n, [, c]) => n + c, 0) +
    result.probes.filter(x => x.status !== 200).length;
  console.log(
    `${label}: ${fmt(count)} requests (${request.concurrency} in flight, ${
      request.paths.length
    } paths) in ${seconds(result.elapsedMs)} s → ${rps.toFixed(
      0,
    )} requests/s; p50 ${p(50).toFixed(1)} ms, p95 ${p(95).toFixed(
      1,
    )} ms, p99 ${p(99).toFixed(1)} ms, max ${p(100).toFixed(1)} ms`,
  );
  console.log(
    `  client ${result.client}; statuses ${JSON.stringify(
      result.statuses,
    )}; ${fmt(result.bytes / Math.max(1, count))} bytes per answer (gzip)${
      result.errors.length ? `; errors: ${result.errors.join(' | ')}` : ''
    }`,
  );
  if (labels) {
    const byLabel = new Map<string, number[]>();
    result.pathIndex.forEach((pi, i) => {
      const list = byLabel.get(labels[pi]) ?? [];
      if (!Number.isNaN(result.latencies[i])) list.push(result.latencies[i]);
      byLabel.set(labels[pi], list);
    });
    console.log(
      `  by query: ${[...byLabel.entries()]
        .map(([name, list]) => {
          const s = list.sort((a, b) => a - b);
          return `${name} p50 ${percentile(s, 50).toFixed(
            0,
          )} / p95 ${percentile(s, 95).toFixed(0)} ms`;
        })
        .join('; ')}`,
    );
  }
  return { p50: p(50), p95: p(95), p99: p(99), rps, count, errors };
}

async function waitFor(
  what: string,
  timeoutMs: number,
  probe: () => Promise<{ done: boolean; state: string }>,
): Promise<number> {
  const t0 = performance.now();
  let state = '';
  let lastPrinted = t0;
  while (performance.now() - t0 < timeoutMs) {
    try {
      const answer = await probe();
      state = answer.state;
      if (answer.done) return performance.now() - t0;
    } catch (error) {
      state = String(error);
    }
    if (performance.now() - lastPrinted > 30_000) {
      console.log(
        `  waiting for ${what}: ${state} (${seconds(
          performance.now() - t0,
        )} s)`,
      );
      lastPrinted = performance.now();
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${what}: not after ${timeoutMs / 1000} s (${state})`);
}

interface HttpFigures {
  backendCycleMs?: number;
  scorecards: LoadFigures;
  entity: LoadFigures;
}

async function benchHttp(
  catalog: GeneratedCatalog,
  db: BenchDatabase,
  cycleFigures: (source: CatalogService) => Promise<void>,
): Promise<HttpFigures | undefined> {
  const token = randomBytes(32).toString('base64url'); // 43 characters
  const logger = quietLogger({ keepInfo: true, maxPrinted: 50 });
  const reads = { count: 0, ms: 0 };
  const real = CATALOG === 'real';
  let source: CatalogService | undefined;
  if (!real) {
    source = countingCatalog(
      HTTP_CATALOG === 'mock'
        ? catalogServiceMock({ entities: catalog.entities })
        : memoryCatalog(catalog.entities),
      reads,
    );
  }
  const { backend, baseUrl } = await createBenchBackend({
    catalog: source ?? { real: catalog.entities },
    logger,
    config: {
      backend: {
        database: db.backendConfig,
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench' } },
          ],
        },
      },
      ...(real
        ? {
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'API',
                    'Resource',
                    'Location',
                    'Domain',
                    'Group',
                    'User',
                    'Schedule',
                  ],
                },
              ],
            },
          }
        : {}),
      operability: {
        // The default (1 minute) made explicit.
        catalogCacheTtl: { minutes: 1 },
        readiness: {
          // With the real catalog, the backend's cycle waits until the
          // catalog has every entity and the bench's own cycles ran; then
          // it is triggered (POST /v1/refresh).
          ...(real
            ? {
                schedule: {
                  frequency: { hours: 24 },
                  timeout: { minutes: 30 },
                  initialDelay: { hours: 1 },
                },
              }
            : {}),
          providerTimeout: { minutes: 10 },
        },
      },
    },
  });
  const headers = { authorization: `Bearer ${token}` };
  const getJson = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      headers,
      signal: AbortSignal.timeout(60_000),
    });
    const body = await res.json();
    if (res.status !== 200) {
      throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
    }
    return body;
  };

  const t0 = performance.now();
  let stopped = false;
  let catalogLabel = 'in memory';
  if (real) catalogLabel = 'the real catalog backend';
  else if (HTTP_CATALOG === 'mock') catalogLabel = 'catalogServiceMock';
  try {
    await backend.start();
    console.log(
      `backend: started in ${seconds(
        performance.now() - t0,
      )} s (catalog: ${catalogLabel}, ${db.label})`,
    );

    if (real) {
      // The catalog processes what the provider inserted: wait until every
      // entity is there and stitched (its final entity is readable).
      const kinds = ['Component', 'System', 'Group', 'User', 'Schedule'];
      const expected = catalog.entities.length;
      const ms = await waitFor(
        'the catalog to process every entity',
        CATALOG_READY_TIMEOUT_MS,
        async () => {
          const body = (await getJson(
            `/api/catalog/entities/by-query?limit=0&filter=${kinds
              .map(k => `kind=${k}`)
              .join(',')}`,
          )) as { totalItems: number };
          return {
            done: body.totalItems >= expected,
            state: `${fmt(body.totalItems)} of ${fmt(expected)} entities`,
          };
        },
      );
      console.log(
        `catalog: ${fmt(expected)} entities processed ${seconds(
          ms,
        )} s after start()`,
      );
      if (!SKIP_CYCLE) await cycleFigures(httpCatalog(baseUrl, token));
      if (SKIP_HTTP) return undefined;
      const res = await fetch(`${baseUrl}/api/operability/v1/refresh`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      });
      if (res.status !== 202) {
        throw new Error(`POST /v1/refresh: HTTP ${res.status}`);
      }
    }

    // Wait until the backend's first cycle has stored every Component.
    const cycleStart = performance.now();
    await waitFor(
      'the backend to list every Component',
      READY_TIMEOUT_MS,
      async () => {
        const body = (await getJson(
          '/api/operability/v1/scorecards?limit=1',
        )) as { total: number };
        return {
          done: body.total === COMPONENTS,
          state: `total ${body.total}`,
        };
      },
    );
    // The cycle logs its line just after its write: wait for it.
    let cycleLine: string | undefined;
    for (let i = 0; i < 120 && !cycleLine; i++) {
      cycleLine = logger.lines.find(l => l.includes('Readiness cycle:'));
      if (!cycleLine) await new Promise(r => setTimeout(r, 250));
    }
    const cycleMs = Number(/in (\d+) ms/.exec(cycleLine ?? '')?.[1]);
    console.log(
      `backend: all ${fmt(COMPONENTS)} Components listed ${seconds(
        performance.now() - (real ? cycleStart : t0),
      )} s after ${real ? 'POST /v1/refresh' : 'start()'}${
        cycleLine ? `; ${cycleLine.replace(/^\S+\s/, '')}` : ''
      }; peak RSS so far ${mib(maxRss())} MiB`,
    );

    const paths = scorecardPaths(catalog);
    const readsBefore = { ...reads };
    const { value: scorecards } = await timedRun('load-scorecards', () =>
      measuredLoad(
        'scorecards',
        {
          baseUrl,
          token,
          paths: paths.map(p => p.path),
          concurrency: CONCURRENCY,
          durationMs: LOAD_MS,
          maxRequests: LOAD_REQUESTS,
          warmupRequests: 200,
          requestTimeoutMs: 30_000,
        },
        paths.map(p => p.label),
      ),
    );
    if (!real) {
      const loadReads = reads.count - readsBefore.count;
      console.log(
        `  catalog reads (snapshot reloads) during the load: ${loadReads}`,
      );
    }

    const components = catalog.components;
    const entityPaths = Array.from(
      { length: Math.min(ENTITY_PATHS, components.length) },
      (_, i) => {
        const e = components[(i * 7919) % components.length];
        return `/api/operability/v1/entities/component/${
          e.metadata.namespace ?? 'default'
        }/${e.metadata.name}`;
      },
    );
    const { value: entity } = await timedRun('load-entity-reports', () =>
      measuredLoad('entity reports', {
        baseUrl,
        token,
        paths: entityPaths,
        concurrency: ENTITY_CONCURRENCY,
        durationMs: LOAD_MS,
        maxRequests: LOAD_REQUESTS,
        warmupRequests: 500,
        requestTimeoutMs: 30_000,
      }),
    );

    // The floor: the plugin's smallest route (no auth, no database).
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

    await backend.stop();
    stopped = true;
    return {
      backendCycleMs: Number.isFinite(cycleMs) ? cycleMs : undefined,
      scorecards,
      entity,
    };
  } finally {
    if (!stopped) await backend.stop().catch(() => {});
  }
}

// --- Main -------------------------------------------------------------------------

async function main() {
  const catalog = generateCatalog({ components: COMPONENTS });
  const s = catalog.stats;
  console.log(
    `catalog: ${fmt(catalog.components.length)} Components, ${fmt(
      catalog.systems.length,
    )} Systems, ${fmt(catalog.groups.length)} Groups, ${fmt(
      catalog.users.length,
    )} Users, ${fmt(
      catalog.schedules.length,
    )} Schedules; Components with their own schedule ${fmt(s.ownSchedule)} (${
      s.danglingSchedule
    } naming a missing one), inheriting from their System ${fmt(
      s.inheritsFromSystem,
    )}, from their Group ${fmt(s.inheritsFromGroup)}, none ${fmt(
      s.noSchedule,
    )}`,
  );
  const connection =
    arg('connection') ??
    Object.entries(process.env).find(([key]) =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
    )?.[1] ??
    DEFAULT_PG_CONNECTION;
  const db = benchDatabase(DATABASE as 'sqlite' | 'postgres', connection);
  cleanupBeforeExit = () => db.cleanup();
  console.log(
    `bench: ${fmt(COMPONENTS)} Components, catalog ${CATALOG}, ${
      db.label
    }, Node ${process.version}, budget ${BUDGET_MS / 1000} s`,
  );
  const rssBefore = process.memoryUsage().rss;
  console.log(
    `memory before the cycles (the harness with its generated catalog): RSS ${mib(
      rssBefore,
    )} MiB`,
  );

  let cycles: CycleFigure[] = [];
  let reportBytes = NaN;
  let peakCycles = NaN;
  const runCycles = async (source: CatalogService) => {
    const result = await benchCycle(catalog, source, db);
    cycles = result.cycles;
    reportBytes = result.reportBytes;
    peakCycles = maxRss();
  };
  let http: HttpFigures | undefined;
  try {
    if (CATALOG === 'real') {
      http = await benchHttp(catalog, db, runCycles);
    } else {
      if (!SKIP_CYCLE) await runCycles(memoryCatalog(catalog.entities));
      if (!SKIP_HTTP) http = await benchHttp(catalog, db, runCycles);
    }
  } finally {
    await db.cleanup();
  }

  const heap = process.memoryUsage();
  console.log(
    `memory: peak RSS ${mib(maxRss())} MiB, heap used at the end ${mib(
      heap.heapUsed,
    )} MiB (of ${mib(heap.heapTotal)} MiB)`,
  );

  // The figures, one a line.
  const where = `${fmt(COMPONENTS)} components, ${
    DATABASE === 'postgres' ? 'PostgreSQL' : 'SQLite'
  }, catalog ${CATALOG}`;
  const cycle = (name: string) => cycles.find(c => c.name === name);
  const warm = cycle('warm');
  if (warm) {
    const sqlite10k = DATABASE === 'sqlite' && COMPONENTS <= 10_000;
    const target = sqlite10k ? TARGETS.warmSqlite10k : TARGETS.warm;
    figure(
      `warm cycle, nothing changed, ${where}`,
      `${seconds(warm.ms)} s (CPU ${seconds(warm.cpuMs)} s)`,
      `< ${target / 1000} s${sqlite10k ? ' at 10,000 on SQLite' : ''}`,
      warm.ms < target,
    );
  }
  const cold = cycle('cold');
  if (cold) {
    figure(
      `cold cycle, empty database, ${where}`,
      `${seconds(cold.ms)} s (CPU ${seconds(cold.cpuMs)} s)`,
      `< ${TARGETS.cold / 1000} s`,
      cold.ms < TARGETS.cold,
    );
  }
  const changed = cycle('changed');
  if (changed) {
    figure(
      `cycle with 10% of the facts changed, ${where}`,
      `${seconds(changed.ms)} s (CPU ${seconds(changed.cpuMs)} s)`,
    );
  }
  if (Number.isFinite(reportBytes)) {
    figure(
      `stored report per entity (average bytes of the readiness JSON), ${where}`,
      `${fmt(reportBytes)} bytes`,
      `< ${fmt(TARGETS.reportBytes)} bytes`,
      reportBytes < TARGETS.reportBytes,
    );
  }
  if (Number.isFinite(peakCycles)) {
    figure(
      `peak RSS during the cycles (the whole process: harness ${mib(
        rssBefore,
      )} MiB before them${
        CATALOG === 'real' ? ', and the catalog backend' : ''
      }), ${where}`,
      `${mib(peakCycles)} MiB`,
      `< ${mib(TARGETS.peakRssBytes)} MiB (1.5 GB)`,
      peakCycles < TARGETS.peakRssBytes,
    );
  }
  if (http?.backendCycleMs !== undefined) {
    figure(
      `the backend's own first cycle (empty database), ${where}`,
      `${seconds(http.backendCycleMs)} s`,
    );
  }
  if (http) {
    figure(
      `GET /v1/scorecards?limit=100, ${CONCURRENCY} in flight, p95, ${where}`,
      `${http.scorecards.p95.toFixed(1)} ms (p50 ${http.scorecards.p50.toFixed(
        1,
      )} ms, ${http.scorecards.rps.toFixed(0)} requests/s, ${
        http.scorecards.errors
      } errors)`,
      `< ${TARGETS.scorecardsP95} ms`,
      http.scorecards.p95 < TARGETS.scorecardsP95,
    );
    figure(
      `GET /v1/entities/component/… (the service page's call), ${ENTITY_CONCURRENCY} in flight, p95, ${where}`,
      `${http.entity.p95.toFixed(1)} ms (p50 ${http.entity.p50.toFixed(
        1,
      )} ms, ${http.entity.rps.toFixed(0)} requests/s, ${
        http.entity.errors
      } errors)`,
      `< ${TARGETS.entityP95} ms`,
      http.entity.p95 < TARGETS.entityP95,
    );
    figure(`peak RSS of the whole run, ${where}`, `${mib(maxRss())} MiB`);
  }
  console.log(
    `total ${seconds(
      performance.now() - started,
    )} s; load average at the end ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
  );
  const errors = (http?.scorecards.errors ?? 0) + (http?.entity.errors ?? 0);
  return errors > 0 ? 1 : 0;
}

main().then(
  code => {
    // Whatever the backend left behind (timers, sockets) must not keep the
    // process alive: say what it was, then exit.
    const left = process
      .getActiveResourcesInfo()
      .filter(r => r !== 'TTYWrap' && r !== 'Timeout');
    if (left.length)
      console.log(`  (still open after stop: ${left.join(', ')})`);
    process.exit(code);
  },
  async error => {
    console.error(error);
    await cleanupBeforeExit?.().catch(() => {});
    process.exit(1);
  },
);
