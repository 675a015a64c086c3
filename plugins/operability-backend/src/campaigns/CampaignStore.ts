import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** Services in scope and still open on one day of a campaign. */
export interface BurndownRow {
  campaignId: string;
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  total: number;
  remaining: number;
}

/** The notifications a campaign sends to the teams with open services. */
export type CampaignNotice = 'start' | 'weekly' | 'deadline';

/** What the campaigns keep: the daily burndown and which notices went out. */
export interface CampaignStore {
  /**
   * Changes whenever a readiness cycle (or a refresh) wrote reports: the
   * newest evaluation time and the number of reports. Cheap: one aggregate.
   */
  reportsVersion(): Promise<string>;
  /** Inserts the points, replacing one of the same campaign and day. */
  recordBurndown(points: BurndownRow[]): Promise<void>;
  /** A campaign's points from `from` to `to` (dates, inclusive), oldest first. */
  burndown(
    campaignId: string,
    from: string,
    to: string,
  ): Promise<BurndownRow[]>;
  /** When each notice of each campaign was last sent. */
  loadNotices(): Promise<Map<string, Partial<Record<CampaignNotice, Date>>>>;
  recordNotice(
    campaignId: string,
    notice: CampaignNotice,
    at: Date,
  ): Promise<void>;
}

function toDate(value: unknown): Date {
  // SQLite returns timestamps as numbers or strings, PostgreSQL as Date.
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text);
}

/**
 * The campaigns' tables on the plugin's database. The migrations are the
 * plugin's (`migrations/`), run by the main store: create this after it.
 */
export class DatabaseCampaignStore implements CampaignStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseCampaignStore> {
    return new DatabaseCampaignStore(await options.database.getClient());
  }

  async reportsVersion(): Promise<string> {
    const [row] = await this.db('operability_reports')
      .max({ at: 'evaluated_at' })
      .count({ n: '*' });
    const at = row?.at ? toDate(row.at).getTime() : 0;
    return `${at}:${Number(row?.n ?? 0)}`;
  }

  async recordBurndown(points: BurndownRow[]): Promise<void> {
    if (points.length === 0) return;
    await this.db('operability_campaign_burndown')
      .insert(
        points.map(p => ({
          campaign_id: p.campaignId,
          date: p.date,
          total: p.total,
          remaining: p.remaining,
        })),
      )
      .onConflict(['campaign_id', 'date'])
      .merge(['total', 'remaining']);
  }

  async burndown(
    campaignId: string,
    from: string,
    to: string,
  ): Promise<BurndownRow[]> {
    const rows = await this.db('operability_campaign_burndown')
      .where({ campaign_id: campaignId })
      .andWhere('date', '>=', from)
      .andWhere('date', '<=', to)
      .orderBy('date')
      .select('date', 'total', 'remaining');
    return rows.map(r => ({
      campaignId,
      date: r.date,
      total: Number(r.total),
      remaining: Number(r.remaining),
    }));
  }

  async loadNotices(): Promise<
    Map<string, Partial<Record<CampaignNotice, Date>>>
  > {
    const out = new Map<string, Partial<Record<CampaignNotice, Date>>>();
    for (const r of await this.db('operability_campaign_notices').select(
      'campaign_id',
      'notice',
      'sent_at',
    )) {
      const notices = out.get(r.campaign_id) ?? {};
      notices[r.notice as CampaignNotice] = toDate(r.sent_at);
      out.set(r.campaign_id, notices);
    }
    return out;
  }

  async recordNotice(
    campaignId: string,
    notice: CampaignNotice,
    at: Date,
  ): Promise<void> {
    await this.db('operability_campaign_notices')
      .insert({ campaign_id: campaignId, notice, sent_at: at })
      .onConflict(['campaign_id', 'notice'])
      .merge(['sent_at']);
  }
}
