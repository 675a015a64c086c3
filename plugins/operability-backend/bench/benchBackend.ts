/* eslint-disable no-console */
/**
 * The real backend that the benches start in their own process, over the
 * generated catalog of bench/generate.ts:
 *
 * - `createBackend()` from @backstage/backend-defaults on a free port of
 *   127.0.0.1, config through `mockServices.rootConfig.factory` (no jest
 *   needed): SQLite in memory and the readiness cycle scheduled to run at
 *   start (then hourly, 5 minutes at most), plus whatever config the bench
 *   merges over that;
 * - a quiet root logger (warnings and errors only; see quietLogger);
 * - the catalog through `catalogServiceMock.factory({ entities })` (the
 *   InMemoryCatalogClient of @backstage/catalog-client/testUtils), a
 *   catalog service of the bench's own, or the real catalog
 *   (`{ real: entities }`: @backstage/plugin-catalog-backend with our catalog
 *   module, the entities inserted by an entity provider of the bench's own,
 *   `bench-entities`, in one full mutation);
 * - the bench's own features (e.g. app-backend and auth-backend), then the
 *   operability plugin from source and the Prometheus-like fact provider of
 *   bench/generate.ts as a module (`bench-prometheus`).
 *
 * The backend is returned unstarted: each bench times `backend.start()` and
 * stops the backend itself.
 *
 * Used by bench/readiness-cycle.ts (its HTTP part) and by the browser bench
 * of the org page, test/bench/operability-page.ts.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject, JsonValue } from '@backstage/types';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
  type CatalogService,
  type EntityProvider,
  type EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { operabilityFactProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import { createServer } from 'node:net';
import operabilityPlugin from '../src';
import { createPrometheusLikeProvider } from './generate';

type Backend = ReturnType<typeof createBackend>;

/** Where the bench's entities say they come from (the catalog requires one). */
const BENCH_LOCATION = 'url:https://bench.example.com/catalog-info.yaml';

/**
 * An entity as a provider hands it to the catalog: what a catalog-info.yaml
 * says, without what the catalog adds (uid, etag, relations).
 */
export function asDeclared(entity: Entity): Entity {
  const { uid: _uid, etag: _etag, ...metadata } = entity.metadata;
  return {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: {
      ...metadata,
      annotations: {
        ...metadata.annotations,
        'backstage.io/managed-by-location': BENCH_LOCATION,
        'backstage.io/managed-by-origin-location': BENCH_LOCATION,
      },
    },
    ...(entity.spec ? { spec: entity.spec } : {}),
  };
}

/**
 * The real catalog: the catalog backend, our catalog module (Schedule kind,
 * stamps) and an entity provider that inserts the entities in one full
 * mutation as soon as the catalog connects it.
 */
function realCatalogFeatures(entities: Entity[]) {
  const provider: EntityProvider = {
    getProviderName: () => 'bench-entities',
    async connect(connection: EntityProviderConnection) {
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(e => ({
          entity: asDeclared(e),
          locationKey: 'bench-entities',
        })),
      });
    },
  };
  return [
    import('@backstage/plugin-catalog-backend'),
    import('@opsready/plugin-catalog-backend-module-operability'),
    createBackendModule({
      pluginId: 'catalog',
      moduleId: 'bench-entities',
      register(env) {
        env.registerInit({
          deps: { catalog: catalogProcessingExtensionPoint },
          async init({ catalog }) {
            catalog.addEntityProvider(provider);
          },
        });
      },
    }),
  ];
}

/** A quiet logger, and the info lines it kept (with `keepInfo`). */
export type QuietLogger = LoggerService & { lines: string[] };

export interface QuietLoggerOptions {
  /** Printed after the level, e.g. ` cycle`; children add `[plugin]`. */
  prefix?: string;
  /**
   * Keep the info lines in `lines` (all but the per-request access lines,
   * which start with `[`), for the bench to read; not printed.
   */
  keepInfo?: boolean;
  /** Print the first this many warnings and errors only (default: all). */
  maxPrinted?: number;
}

