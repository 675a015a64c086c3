import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { EntityRef, Person } from '@opsready/plugin-operability-common';
import type {
  CollectedPage,
  PrimaryTurn,
} from '@opsready/plugin-operability-node';
import type { Knex } from 'knex';

/** A stored page. */
export interface StoredPage {
  source: string;
  id: string;
  entityRef: EntityRef;
  at: Date;
  title: string;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
  url?: string;
}

/** A stored primary turn of a source. */
export interface StoredTurn {
  source: string;
  entityRef: EntityRef;
  start: Date;
  end: Date;
  primary: Person | null;
}

/** How far a page source has been collected. */
export interface PageSourceState {
  source: string;
  /** End of the last successful collection; undefined before the first. */
  collectedUntil?: Date;
  lastSuccessAt?: Date;
  lastAttemptAt: Date;
  /** Why the last attempt failed; undefined when it succeeded. */
  lastError?: string;
  /** Entities the last successful collection could not answer for, with why. */
  entityErrors: Map<EntityRef, string>;
}

/** What the on-call load keeps: pages, sources' turns and collection state. */
export interface PageStore {
  /**
   * Inserts pages, or updates them (same source, id and entity); an
   * acknowledge or resolve time once stored is kept when a later collection
   * has none.
   */
  upsertPages(source: string, pages: CollectedPage[]): Promise<void>;
  /**
   * Replaces a source's turns of these entities that end after `since` with
   * the given ones (turns overlapping the collected window).
   */
  replaceTurns(
    source: string,
    since: Date,
    turns: Map<EntityRef, PrimaryTurn[]>,
  ): Promise<void>;
  /**
   * Pages raised in [from, to), oldest first; of these entities only, when
   * given.
   */
  pages(from: Date, to: Date, entityRefs?: EntityRef[]): Promise<StoredPage[]>;
  /** Only the instants (ms) of the pages raised in [from, to), per entity. */
  pageInstants(
    from: Date,
    to: Date,
    entityRefs?: EntityRef[],
  ): Promise<Map<EntityRef, number[]>>;
  /** Turns overlapping [from, to); of these entities only, when given. */
  turns(from: Date, to: Date, entityRefs?: EntityRef[]): Promise<StoredTurn[]>;
  sourceStates(): Promise<Map<string, PageSourceState>>;
  /** How far the source has collected each entity. */
  watermarks(source: string): Promise<Map<EntityRef, Date>>;
  /** The source has collected these entities up to `until`. */
  setWatermarks(
    source: string,
    entityRefs: EntityRef[],
    until: Date,
  ): Promise<void>;
  /** A successful collection up to `until`. */
  recordSuccess(
    source: string,
    until: Date,
    at: Date,
    entityErrors?: Map<EntityRef, string>,
  ): Promise<void>;
  /** A failed collection: the state keeps how far the last success got. */
  recordFailure(source: string, at: Date, error: string): Promise<void>;
  /** Deletes pages raised, and turns ended, before `before`; returns pages deleted. */
  prune(before: Date): Promise<number>;
}

/**
 * Rows per insert: 8 values each, under SQLite's 32,766 and PostgreSQL's
 * 65,535 bound values.
 */
const INSERT_CHUNK = { sqlite: 2000, postgres: 5000 };

/**
 * Rows per insert that knex builds: its SQLite dialect writes a multi-row
 * insert as a compound SELECT, at most 500 terms.
 */
const BUILDER_CHUNK = 400;

const PAGE_COLUMNS = [
  'source',
  'page_id',
  'entity_ref',
  'at',
  'title',
  'acknowledged_at',
  'resolved_at',
  'url',
] as const;

/** The update of a page collected again (both dialects). */
const PAGE_UPSERT = `on conflict (source, page_id, entity_ref) do update set
  at = excluded.at, title = excluded.title, url = excluded.url,
  acknowledged_at = COALESCE(excluded.acknowledged_at, operability_pages.acknowledged_at),
  resolved_at = COALESCE(excluded.resolved_at, operability_pages.resolved_at)`;
/** Entity refs per `IN (…)`. */
const REFS_CHUNK = 500;
/** Beyond this many refs, read the window whole and filter in memory. */
const REFS_FILTER_MAX = 2000;

function toDate(value: unknown): Date {
  // SQLite returns timestamps as numbers or strings, PostgreSQL as Date.
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text);
}

function optionalDate(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : toDate(value);
}

function isoOrNull(value: string | undefined): Date | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * The on-call load's tables on the plugin's database. The migrations are the
 * plugin's (`migrations/`), run by the main store: create this after it.
 */
export class DatabasePageStore implements PageStore {
  private readonly postgres: boolean;
  private readonly insertChunk: number;

  private constructor(private readonly db: Knex) {
    this.postgres = /^(pg|postgres)/.test(String(db.client.config.client));
    this.insertChunk = this.postgres
      ? INSERT_CHUNK.postgres
      : INSERT_CHUNK.sqlite;
  }

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabasePageStore> {
    return new DatabasePageStore(await options.database.getClient());
  }

