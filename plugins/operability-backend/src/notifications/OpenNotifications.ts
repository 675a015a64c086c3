import type { DatabaseService } from '@backstage/backend-plugin-api';
import { isLevel } from '@opsready/plugin-operability-common';
import type { Knex } from 'knex';
import type { OpenNotification } from './notificationFor';

/** Rows per statement: stays under SQLite's bound-variable limit. */
const CHUNK = 200;

const TABLE = 'operability_open_notifications';

/** The notifications sent and not resolved, by entity. */
export interface OpenNotifications {
  load(entityRefs: string[]): Promise<Map<string, OpenNotification>>;
  /** Saves an entity's open notification, or forgets it (undefined). */
  save(entityRef: string, open: OpenNotification | undefined): Promise<void>;
}

/**
 * `OpenNotifications` on the plugin's database (the table comes with the
 * plugin's migrations, which the plugin's store runs).
 */
export class DatabaseOpenNotifications implements OpenNotifications {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseOpenNotifications> {
    return new DatabaseOpenNotifications(await options.database.getClient());
  }

  async load(entityRefs: string[]): Promise<Map<string, OpenNotification>> {
    const out = new Map<string, OpenNotification>();
    for (let i = 0; i < entityRefs.length; i += CHUNK) {
      const rows = await this.db(TABLE)
        .whereIn('entity_ref', entityRefs.slice(i, i + CHUNK))
        .select('entity_ref', 'checks', 'level_before');
      for (const row of rows) {
        const checks = JSON.parse(row.checks);
        if (!Array.isArray(checks) || !isLevel(row.level_before)) continue;
        out.set(row.entity_ref, {
          checks: checks.map(String),
          levelBefore: row.level_before,
        });
      }
    }
    return out;
  }

  async save(
    entityRef: string,
    open: OpenNotification | undefined,
  ): Promise<void> {
    if (!open) {
      await this.db(TABLE).where({ entity_ref: entityRef }).delete();
      return;
    }
    await this.db(TABLE)
      .insert({
        entity_ref: entityRef,
        checks: JSON.stringify(open.checks),
        level_before: open.levelBefore,
        updated_at: new Date(),
      })
      .onConflict('entity_ref')
      .merge(['checks', 'level_before', 'updated_at']);
  }
}
