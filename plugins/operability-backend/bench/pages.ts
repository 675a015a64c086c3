/* eslint-disable no-console */
/**
 * Benchmark of the on-call load: 10,000 services with 28 days of pages
 * (~200,000) collected and attributed in one go.
 *
 *   cd /work/main
 *   scripts/toolchain yarn workspace @opsready/plugin-operability-backend \
 *     bench:pages [flags]
 *
 * Flags (each also as `--flag=value`):
 *
 *   --entities N      Components (default 10000; env BENCH_ENTITIES), with the
 *                     organisation and ~40 Schedules of bench/generate.ts
 *   --pages N         pages per service over the 28 days (default 20)
 *   --database D      `sqlite` (in memory, the default) or `postgres`
 *                     (postgresql://postgres@127.0.0.1:5432, or --connection
 *                     <url>, loopback only; a database of its own, dropped
 *                     at the end)
 *
 * What runs is the plugin's own code: the incident-file source reads a
 * generated export (PagerDuty's CSV columns, one row per page), the
 * collector stores the pages, turns and watermarks through the page store on
 * a migrated database, then the on-call load service attributes every page
 * of every service to its Schedule's primary (off-hours in the schedule's
 * zone) and computes each service's `on-call.pages-per-12h-max`. A second
 * collection shows the incremental one (only the last day again). Printed:
 * time per phase, database statements, file reads, and the process's peak
 * resident memory (sampled every 20 ms). Targets: collection and
 * attribution together under 10 s and peak memory under 500 MB.
 */
import type {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { entityRefOf } from '@opsready/plugin-operability-common';
import {
  appendFileSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseOperabilityStore } from '../src/database/DatabaseOperabilityStore';
import { CatalogSnapshot } from '../src/ownership/CatalogSnapshot';
import { FileIncidentsSource } from '../src/pages/FileIncidentsSource';
import { OnCallLoadService } from '../src/pages/OnCallLoadService';
import { PagesCollector } from '../src/pages/PagesCollector';
import { DatabasePageStore } from '../src/pages/PageStore';
import { DEFAULT_WORKING_HOURS } from '../src/pages/workingHours';
import { benchDatabase, type BenchDatabaseKind } from './benchDatabase';
import { generateCatalog, mulberry32 } from './generate';

const DAY = 86_400_000;
const TIME_TARGET_MS = 10_000;
const MEMORY_TARGET_MB = 500;

function flag(name: string, fallback?: string): string | undefined {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].split('=')[1];
  }
  return fallback;
}

const ENTITIES = Number(
  flag('entities', process.env.BENCH_ENTITIES ?? '10000'),
);
const PAGES_PER_SERVICE = Number(flag('pages', '20'));
const DATABASE = (flag('database', process.env.BENCH_DATABASE) ??
  'sqlite') as BenchDatabaseKind;

/** Peak resident memory, sampled. */
function memorySampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  timer.unref();
  return {
    peakMb: () =>
      Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024),
    stop: () => clearInterval(timer),
  };
}

/** Warnings and errors printed, the rest dropped. */
const logger: LoggerService = {
  error: message => console.log(`  [error] ${message}`),
  warn: message => console.log(`  [warn] ${message}`),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

/**
 * The generated entities as a catalog streams them (pages of 500 of the
 * kinds asked): no test utilities loaded, so the memory measured is the
 * plugin's.
 */
function memoryCatalog(entities: Entity[]): CatalogService {
  return {
    async *streamEntities(request?: { filter?: unknown }) {
      const filter = request?.filter as { kind?: string[] } | undefined;
      const kinds = filter?.kind?.map(k => k.toLowerCase());
      const matching = kinds
        ? entities.filter(e => kinds.includes(e.kind.toLowerCase()))
        : entities;
      for (let i = 0; i < matching.length; i += 500) {
        yield matching.slice(i, i + 500);
      }
    },
  } as unknown as CatalogService;
}

const auth = {
  async getOwnServiceCredentials() {
    return {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'plugin:operability' },
    };
  },
} as unknown as AuthService;

async function timed<T>(what: string, fn: () => Promise<T>) {
  const started = performance.now();
  const result = await fn();
  const ms = Math.round(performance.now() - started);
  return { result, ms, what };
}

