import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  EntityRef,
  HandoffReport,
} from '@opsready/plugin-operability-common';
import type { Knex } from 'knex';
import type { Baseline } from './buildHandoffReport';

/** Where the report task stands with one schedule. */
export interface HandoffCursor {
  scheduleRef: EntityRef;
  /** The last hand-off reported, or when the schedule was first seen. */
  handedOffAt: Date;
  /** The covered services' states then. */
  baseline: Baseline;
  /** For compare-and-set: an advance from an older version fails. */
  version: number;
}

/** A stored report and whether its notification went out. */
export interface StoredHandoffReport {
  report: HandoffReport;
  notifiedAt: Date | null;
}

/** What the hand-off reports keep: a cursor per schedule, and the reports. */
export interface HandoffStore {
  loadCursors(): Promise<Map<EntityRef, HandoffCursor>>;
  /** The schedule's first cursor; false when one exists already. */
  createCursor(
    scheduleRef: EntityRef,
    at: Date,
    baseline: Baseline,
  ): Promise<boolean>;
  /**
   * Stores a hand-off's report and moves the schedule's cursor to it, in one
   * transaction, if the cursor is still at `version`; false (nothing
   * written) when another run moved it first or the report exists.
   */
  recordHandoff(
    cursor: Pick<HandoffCursor, 'scheduleRef' | 'version'>,
    report: HandoffReport,
    baseline: Baseline,
    now: Date,
  ): Promise<boolean>;
  markNotified(scheduleRef: EntityRef, at: string, now: Date): Promise<void>;
  /** Reports not notified yet, of hand-offs since `since`, oldest first. */
  unnotified(since: Date): Promise<HandoffReport[]>;
  /** A schedule's reports of hand-offs in [from, to), newest first, at most `limit`. */
  list(
    scheduleRef: EntityRef,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<StoredHandoffReport[]>;
  /** Deletes reports of hand-offs before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

const CURSORS = 'operability_handoff_cursors';
const REPORTS = 'operability_handoff_reports';

function toDate(value: unknown): Date {
  // SQLite returns timestamps as numbers or strings, PostgreSQL as Date.
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text);
}

/**
 * The hand-off tables on the plugin's database. The migrations are the
 * plugin's (`migrations/`), run by the main store: create this after it.
 */
export class DatabaseHandoffStore implements HandoffStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseHandoffStore> {
    return new DatabaseHandoffStore(await options.database.getClient());
  }

  /** For tests that hold a migrated knex of their own. */
  static fromKnex(db: Knex): DatabaseHandoffStore {
    return new DatabaseHandoffStore(db);
  }

  async loadCursors(): Promise<Map<EntityRef, HandoffCursor>> {
    const rows = await this.db(CURSORS).select(
      'schedule_ref',
      'handed_off_at',
      'baseline',
      'version',
    );
    return new Map(
      rows.map(r => [
        r.schedule_ref,
        {
          scheduleRef: r.schedule_ref,
          handedOffAt: toDate(r.handed_off_at),
          baseline: JSON.parse(r.baseline) as Baseline,
          version: Number(r.version),
        },
      ]),
    );
  }

  async createCursor(
    scheduleRef: EntityRef,
    at: Date,
    baseline: Baseline,
  ): Promise<boolean> {
    const existing = await this.db(CURSORS)
      .where({ schedule_ref: scheduleRef })
      .first('schedule_ref');
    if (existing) return false;
    await this.db(CURSORS)
      .insert({
        schedule_ref: scheduleRef,
        handed_off_at: at,
        baseline: JSON.stringify(baseline),
        version: 0,
        updated_at: at,
      })
      .onConflict('schedule_ref')
      .ignore();
    return true;
  }

  async recordHandoff(
    cursor: Pick<HandoffCursor, 'scheduleRef' | 'version'>,
    report: HandoffReport,
    baseline: Baseline,
    now: Date,
  ): Promise<boolean> {
    const at = new Date(report.at);
    return this.db.transaction(async tx => {
      const moved = await tx(CURSORS)
        .where({ schedule_ref: cursor.scheduleRef, version: cursor.version })
        .update({
          handed_off_at: at,
          baseline: JSON.stringify(baseline),
          version: cursor.version + 1,
          updated_at: now,
        });
      if (moved !== 1) return false;
      const exists = await tx(REPORTS)
        .where({ schedule_ref: cursor.scheduleRef, handed_off_at: at })
        .first('schedule_ref');
      if (exists) return false;
      await tx(REPORTS).insert({
        schedule_ref: cursor.scheduleRef,
        handed_off_at: at,
        report: JSON.stringify(report),
        created_at: now,
        notified_at: null,
      });
      return true;
    });
  }

  async markNotified(
    scheduleRef: EntityRef,
    at: string,
    now: Date,
  ): Promise<void> {
    await this.db(REPORTS)
      .where({ schedule_ref: scheduleRef, handed_off_at: new Date(at) })
      .update({ notified_at: now });
  }

  async unnotified(since: Date): Promise<HandoffReport[]> {
    const rows = await this.db(REPORTS)
      .whereNull('notified_at')
      .where('handed_off_at', '>=', since)
      .orderBy('handed_off_at')
      .select('report');
    return rows.map(r => JSON.parse(r.report) as HandoffReport);
  }

  async list(
    scheduleRef: EntityRef,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<StoredHandoffReport[]> {
    const rows = await this.db(REPORTS)
      .where({ schedule_ref: scheduleRef })
      .where('handed_off_at', '>=', from)
      .where('handed_off_at', '<', to)
      .orderBy('handed_off_at', 'desc')
      .limit(limit)
      .select('report', 'notified_at');
    return rows.map(r => ({
      report: JSON.parse(r.report) as HandoffReport,
      notifiedAt: r.notified_at ? toDate(r.notified_at) : null,
    }));
  }

  async prune(before: Date): Promise<number> {
    return this.db(REPORTS).where('handed_off_at', '<', before).delete();
  }
}
