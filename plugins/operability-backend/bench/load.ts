/* eslint-disable no-console */
/**
 * Bounded load on the two routes a page view hits, against a backend that
 * holds 10,000 services: 200 clients, each with one request at a time, for
 * 30 s, half of the requests `GET /api/operability/v1/entities/component/
 * default/<name>` (the entity report: owner, on-call now, readiness) over
 * 500 different services, half `GET /api/operability/v1/scorecards?limit=100`.
 * Prints p50/p95/p99 per route, requests/s, errors (must be 0: the exit code
 * is 1 otherwise) and the process's RSS before, in the middle of and after
 * the load (memory must not grow without bound). Loopback only; stops by
 * itself (budget: BENCH_BUDGET_MS, 240 s by default, exit code 2).
 *
 *   yarn workspace @opsready/plugin-operability-backend bench:load
 *       SQLite in memory (the default)
 *   yarn workspace @opsready/plugin-operability-backend bench:load --database postgres
 *       PostgreSQL: the connection string from --connection or
 *       BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING; the bench's
 *       databases are created under a random prefix and dropped at the end
 *
 * The backend is bench/benchBackend.ts's (`createBackend()` from
 * @backstage/backend-defaults, the plugin from source, a Prometheus-like fact
 * provider, a static access token), over the catalog of bench/generate.ts
 * served from memory: catalogServiceMock, with single-entity lookups answered
 * from an index as a real catalog answers them from its database (the mock
 * filters its whole list on every lookup, which would be what is measured).
 * The load comes from a worker thread (bench/scorecardsLoad.ts, undici Pool
 * with keep-alive), so RSS includes the load generator's. The package script
 * runs Node with --expose-gc, so the heap is measured after a full GC.
 *
 * Environment: BENCH_ENTITIES (10000), BENCH_LOAD_SECONDS (30),
 * BENCH_CONCURRENCY (200), BENCH_BUDGET_MS (240000).
 */
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { knex as createKnex } from 'knex';
import { createBenchBackend, quietLogger } from './benchBackend';
import { generateCatalog } from './generate';
import type { LoadRequest, LoadResult } from './scorecardsLoad';

