import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  entityRefOf,
  onCallAt,
  parseSchedule,
  type EntityRef,
  type HandoffReport,
  type Level,
  type Schedule,
} from '@opsready/plugin-operability-common';
import type { OperabilityStore } from '../database/OperabilityStore';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { personOf } from '../ownership/orgIndex';
import { isOffHours, type WorkingHours } from '../pages/workingHours';
import {
  buildHandoffReport,
  handoffNotification,
  type Baseline,
  type ReportedCheck,
  type ServiceState,
} from './buildHandoffReport';
import { latestHandoff } from './detectHandoff';
import type { HandoffStore } from './HandoffStore';
import type { PagesReader } from './PagesReader';

export const HANDOFF_TASK_ID = 'operability-handoff-reports';

/** How long a report whose notification failed is sent again. */
const RETRY_MS = 24 * 3600_000;
/** How long reports are kept. */
export const HANDOFF_RETENTION_MS = 365 * 24 * 3600_000;

export interface HandoffTaskOptions {
  store: HandoffStore;
  snapshot: { get(): Promise<Snapshot> };
  scheduleOnCall: Pick<ScheduleOnCall, 'scheduleOf'>;
  /** The stored readiness reports: the covered services' states. */
  reports: Pick<OperabilityStore, 'getReportSummaries'>;
  /** The stored pages; absent (or null answers): pages are not collected. */
  pages?: PagesReader;
  workingHours: WorkingHours;
  checks: ReadonlyMap<string, ReportedCheck>;
  readyLevel: Level;
  notifications: Pick<NotificationService, 'send'>;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Reports each hand-off of every Schedule once: detects, per schedule, the
 * hand-off after the last one reported (a cursor in the database), builds
 * its report from the stored pages and readiness reports, stores it and
 * moves the cursor in one compare-and-set, then notifies the incoming
 * primary and secondary. A report whose notification failed is sent again
 * on the next runs for a day (same scope: an update, not a second one).
 */
export class HandoffTask {
  private readonly parsed = new Map<
    string,
    { etag: string; schedule?: Schedule }
  >();

  constructor(private readonly options: HandoffTaskOptions) {}

  /** Every few minutes, on one replica at a time (global scope). */
  static async schedule(
    scheduler: SchedulerService,
    options: HandoffTaskOptions,
  ): Promise<HandoffTask> {
    const task = new HandoffTask(options);
    await scheduler.scheduleTask({
      id: HANDOFF_TASK_ID,
      scope: 'global',
      frequency: { minutes: 5 },
      timeout: { minutes: 4 },
      // After the first readiness cycle has stored reports.
      initialDelay: { minutes: 1 },
      fn: () => task.run(),
    });
    return task;
  }

  private scheduleOf(entity: Entity): Schedule | undefined {
    const key = entityRefOf(entity);
    const etag = entity.metadata.etag ?? JSON.stringify(entity.spec);
    const cached = this.parsed.get(key);
    if (cached && cached.etag === etag) return cached.schedule;
    const { schedule } = parseSchedule(entity);
    this.parsed.set(key, { etag, schedule });
    return schedule;
  }

  private async statesOf(
    entityRefs: EntityRef[],
  ): Promise<Map<EntityRef, ServiceState>> {
    const out = new Map<EntityRef, ServiceState>();
    if (entityRefs.length === 0) return out;
    for (const row of await this.options.reports.getReportSummaries(
      entityRefs,
    )) {
      const statuses = row.checkStatuses ?? {};
      out.set(row.entityRef, {
        level: row.level,
        fail: statuses.fail ?? row.failedChecks,
        ok: [...(statuses.pass ?? []), ...(statuses.exempt ?? [])],
      });
    }
    return out;
  }

  private async notify(report: HandoffReport, title?: string): Promise<void> {
    const { notifications, store, logger } = this.options;
    const recipients = [report.incoming.primary.ref];
    if (
      report.incoming.secondary &&
      report.incoming.secondary.ref !== report.incoming.primary.ref
    ) {
      recipients.push(report.incoming.secondary.ref);
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: handoffNotification(report, title),
      });
      await store.markNotified(report.scheduleRef, report.at, this.now());
    } catch (error) {
      logger.warn(
        `Could not send the hand-off report of ${report.scheduleRef} at ${
          report.at
        }: ${(error as Error).message}`,
      );
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async run(): Promise<void> {
    const { store, logger } = this.options;
    const now = this.now();
    const snapshot = await this.options.snapshot.get();

    // First the reports whose notification failed on an earlier run.
    for (const report of await store.unnotified(
      new Date(now.getTime() - RETRY_MS),
    )) {
      const entity = snapshot.schedules.get(report.scheduleRef);
      await this.notify(report, entity?.metadata.title);
    }

    // The services each schedule covers (its own, its System's or team's).
    const covered = new Map<EntityRef, Entity[]>();
    for (const entity of snapshot.entities) {
      const ref = this.options.scheduleOnCall.scheduleOf(
        entity,
        snapshot,
      )?.scheduleRef;
      if (!ref || !snapshot.schedules.has(ref)) continue;
      const list = covered.get(ref) ?? [];
      list.push(entity);
      covered.set(ref, list);
    }

    const cursors = await store.loadCursors();
    let reported = 0;
    for (const [scheduleRef, entity] of snapshot.schedules) {
      const schedule = this.scheduleOf(entity);
      if (!schedule) continue;
      const services = covered.get(scheduleRef) ?? [];
      const refs = services.map(entityRefOf);
      const cursor = cursors.get(scheduleRef);
      if (!cursor) {
        // First seen: what its first report compares with.
        await store.createCursor(scheduleRef, now, {
          at: now.toISOString(),
          entities: Object.fromEntries(await this.statesOf(refs)),
        });
        continue;
      }
      const handoff = latestHandoff(schedule, cursor.handedOffAt, now);
      if (!handoff) continue;

      const current = await this.statesOf(refs);
      const pages =
        this.options.pages && handoff.outgoing
          ? await this.options.pages.pagesFor(
              refs,
              handoff.outgoing.start,
              handoff.at,
            )
          : null;
      const report = buildHandoffReport({
        scheduleRef,
        timeZone: schedule.timeZone,
        handoff,
        secondary: onCallAt(schedule, handoff.at).secondary,
        person: ref => personOf(snapshot.org, ref),
        covered: services.map(s => ({
          entityRef: entityRefOf(s),
          ...(s.metadata.title ? { title: s.metadata.title } : {}),
        })),
        pages,
        isOffHours: at =>
          isOffHours(at, schedule.timeZone, this.options.workingHours),
        baseline: cursor.baseline,
        current,
        checks: this.options.checks,
        target: this.options.readyLevel,
        now,
      });
      const baseline: Baseline = {
        at: now.toISOString(),
        entities: Object.fromEntries(current),
      };
      if (!(await store.recordHandoff(cursor, report, baseline, now))) {
        continue; // another run reported it
      }
      reported++;
      await this.notify(report, entity.metadata.title);
    }
    if (reported > 0) {
      logger.info(`Operability: ${reported} hand-off report(s) sent`);
    }
    await store.prune(new Date(now.getTime() - HANDOFF_RETENTION_MS));
  }
}