async function main() {
  const memory = memorySampler();
  const now = new Date();
  const catalog = generateCatalog({ components: ENTITIES });
  const services = catalog.components;

  // An incident export: PAGES_PER_SERVICE pages per service over 28 days.
  const random = mulberry32(20261130);
  const dir = mkdtempSync(join(tmpdir(), 'operability-bench-pages-'));
  const file = join(dir, 'incidents.csv');
  writeFileSync(
    file,
    'id,incident_number,description,service_name,urgency,created_on,acknowledged_on,resolved_on\n',
  );
  let rows: string[] = [];
  let number = 0;
  for (const service of services) {
    for (let i = 0; i < PAGES_PER_SERVICE; i++) {
      number++;
      const at = now.getTime() - Math.floor(random() * 28 * DAY);
      const ack = at + Math.floor(random() * 600_000);
      const resolved = ack + Math.floor(random() * 7_200_000);
      rows.push(
        `Q${number},${number},High error rate,${
          service.metadata.name
        },high,${new Date(at).toISOString()},${new Date(
          ack,
        ).toISOString()},${new Date(resolved).toISOString()}\n`,
      );
    }
    if (rows.length >= 10_000) {
      appendFileSync(file, rows.join(''));
      rows = [];
    }
  }
  appendFileSync(file, rows.join(''));
  rows = [];
  const fileMb = Math.round((statSync(file).size / 1024 / 1024) * 10) / 10;

  const db = benchDatabase(DATABASE, flag('connection'));
  let statements = 0;
  let fileReads = 0;
  try {
    const knex = await db.open('pages');
    const database = {
      getClient: async () => knex,
      migrations: { skip: false },
    } as DatabaseService;
    await DatabaseOperabilityStore.create({ database });
    const store = await DatabasePageStore.create({ database });
    knex.on('query', () => {
      statements++;
    });
    const snapshot = new CatalogSnapshot({
      catalog: memoryCatalog(catalog.entities),
      auth,
      logger,
      ttlMs: 3_600_000,
    });
    const snap = await snapshot.get();
    const fileSource = new FileIncidentsSource({
      files: [{ path: file, serviceAnnotation: 'pagerduty.com/service-id' }],
    });
    const source: typeof fileSource = Object.assign(Object.create(fileSource), {
      collect: (request: Parameters<typeof fileSource.collect>[0]) => {
        fileReads++;
        return fileSource.collect(request);
      },
    });
    const collector = new PagesCollector({
      sources: [source],
      store,
      entities: async () => snap.entities,
      retentionMs: 90 * DAY,
      lookbackMs: DAY,
      timeoutMs: 600_000,
      logger,
    });
    const service = new OnCallLoadService({
      store,
      sources: [source],
      workingHours: DEFAULT_WORKING_HOURS,
      windowMs: 28 * DAY,
    });

    console.log(
      `On-call load bench: ${services.length} services, ${
        catalog.schedules.length
      } Schedules, ${
        services.length * PAGES_PER_SERVICE
      } pages over 28 days (${fileMb} MB CSV); ${db.label}; Node ${
        process.version
      }`,
    );

    global.gc?.();
    const baseline = Math.round(process.memoryUsage().rss / 1024 / 1024);
    const collect = await timed('collect', () => collector.run(now));
    const collectStatements = statements;
    const collectReads = fileReads;
    const attribute = await timed('attribute', () =>
      service.facts(snap.entities, snap, now),
    );
    const attributeStatements = statements - collectStatements;
    const facts = attribute.result;
    const values = [...facts.values()].flatMap(f =>
      'value' in f ? [f.value.value as number] : [],
    );
    const failing = values.filter(v => v > 2).length;
    const one = services[0];
    const route = await timed('route', () =>
      service.load(one, snap, new Date(now.getTime() - 28 * DAY), now),
    );
    const before = statements;
    const incremental = await timed('incremental', () =>
      collector.run(new Date(now.getTime() + 5 * 60_000)),
    );
    const total = collect.ms + attribute.ms;
    const peak = memory.peakMb();
    memory.stop();

    const summary = collect.result.sources.file;
    console.log(
      `collect      ${collect.ms} ms: ${summary.pages} pages of ${summary.entities} services stored; ${collectStatements} database statements, ${collectReads} file read(s)`,
    );
    console.log(
      `attribute    ${attribute.ms} ms: ${values.length} services with a page-load fact (${failing} above 2 per 12 h); ${attributeStatements} database statements`,
    );
    console.log(
      `route        ${route.ms} ms: GET …/on-call/load of ${entityRefOf(
        one,
      )} (${route.result.pages.length} pages, ${
        route.result.shifts.length
      } shifts)`,
    );
    console.log(
      `incremental  ${incremental.ms} ms: ${
        incremental.result.sources.file.pages
      } pages of the last day again; ${
        statements - before
      } database statements`,
    );
    console.log(
      `total        ${total} ms collect + attribute (target < ${TIME_TARGET_MS} ms): ${
        total < TIME_TARGET_MS ? 'PASS' : 'FAIL'
      }`,
    );
    console.log(
      `peak memory  ${peak} MB resident, ${baseline} MB before collecting (the catalog and its snapshot) (target < ${MEMORY_TARGET_MB} MB): ${
        peak < MEMORY_TARGET_MB ? 'PASS' : 'FAIL'
      }`,
    );
    if (total >= TIME_TARGET_MS || peak >= MEMORY_TARGET_MB) {
      process.exitCode = 1;
    }
  } finally {
    await db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