const COMPONENTS = Number(process.env.BENCH_ENTITIES ?? 10_000);
const LOAD_MS = Number(process.env.BENCH_LOAD_SECONDS ?? 30) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_MS ?? 240_000);
const ENTITY_PATHS = 500;
const READY_TIMEOUT_MS = 150_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const inline = process.argv.find(a => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

const DATABASE = arg('database') ?? 'sqlite';
if (DATABASE !== 'sqlite' && DATABASE !== 'postgres') {
  console.error(`--database must be sqlite or postgres, not '${DATABASE}'`);
  process.exit(64);
}
const PG_CONNECTION =
  arg('connection') ??
  Object.entries(process.env).find(([key]) =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
  )?.[1];
if (DATABASE === 'postgres' && !PG_CONNECTION) {
  console.error(
    '--database postgres needs --connection <postgresql://…> or BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING',
  );
  process.exit(64);
}

setTimeout(() => {
  console.error(`load bench: over its ${BUDGET_MS / 1000} s budget, stopping`);
  process.exit(2);
}, BUDGET_MS).unref();

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** catalogServiceMock, with lookups by ref from an index (see the top of this file). */
function indexedCatalog(entities: Entity[]): CatalogService {
  const inner = catalogServiceMock({ entities });
  const byRef = new Map(
    entities.map(e => [stringifyEntityRef(e).toLowerCase(), e]),
  );
  const lookup = (ref: string | { kind: string; name: string }) =>
    byRef.get(
      (typeof ref === 'string'
        ? ref
        : stringifyEntityRef(ref as Entity['metadata'] & { kind: string })
      ).toLowerCase(),
    );
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'getEntityByRef') {
        return async (ref: string) => lookup(ref);
      }
      if (prop === 'getEntitiesByRefs') {
        return async (request: { entityRefs: string[] }) => ({
          items: request.entityRefs.map(ref => lookup(ref) ?? null),
        });
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
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

/** RSS and the main thread's heap, after a full GC when `--expose-gc` allows one. */
function memory(label: string) {
  global.gc?.();
  const m = process.memoryUsage();
  return { label, rss: m.rss, heapUsed: m.heapUsed };
}

async function main() {
  const catalog = generateCatalog({ components: COMPONENTS });
  const token = randomBytes(32).toString('base64url');
  const prefix = `opsready_load_${randomBytes(4).toString('hex')}_`;
  const database =
    DATABASE === 'postgres'
      ? { client: 'pg', connection: PG_CONNECTION!, prefix }
      : { client: 'better-sqlite3', connection: ':memory:' };
  const { backend, baseUrl } = await createBenchBackend({
    catalog: indexedCatalog(catalog.entities),
    logger: quietLogger({ keepInfo: true, maxPrinted: 20 }),
    config: {
      backend: {
        database,
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'bench' } },
          ],
        },
      },
    },
  });

  console.log(
    `load bench: ${fmt(COMPONENTS)} Components on ${
      DATABASE === 'postgres' ? 'PostgreSQL' : 'SQLite (in memory)'
    }, ${CONCURRENCY} clients for ${LOAD_MS / 1000} s, Node ${process.version}`,
  );
  const t0 = performance.now();
  let exitCode = 0;
  try {
    await backend.start();
    // The first cycle (scheduled at start) stores every Component.
    const readyBy = performance.now() + READY_TIMEOUT_MS;
    let total = -1;
    while (performance.now() < readyBy) {
      try {
        const res = await fetch(
          `${baseUrl}/api/operability/v1/scorecards?limit=1`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        total = ((await res.json()) as { total?: number }).total ?? -1;
        if (total === COMPONENTS) break;
      } catch {
        // not yet
      }
      await new Promise(r => setTimeout(r, 250));
    }
    if (total !== COMPONENTS) {
      throw new Error(
        `scorecards reported ${total} services, not ${COMPONENTS}, after ${
          READY_TIMEOUT_MS / 1000
        } s`,
      );
    }
    console.log(
      `ready: every Component evaluated ${(
        (performance.now() - t0) /
        1000
      ).toFixed(1)} s after start()`,
    );

    const components = catalog.components;
    const entityPaths = Array.from({ length: ENTITY_PATHS }, (_, i) => {
      const e = components[(i * 7919) % components.length];
      return `/api/operability/v1/entities/component/${
        e.metadata.namespace ?? 'default'
      }/${e.metadata.name}`;
    });
    // Alternating: even indices are entity reports, odd ones scorecards.
    const scorecards = '/api/operability/v1/scorecards?limit=100';
    const paths = entityPaths.flatMap(p => [p, scorecards]);

    // Each route alone, one request at a time: what a request costs when
    // nothing waits in front of it.
    for (const [label, list] of [
      ['entity report', entityPaths.slice(0, 100)],
      ['scorecards?limit=100', Array(100).fill(scorecards)],
    ] as const) {
      const ms: number[] = [];
      for (const path of list) {
        const t = performance.now();
        const res = await fetch(baseUrl + path, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        ms.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      }
      const sorted = Float64Array.from(ms).sort();
      console.log(
        `  alone, one at a time: ${label.padEnd(21)} p50 ${percentile(
          sorted,
          50,
        ).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`,
      );
    }

    const samples = [memory('start')];
    const middle = setTimeout(
      () => samples.push(memory('middle')),
      LOAD_MS / 2,
    );
    const result = await runLoad({
      baseUrl,
      token,
      paths,
      concurrency: CONCURRENCY,
      durationMs: LOAD_MS,
      maxRequests: 5_000_000,
      warmupRequests: 1000,
      requestTimeoutMs: 30_000,
    });
    clearTimeout(middle);
    samples.push(memory('end'));

    const count = result.latencies.length;
    const rps = count / (result.elapsedMs / 1000);
    const errors =
      Object.entries(result.statuses)
        .filter(([status]) => status !== '200')
        .reduce((n, [, c]) => n + c, 0) +
      result.probes.filter(p => p.status !== 200).length;
    console.log(
      `load: ${fmt(count)} requests in ${(result.elapsedMs / 1000).toFixed(
        1,
      )} s → ${fmt(rps)} requests/s (${
        result.client
      }); statuses ${JSON.stringify(result.statuses)}; errors ${errors}`,
    );
    for (const p of result.probes.filter(x => x.status !== 200).slice(0, 5)) {
      console.log(`  probe ${p.path}: HTTP ${p.status}`);
    }
    for (const e of result.errors) console.log(`  error: ${e}`);
    for (const [label, parity] of [
      ['entity report', 0],
      ['scorecards?limit=100', 1],
    ] as const) {
      const ms = Float64Array.from(
        [...result.latencies].filter(
          (v, i) => result.pathIndex[i] % 2 === parity && !Number.isNaN(v),
        ),
      ).sort();
      console.log(
        `  ${label.padEnd(21)} ${fmt(ms.length)} requests: p50 ${percentile(
          ms,
          50,
        ).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(
          1,
        )} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${percentile(
          ms,
          100,
        ).toFixed(1)} ms`,
      );
    }
    console.log(
      `memory (process: backend and load worker): ${samples
        .map(s => `${s.label} RSS ${mib(s.rss)} (main heap ${mib(s.heapUsed)})`)
        .join(', ')}`,
    );
    const [start, , end] = samples;
    if (samples.length === 3) {
      const growth = (end.rss - start.rss) / start.rss;
      console.log(
        `  RSS end vs start: ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(
          0,
        )}%`,
      );
    }
    if (errors > 0 || count === 0) exitCode = 1;
  } finally {
    await backend.stop();
    if (DATABASE === 'postgres') {
      const admin = createKnex({ client: 'pg', connection: PG_CONNECTION! });
      try {
        const { rows } = await admin.raw(
          'select datname from pg_database where datname like ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows) {
          await admin.raw(`drop database if exists "${datname}" with (force)`);
        }
      } finally {
        await admin.destroy();
      }
    }
  }
  process.exit(exitCode);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
