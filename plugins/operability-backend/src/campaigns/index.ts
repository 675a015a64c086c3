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
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import type { Rubric } from '../readiness/types';
import type { CatalogVisibility } from '../service/CatalogVisibility';
import { createCampaignsRouter } from '../service/campaignsRouter';
import { DatabaseCampaignStore } from './CampaignStore';
import { CampaignService } from './CampaignService';
import { CampaignTask } from './CampaignTask';
import { readCampaignsConfig } from './readCampaignsConfig';
import { readNotificationsConfig } from '../notifications/config';
import { notificationsEnabled } from '../notifications/ReadinessNotifier';

export { CampaignService } from './CampaignService';

/**
 * Campaigns (`operability.campaigns`): reads and checks the config against
 * the rubric (a bad campaign stops start-up, naming its path), schedules the
 * daily task (burndown and notices) and builds the routes. Create it after
 * the store, whose migrations make the campaigns' tables.
 */
export async function startCampaigns(options: {
  config: RootConfigService;
  logger: LoggerService;
  scheduler: SchedulerService;
  database: DatabaseService;
  httpAuth: HttpAuthService;
  visibility: CatalogVisibility;
  snapshot: CatalogSnapshot;
  store: OperabilityStore;
  rubric: Rubric;
  /**
   * The notifications service, used when notifications are on (as for
   * readiness: `operability.notifications.enabled`, else whether the
   * notifications backend runs here). Absent: campaigns notify nobody.
   */
  notifications?: NotificationService;
  instanceMetadata?: RootInstanceMetadataService;
}): Promise<{ service: CampaignService; router: express.Router }> {
  const notifications =
    options.notifications &&
    options.instanceMetadata &&
    (await notificationsEnabled(
      readNotificationsConfig(options.config),
      options.instanceMetadata,
    ))
      ? options.notifications
      : undefined;
  const campaigns = readCampaignsConfig(options.config, {
    checkIds: new Set(options.rubric.checks.map(c => c.id)),
  });
  const campaignStore = await DatabaseCampaignStore.create({
    database: options.database,
  });
  const service = new CampaignService({
    campaigns,
    rubric: options.rubric,
    store: options.store,
    campaignStore,
    snapshot: options.snapshot,
  });
  await CampaignTask.schedule(options.scheduler, {
    campaigns: service,
    campaignStore,
    notifications,
    logger: options.logger,
  });
  if (campaigns.length > 0) {
    options.logger.info(
      `Operability: campaigns [${campaigns.map(c => c.id).join(', ')}]${
        notifications ? '' : ' (notifications off)'
      }`,
    );
  }
  const router = await createCampaignsRouter({
    httpAuth: options.httpAuth,
    visibility: options.visibility,
    campaigns: service,
  });
  return { service, router };
}