  /** For tests and benches that hold a knex of their own (migrated). */
  static fromKnex(db: Knex): DatabasePageStore {
    return new DatabasePageStore(db);
  }

  async upsertPages(source: string, pages: CollectedPage[]): Promise<void> {
    if (pages.length === 0) return;
    const row = (p: CollectedPage) => {
      const at = isoOrNull(p.at);
      return (
        at && {
          source,
          page_id: p.id.slice(0, 255),
          entity_ref: p.entityRef,
          at,
          title: p.title,
          acknowledged_at: isoOrNull(p.acknowledgedAt),
          resolved_at: isoOrNull(p.resolvedAt),
          url: p.url ?? null,
        }
      );
    };
    await this.db.transaction(async tx => {
      // Rows are built a chunk at a time: 200,000 pages never exist twice.
      for (const chunk of chunks(pages, this.insertChunk)) {
        // One row per (id, entity) in a statement: a source that names a
        // page twice keeps the last.
        const rows = new Map<string, Record<string, unknown>>();
        for (const p of chunk) {
          const r = row(p);
          if (r) rows.set(`${p.id}\u0000${p.entityRef}`, r);
        }
        if (rows.size === 0) continue;
        const values = [...rows.values()];
        if (this.postgres) {
          // One array per column: a handful of parameters, however many rows.
          await tx.raw(
            `insert into operability_pages (${PAGE_COLUMNS.join(
              ', ',
            )}) select * from unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[]) ${PAGE_UPSERT}`,
            PAGE_COLUMNS.map(c => values.map(r => r[c]) as Knex.Value),
          );
          continue;
        }
        // One multi-row VALUES statement: knex writes SQLite's multi-row
        // inserts as a compound SELECT (500 terms at most, and a large
        // statement to prepare each time).
        await tx.raw(
          `insert into operability_pages (${PAGE_COLUMNS.join(
            ', ',
          )}) values ${values
            .map(() => `(${PAGE_COLUMNS.map(() => '?').join(', ')})`)
            .join(', ')} ${PAGE_UPSERT}`,
          values.flatMap(r => PAGE_COLUMNS.map(c => r[c] as Knex.Value)),
        );
      }
    });
  }

  async replaceTurns(
    source: string,
    since: Date,
    turns: Map<EntityRef, PrimaryTurn[]>,
  ): Promise<void> {
    if (turns.size === 0) return;
    const rows: Record<string, unknown>[] = [];
    for (const [entityRef, list] of turns) {
      const byStart = new Map<number, Record<string, unknown>>();
      for (const turn of list) {
        const start = isoOrNull(turn.start);
        const end = isoOrNull(turn.end);
        if (!start || !end || end <= start) continue;
        byStart.set(start.getTime(), {
          source,
          entity_ref: entityRef,
          start_at: start,
          end_at: end,
          primary_person: turn.primary ? JSON.stringify(turn.primary) : null,
        });
      }
      rows.push(...byStart.values());
    }
    await this.db.transaction(async tx => {
      for (const refs of chunks([...turns.keys()], REFS_CHUNK)) {
        await tx('operability_page_turns')
          .where({ source })
          .whereIn('entity_ref', refs)
          .where('end_at', '>', since)
          .delete();
      }
      for (const chunk of chunks(rows, BUILDER_CHUNK)) {
        await tx('operability_page_turns')
          .insert(chunk)
          .onConflict(['source', 'entity_ref', 'start_at'])
          .merge(['end_at', 'primary_person']);
      }
    });
  }

  /**
   * Rows of a table for the given entities (in chunks), or for all when
   * there are many (then filtered here): one scan beats thousands of `IN`s.
   */
  private async forRefs<T extends { entity_ref: string }>(
    query: () => Knex.QueryBuilder,
    entityRefs: EntityRef[] | undefined,
  ): Promise<T[]> {
    if (!entityRefs || entityRefs.length > REFS_FILTER_MAX) {
      const rows: T[] = await query();
      if (!entityRefs) return rows;
      const wanted = new Set(entityRefs);
      return rows.filter(r => wanted.has(r.entity_ref));
    }
    const out: T[] = [];
    for (const refs of chunks(entityRefs, REFS_CHUNK)) {
      out.push(...((await query().whereIn('entity_ref', refs)) as T[]));
    }
    return out;
  }

  async pages(
    from: Date,
    to: Date,
    entityRefs?: EntityRef[],
  ): Promise<StoredPage[]> {
    if (entityRefs && entityRefs.length === 0) return [];
    type Row = {
      source: string;
      page_id: string;
      entity_ref: string;
      at: unknown;
      title: string;
      acknowledged_at: unknown;
      resolved_at: unknown;
      url: string | null;
    };
    const rows = await this.forRefs<Row>(
      () =>
        this.db('operability_pages')
          .select(
            'source',
            'page_id',
            'entity_ref',
            'at',
            'title',
            'acknowledged_at',
            'resolved_at',
            'url',
          )
          .where('at', '>=', from)
          .where('at', '<', to),
      entityRefs,
    );
    return rows
      .map(r => {
        const page: StoredPage = {
          source: r.source,
          id: r.page_id,
          entityRef: r.entity_ref,
          at: toDate(r.at),
          title: r.title,
        };
        const ack = optionalDate(r.acknowledged_at);
        const resolved = optionalDate(r.resolved_at);
        if (ack) page.acknowledgedAt = ack;
        if (resolved) page.resolvedAt = resolved;
        if (r.url) page.url = r.url;
        return page;
      })
      .sort(
        (a, b) =>
          a.at.getTime() - b.at.getTime() ||
          a.source.localeCompare(b.source) ||
          a.id.localeCompare(b.id),
      );
  }

