import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { calendarDateOf } from '@opsready/plugin-operability-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { BurndownRow, CampaignStore } from './CampaignStore';
import type { CampaignService } from './CampaignService';
import { campaignNotification, noticeDue, openByTeam } from './notices';
import { campaignStateAt } from './progress';

export const CAMPAIGN_TASK_ID = 'operability-campaigns';

export interface CampaignTaskOptions {
  campaigns: CampaignService;
  campaignStore: CampaignStore;
  /** Absent: campaigns notify nobody. */
  notifications?: Pick<NotificationService, 'send'>;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * The campaigns' daily work, from the stored reports: the day's burndown
 * point of each active campaign (replaced until the day ends), and the
 * notices that are due, one notification per team with open services.
 */
export class CampaignTask {
  constructor(private readonly options: CampaignTaskOptions) {}

  /**
   * Runs the task daily and at start-up, on one replica at a time (global
   * scope: the lock is in the database). Does nothing without campaigns.
   */
  static async schedule(
    scheduler: SchedulerService,
    options: CampaignTaskOptions,
  ): Promise<void> {
    if (options.campaigns.campaigns.length === 0) return;
    const task = new CampaignTask(options);
    await scheduler.scheduleTask({
      id: CAMPAIGN_TASK_ID,
      scope: 'global',
      frequency: { hours: 24 },
      timeout: { minutes: 10 },
      // After the first readiness cycle has stored reports.
      initialDelay: { minutes: 1 },
      fn: () => task.run(),
    });
  }

  async run(): Promise<void> {
    const { campaigns, campaignStore, logger } = this.options;
    const now = this.options.now?.() ?? new Date();
    const nowMs = now.getTime();
    const today = calendarDateOf(now);
    const { entries } = await campaigns.entries();

    const points: BurndownRow[] = [];
    for (const compiled of campaigns.campaigns) {
      if (campaignStateAt(compiled, nowMs) !== 'active') continue;
      const list = entries.get(compiled.campaign.id) ?? [];
      points.push({
        campaignId: compiled.campaign.id,
        date: today,
        total: list.length,
        remaining: list.filter(e => !e.done).length,
      });
    }
    await campaignStore.recordBurndown(points);

    const { notifications } = this.options;
    if (!notifications) return;
    const sent = await campaignStore.loadNotices();
    for (const compiled of campaigns.campaigns) {
      const { id } = compiled.campaign;
      const notice = noticeDue(compiled, sent.get(id) ?? {}, nowMs);
      if (!notice) continue;
      let failed = 0;
      const teams = openByTeam(entries.get(id) ?? []);
      for (const [teamRef, open] of teams) {
        try {
          await notifications.send({
            recipients: { type: 'entity', entityRef: teamRef },
            payload: campaignNotification(
              compiled,
              notice,
              teamRef,
              open,
              nowMs,
            ),
          });
        } catch (error) {
          failed++;
          logger.warn(
            `Campaign ${id}: could not notify ${teamRef} (${notice}): ${
              (error as Error).message
            }`,
          );
        }
      }
      // Tried again on the next run when a team missed it; its scope makes
      // a second send update the teams' notifications, not add one.
      if (failed === 0) await campaignStore.recordNotice(id, notice, now);
      logger.info(
        `Campaign ${id}: ${notice} notice to ${teams.size - failed} of ${
          teams.size
        } teams with open services`,
      );
    }
  }
}