/** A logger that prints warnings and errors only, and can remember info lines. */
export function quietLogger(options: QuietLoggerOptions = {}): QuietLogger {
  const { keepInfo = false, maxPrinted = Infinity } = options;
  const state = { lines: [] as string[], printed: 0 };
  const create = (prefix: string): QuietLogger => {
    const print =
      (level: string) => (message: string, meta?: Error | JsonObject) => {
        if (state.printed++ >= maxPrinted) return;
        const detail =
          meta instanceof Error ? ` ${meta.stack ?? meta.message}` : '';
        console.log(`  [${level}]${prefix} ${message}${detail}`);
      };
    return {
      lines: state.lines,
      error: print('error'),
      warn: print('warn'),
      info(message: string) {
        // Per-request access lines would be most of them: keep only the plugin's.
        if (keepInfo && !message.startsWith('[')) {
          state.lines.push(`${prefix} ${message}`.trim());
        }
      },
      debug() {},
      child(meta: JsonObject) {
        const name = meta.plugin ?? meta.service ?? meta.task;
        return create(name ? `${prefix}[${name}]` : prefix);
      },
    };
  };
  return create(options.prefix ?? '');
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `extra` over `base`: objects merged key by key, anything else replaced. */
function mergeConfig(base: JsonObject, extra: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] =
      isObject(current) && isObject(value)
        ? mergeConfig(current, value)
        : value;
  }
  return merged;
}

export interface BenchBackendOptions {
  /**
   * The catalog: the entities, served through
   * `catalogServiceMock.factory({ entities })`; a catalog service (the
   * same instance for every plugin); or `{ real: entities }`, the real
   * catalog backend with these entities (see the top of this file).
   */
  catalog: Entity[] | CatalogService | { real: Entity[] };
  /**
   * Config merged over the base one (backend baseUrl, listen, database;
   * operability.readiness.schedule); a function gets the backend's base URL.
   */
  config?: JsonObject | ((baseUrl: string) => JsonObject);
  /** The root logger (default: `quietLogger()`). */
  logger?: LoggerService;
  /** Added after the catalog and before the operability plugin. */
  features?: Parameters<Backend['add']>[0][];
}

export interface BenchBackend {
  /** Not started yet. */
  backend: Backend;
  /** `http://127.0.0.1:<port>`, where it will listen. */
  baseUrl: string;
  /** The backend's Prometheus-like fact provider (to change facts). */
  prometheus: ReturnType<typeof createPrometheusLikeProvider>;
}

/** Builds the bench backend on a free port of 127.0.0.1; see the top of this file. */
export async function createBenchBackend(
  options: BenchBackendOptions,
): Promise<BenchBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const prometheus = createPrometheusLikeProvider();
  const logger = options.logger ?? quietLogger();
  const extra =
    typeof options.config === 'function'
      ? options.config(baseUrl)
      : options.config ?? {};
  const backend = createBackend();
  backend.add(
    mockServices.rootConfig.factory({
      data: mergeConfig(
        {
          backend: {
            baseUrl,
            listen: { host: '127.0.0.1', port },
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          operability: {
            readiness: {
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 5 },
                initialDelay: { seconds: 0 },
              },
            },
          },
        },
        extra,
      ),
    }),
  );
  backend.add(
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => logger,
    }),
  );
  const catalog = options.catalog;
  if ('real' in catalog) {
    for (const feature of realCatalogFeatures(catalog.real)) {
      backend.add(feature);
    }
  } else {
    backend.add(
      Array.isArray(catalog)
        ? catalogServiceMock.factory({ entities: catalog })
        : createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => catalog,
          }),
    );
  }
  for (const feature of options.features ?? []) backend.add(feature);
  backend.add(operabilityPlugin);
  backend.add(
    createBackendModule({
      pluginId: 'operability',
      moduleId: 'bench-prometheus',
      register(env) {
        env.registerInit({
          deps: { facts: operabilityFactProvidersExtensionPoint },
          async init({ facts }) {
            facts.addFactProvider(prometheus.provider);
          },
        });
      },
    }),
  );
  return { backend, baseUrl, prometheus };
}