  async pageInstants(
    from: Date,
    to: Date,
    entityRefs?: EntityRef[],
  ): Promise<Map<EntityRef, number[]>> {
    const out = new Map<EntityRef, number[]>();
    if (entityRefs && entityRefs.length === 0) return out;
    const rows = await this.forRefs<{ entity_ref: string; at: unknown }>(
      () =>
        this.db('operability_pages')
          .select('entity_ref', 'at')
          .where('at', '>=', from)
          .where('at', '<', to),
      entityRefs,
    );
    for (const r of rows) {
      const at = toDate(r.at).getTime();
      const list = out.get(r.entity_ref);
      if (list) list.push(at);
      else out.set(r.entity_ref, [at]);
    }
    return out;
  }

  async turns(
    from: Date,
    to: Date,
    entityRefs?: EntityRef[],
  ): Promise<StoredTurn[]> {
    if (entityRefs && entityRefs.length === 0) return [];
    type Row = {
      source: string;
      entity_ref: string;
      start_at: unknown;
      end_at: unknown;
      primary_person: string | null;
    };
    const rows = await this.forRefs<Row>(
      () =>
        this.db('operability_page_turns')
          .select(
            'source',
            'entity_ref',
            'start_at',
            'end_at',
            'primary_person',
          )
          .where('end_at', '>', from)
          .where('start_at', '<', to),
      entityRefs,
    );
    return rows
      .map(r => ({
        source: r.source,
        entityRef: r.entity_ref,
        start: toDate(r.start_at),
        end: toDate(r.end_at),
        primary: r.primary_person
          ? (JSON.parse(r.primary_person) as Person)
          : null,
      }))
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  async sourceStates(): Promise<Map<string, PageSourceState>> {
    const rows = await this.db('operability_page_sources').select();
    const states = new Map<string, PageSourceState>();
    for (const r of rows) {
      let entityErrors = new Map<EntityRef, string>();
      if (r.entity_errors) {
        try {
          entityErrors = new Map(
            Object.entries(
              JSON.parse(r.entity_errors) as Record<string, string>,
            ),
          );
        } catch {
          // unreadable: treated as none
        }
      }
      states.set(r.source, {
        source: r.source,
        collectedUntil: optionalDate(r.collected_until),
        lastSuccessAt: optionalDate(r.last_success_at),
        lastAttemptAt: toDate(r.last_attempt_at),
        lastError: r.last_error ?? undefined,
        entityErrors,
      });
    }
    return states;
  }

  async watermarks(source: string): Promise<Map<EntityRef, Date>> {
    const rows = await this.db('operability_page_watermarks')
      .where({ source })
      .select('entity_ref', 'collected_until');
    return new Map(rows.map(r => [r.entity_ref, toDate(r.collected_until)]));
  }

  async setWatermarks(
    source: string,
    entityRefs: EntityRef[],
    until: Date,
  ): Promise<void> {
    const rows = [...new Set(entityRefs)].map(entityRef => ({
      source,
      entity_ref: entityRef,
      collected_until: until,
    }));
    await this.db.transaction(async tx => {
      for (const chunk of chunks(rows, BUILDER_CHUNK)) {
        await tx('operability_page_watermarks')
          .insert(chunk)
          .onConflict(['source', 'entity_ref'])
          .merge(['collected_until']);
      }
    });
  }

  async recordSuccess(
    source: string,
    until: Date,
    at: Date,
    entityErrors?: Map<EntityRef, string>,
  ): Promise<void> {
    await this.db('operability_page_sources')
      .insert({
        source,
        collected_until: until,
        last_success_at: at,
        last_attempt_at: at,
        last_error: null,
        entity_errors:
          entityErrors && entityErrors.size > 0
            ? JSON.stringify(Object.fromEntries(entityErrors))
            : null,
      })
      .onConflict('source')
      .merge();
  }

  async recordFailure(source: string, at: Date, error: string): Promise<void> {
    const updated = await this.db('operability_page_sources')
      .where({ source })
      .update({ last_attempt_at: at, last_error: error.slice(0, 4000) });
    if (updated === 0) {
      await this.db('operability_page_sources')
        .insert({
          source,
          collected_until: null,
          last_success_at: null,
          last_attempt_at: at,
          last_error: error.slice(0, 4000),
          entity_errors: null,
        })
        .onConflict('source')
        .merge(['last_attempt_at', 'last_error']);
    }
  }

  async prune(before: Date): Promise<number> {
    const pages = await this.db('operability_pages')
      .where('at', '<', before)
      .delete();
    await this.db('operability_page_turns')
      .where('end_at', '<', before)
      .delete();
    return pages;
  }
}
