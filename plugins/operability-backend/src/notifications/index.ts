import type {
  DatabaseService,
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { OperabilityStore } from '../database/OperabilityStore';
import type { CheckDefinition } from '../readiness/types';
import { readNotificationsConfig } from './config';
import { DatabaseOpenNotifications } from './OpenNotifications';
import {
  ReadinessNotifier,
  subscribeReadinessNotifications,
} from './ReadinessNotifier';

/**
 * Readiness notifications (`operability.notifications`): reads the config
 * (a bad value stops start-up) and, when notifications are on, subscribes to
 * `operability.readiness.changed` to notify the owners of what regressed
 * and recovered. Resolves to whether it subscribed.
 */
export async function startReadinessNotifications(options: {
  config: RootConfigService;
  logger: LoggerService;
  events: EventsService;
  notifications: NotificationService;
  instanceMetadata: RootInstanceMetadataService;
  database: DatabaseService;
  store: Pick<OperabilityStore, 'getReportSummaries'>;
  /** The rubric's checks. */
  checks: readonly CheckDefinition[];
}): Promise<boolean> {
  const settings = readNotificationsConfig(options.config);
  return subscribeReadinessNotifications({
    settings,
    instanceMetadata: options.instanceMetadata,
    events: options.events,
    logger: options.logger,
    createNotifier: async () =>
      new ReadinessNotifier({
        notifications: options.notifications,
        open: await DatabaseOpenNotifications.create({
          database: options.database,
        }),
        reports: options.store,
        checks: options.checks,
        on: settings.on,
        logger: options.logger,
      }),
  });
}
