import type {
  DatabaseService,
  HttpAuthService,
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type express from 'express';
import type { OperabilityStore } from '../database/OperabilityStore';
import { readNotificationsConfig } from '../notifications/config';
import { notificationsEnabled } from '../notifications/ReadinessNotifier';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { DatabasePageStore } from '../pages/PageStore';
import { readWorkingHours } from '../pages/workingHours';
import type { Rubric } from '../readiness/types';
import type { CatalogVisibility } from '../service/CatalogVisibility';
import { createHandoffsRouter } from '../service/handoffsRouter';
import type { OperabilityQueries } from '../service/queries';
import { readHandoffReportsConfig } from './config';
import { DatabaseHandoffStore } from './HandoffStore';
import { HandoffTask } from './HandoffTask';
import { pagesReaderOf } from './PagesReader';

export { HANDOFF_TASK_ID } from './HandoffTask';

/**
 * Hand-off reports (`operability.onCall.handoffReports`): reads the config
 * (a bad value stops start-up, naming its path), and when the reports are on
 * (by default when notifications are) schedules the task that reports each
 * Schedule's hand-offs to the incoming primary and secondary. The route that
 * lists past reports is built either way. Create it after the store, whose
 * migrations make the tables.
 */
export async function startHandoffReports(options: {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  notifications: NotificationService;
  instanceMetadata: RootInstanceMetadataService;
  snapshot: CatalogSnapshot;
  scheduleOnCall: ScheduleOnCall;
  store: OperabilityStore;
  rubric: Rubric;
  visibility: CatalogVisibility;
  queries: Pick<OperabilityQueries, 'entity'>;
}): Promise<{ router: express.Router; enabled: boolean }> {
  const settings = readHandoffReportsConfig(options.config);
  const workingHours = readWorkingHours(options.config);
  const store = await DatabaseHandoffStore.create({
    database: options.database,
  });
  const enabled =
    settings.enabled ??
    (await notificationsEnabled(
      readNotificationsConfig(options.config),
      options.instanceMetadata,
    ));
  if (enabled) {
    await HandoffTask.schedule(options.scheduler, {
      store,
      snapshot: options.snapshot,
      scheduleOnCall: options.scheduleOnCall,
      reports: options.store,
      pages: pagesReaderOf(
        await DatabasePageStore.create({ database: options.database }),
      ),
      workingHours,
      checks: new Map(
        options.rubric.checks.map(c => [
          c.id,
          {
            title: c.title,
            level: c.level,
            ...(c.enforcedFrom ? { enforcedFrom: c.enforcedFrom } : {}),
          },
        ]),
      ),
      readyLevel: settings.readyLevel,
      notifications: options.notifications,
      logger: options.logger,
    });
  }
  options.logger.info(
    enabled
      ? `Operability: hand-off reports on (not ready: below ${settings.readyLevel})`
      : 'Operability: hand-off reports off',
  );
  const router = await createHandoffsRouter({
    httpAuth: options.httpAuth,
    queries: options.queries,
    snapshot: options.snapshot,
    scheduleOnCall: options.scheduleOnCall,
    store,
    visibility: options.visibility,
  });
  return { router, enabled };
}
