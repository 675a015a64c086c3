import type {
  LoggerService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  READINESS_CHANGED_TOPIC,
  type ReadinessChange,
  type ReadinessChangedEventPayload,
} from '@opsready/plugin-operability-node';
import type { OperabilityStore } from '../database/OperabilityStore';
import type { CheckDefinition } from '../readiness/types';
import type { NotificationsSettings } from './config';
import {
  notificationFor,
  type NotificationContext,
  type NotificationTransitions,
  type NotifiedCheck,
  openNotificationAfter,
} from './notificationFor';
import type { OpenNotifications } from './OpenNotifications';

/** The events subscriber's id (one delivery per id across replicas). */
export const NOTIFICATIONS_SUBSCRIBER_ID = 'operability-notifications';

/** Notifications sent at a time. */
const CONCURRENCY = 4;

/**
 * Turns each `operability.readiness.changed` event into notifications for
 * the changed entities' owners: at most one per entity per event, sent
 * through the notifications service to the entity (the notifications
 * backend resolves its owners' members), with the entity's scope so that
 * a recovery updates the notification a regression sent.
 */
export class ReadinessNotifier {
  private readonly checks: ReadonlyMap<string, NotifiedCheck>;

  constructor(
    private readonly options: {
      notifications: NotificationService;
      open: OpenNotifications;
      /** The reports of this cycle: the entity's title and failing checks. */
      reports: Pick<OperabilityStore, 'getReportSummaries'>;
      /** The rubric's checks: their titles and levels. */
      checks: readonly CheckDefinition[];
      on: NotificationTransitions;
      logger: LoggerService;
    },
  ) {
    this.checks = new Map(
      options.checks.map(c => [
        c.id,
        {
          title: c.title,
          level: c.level,
          ...(c.enforcedFrom ? { enforcedFrom: c.enforcedFrom } : {}),
        },
      ]),
    );
  }

  /** Sends what one event calls for; a failed send is logged, not thrown. */
  async handle(event: ReadinessChangedEventPayload): Promise<void> {
    // First evaluations and stale changes never notify nor touch what is
    // open: no need to read anything for them.
    const candidates = event.changes.filter(c => c.before && !c.stale);
    if (candidates.length === 0) return;
    const refs = candidates.map(c => c.entityRef);
    const [open, summaries] = await Promise.all([
      this.options.open.load(refs),
      this.options.reports.getReportSummaries(refs),
    ]);
    const reportOf = new Map(summaries.map(s => [s.entityRef, s]));
    const at = new Date(event.at);

    const work = candidates.map(change => () => {
      const report = reportOf.get(change.entityRef);
      return this.handleOne(change, {
        checks: this.checks,
        entityTitle: report?.title ?? undefined,
        failing: report?.checkStatuses.fail ?? report?.failedChecks ?? [],
        at,
        on: this.options.on,
        open: open.get(change.entityRef),
      });
    });
    await runAtMost(CONCURRENCY, work);
  }

  private async handleOne(
    change: ReadinessChange,
    ctx: NotificationContext,
  ): Promise<void> {
    const { notifications, logger } = this.options;
    const payload = notificationFor(change, ctx);
    const next = openNotificationAfter(change, ctx);
    try {
      if (payload) {
        await notifications.send({
          recipients: { type: 'entity', entityRef: change.entityRef },
          payload,
        });
      }
      if (next !== ctx.open) {
        await this.options.open.save(change.entityRef, next);
      }
    } catch (error) {
      // Not remembered as sent: a later recovery does not update a
      // notification nobody got.
      logger.warn(
        `Could not send the readiness notification of ${change.entityRef}: ${error}`,
      );
    }
  }
}

async function runAtMost(
  limit: number,
  tasks: Array<() => Promise<void>>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      await task();
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, worker),
  );
}

/**
 * Whether notifications are on: `operability.notifications.enabled` when
 * set, else whether the notifications backend runs in this backend.
 */
export async function notificationsEnabled(
  settings: NotificationsSettings,
  instanceMetadata: RootInstanceMetadataService,
): Promise<boolean> {
  if (settings.enabled !== undefined) return settings.enabled;
  const plugins = await instanceMetadata.getInstalledPlugins();
  return plugins.some(p => p.pluginId === 'notifications');
}

/**
 * Subscribes the notifier to `operability.readiness.changed`, when
 * notifications are on (see `notificationsEnabled`); logs which way it went.
 */
export async function subscribeReadinessNotifications(options: {
  settings: NotificationsSettings;
  instanceMetadata: RootInstanceMetadataService;
  events: EventsService;
  logger: LoggerService;
  createNotifier: () => Promise<ReadinessNotifier>;
}): Promise<boolean> {
  const { settings, logger } = options;
  if (!(await notificationsEnabled(settings, options.instanceMetadata))) {
    logger.info(
      settings.enabled === false
        ? 'Operability: readiness notifications off (operability.notifications.enabled: false)'
        : 'Operability: readiness notifications off: the notifications backend is not installed here (set operability.notifications.enabled: true if it runs elsewhere)',
    );
    return false;
  }
  const notifier = await options.createNotifier();
  await options.events.subscribe({
    id: NOTIFICATIONS_SUBSCRIBER_ID,
    topics: [READINESS_CHANGED_TOPIC],
    async onEvent({ eventPayload }) {
      await notifier.handle(eventPayload as ReadinessChangedEventPayload);
    },
  });
  const on = Object.entries(settings.on)
    .filter(([, enabled]) => enabled)
    .map(([transition]) => transition);
  logger.info(
    `Operability: readiness notifications on, for [${on.join(', ')}]`,
  );
  return true;
}
