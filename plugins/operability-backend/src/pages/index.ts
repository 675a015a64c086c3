import type {
  HttpAuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
  DatabaseService,
} from '@backstage/backend-plugin-api';
import type { PageSource } from '@opsready/plugin-operability-node';
import type express from 'express';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { createOnCallLoadRouter } from '../service/onCallLoadRouter';
import type { OperabilityQueries } from '../service/queries';
import { readPagesConfig } from './config';
import { FileIncidentsSource } from './FileIncidentsSource';
import { OnCallLoadService } from './OnCallLoadService';
import type { PageLoadFactProvider } from './PageLoadFactProvider';
import { PagesCollector } from './PagesCollector';
import { DatabasePageStore } from './PageStore';

export { PageLoadFactProvider } from './PageLoadFactProvider';

export const PAGES_TASK_ID = 'operability-pages';

/**
 * The on-call load: reads `operability.onCall.pages` and
 * `operability.onCall.workingHours` (a bad value stops start-up, naming its
 * path), adds the incident-file source when files are configured, schedules
 * the collection task (global scope: one replica at a time), binds the
 * `on-call.pages-per-12h-max` fact provider and builds the load route.
 * Create it after the store, whose migrations make the tables.
 */
export async function startPages(options: {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  snapshot: CatalogSnapshot;
  queries: Pick<OperabilityQueries, 'entity'>;
  /** The modules' page sources. */
  sources: PageSource[];
  facts: PageLoadFactProvider;
}): Promise<{
  router: express.Router;
  collector: PagesCollector;
  service: OnCallLoadService;
}> {
  const settings = readPagesConfig(options.config);
  const sources = [...options.sources];
  if (settings.files.length > 0) {
    sources.push(new FileIncidentsSource({ files: settings.files }));
  }
  const ids = new Set<string>();
  for (const source of sources) {
    if (ids.has(source.id)) {
      throw new Error(`Two page sources have the id '${source.id}'`);
    }
    ids.add(source.id);
  }
  const store = await DatabasePageStore.create({ database: options.database });
  const service = new OnCallLoadService({
    store,
    sources,
    workingHours: settings.workingHours,
    windowMs: settings.windowMs,
  });
  options.facts.bind(service, options.snapshot);
  const collector = new PagesCollector({
    sources,
    store,
    entities: async () => (await options.snapshot.get()).entities,
    retentionMs: settings.retentionMs,
    lookbackMs: settings.lookbackMs,
    timeoutMs: 4 * 60_000,
    logger: options.logger,
  });
  if (sources.length > 0) {
    await options.scheduler.scheduleTask({
      id: PAGES_TASK_ID,
      ...settings.schedule,
      scope: 'global',
      fn: async () => {
        const summary = await collector.run();
        options.logger.debug(
          `Pages collected: ${JSON.stringify(summary.sources)}; ${
            summary.pruned
          } past the retention deleted`,
        );
      },
    });
  }
  options.logger.info(
    `Operability: page sources [${sources.map(s => s.id).join(', ')}]`,
  );
  return {
    router: await createOnCallLoadRouter({
      httpAuth: options.httpAuth,
      queries: options.queries,
      snapshot: options.snapshot,
      load: service,
    }),
    collector,
    service,
  };
}
