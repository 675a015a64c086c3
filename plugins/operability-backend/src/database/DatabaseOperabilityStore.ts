import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  type Exemption,
  type HistoryPoint,
  type Level,
  levelRank,
  type Readiness,
} from '@opsready/plugin-operability-common';
import { Knex } from 'knex';
import {
  readinessFromStored,
  type StoredReadiness,
} from '../readiness/storedReadiness';
import type { CheckDefinition } from '../readiness/types';
import type {
  CheckStatusIds,
  CycleRun,
  CycleWrite,
  CycleWriteBatch,
  OnCallLastGood,
  OperabilityStore,
  ProviderRun,
  ReportQuery,
  ReportRow,
  ReportState,
  ReportWrite,
  StoredFacts,
  StoredFactsState,
} from './OperabilityStore';

const migrationsDir = resolvePackagePath(
  '@opsready/plugin-operability-backend',
  'migrations',
);

/** Rows per statement: stays under SQLite's bound-variable limit. */
const CHUNK = 200;

/** Full cycles whose durations are kept. */
const CYCLE_RUNS_KEPT = 20;

function toDate(value: unknown): Date {
  // SQLite returns timestamps as numbers or strings, PostgreSQL as Date.
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  return new Date(/^\d+$/.test(text) ? Number(text) : text);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

type ReportDbRow = {
  entity_ref: string;
  kind: string;
  name: string;
  title: string | null;
  type: string | null;
  lifecycle: string | null;
  system_ref: string | null;
  owner_ref: string | null;
  owner_declared: string | null;
  score: number;
  level: Level;
  level_rank: number;
  failed_checks: string;
  check_statuses?: string | null;
  readiness?: string;
  hash: string;
  evaluated_at: unknown;
  history_at: unknown;
  /** Read only: the latest full cycle's evaluation time (see cycleEvaluatedAt). */
  cycle_evaluated_at?: unknown;
};

/** Every column but the readiness document, which lists never need. */
const LIST_COLUMNS = [
  'entity_ref',
  'kind',
  'name',
  'title',
  'type',
  'lifecycle',
  'system_ref',
  'owner_ref',
  'owner_declared',
  'score',
  'level',
  'level_rank',
  'failed_checks',
  'check_statuses',
  'hash',
  'evaluated_at',
  'history_at',
];

/** The store on the plugin's own database (SQLite or PostgreSQL). */
export class DatabaseOperabilityStore implements OperabilityStore {
  private readonly checksById: ReadonlyMap<string, CheckDefinition>;
  private changes = 0;

  private constructor(private readonly db: Knex, checks: CheckDefinition[]) {
    this.checksById = new Map(checks.map(c => [c.id, c]));
  }

  /**
   * The store on the plugin's database, migrated. `checks`: the rubric's,
   * joined to the stored reports when they are read (titles, levels, ...);
   * without them a check's id stands for its title.
   */
  static async create(options: {
    database: DatabaseService;
    checks?: CheckDefinition[];
  }): Promise<DatabaseOperabilityStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseOperabilityStore(client, options.checks ?? []);
  }

  async loadFacts(filter?: {
    provider: string;
    entityRefs?: string[];
  }): Promise<StoredFacts[]> {
    const read = async (refs?: string[]) => {
      const query = this.db('operability_facts');
      if (filter) query.where('provider', filter.provider);
      if (refs) query.whereIn('entity_ref', refs);
      const rows = await query.select();
      return rows.map(r => ({
        entityRef: r.entity_ref,
        provider: r.provider,
        facts: JSON.parse(r.facts),
        hash: r.hash,
        ...(r.stale_since
          ? { staleSince: toDate(r.stale_since).toISOString() }
          : {}),
      }));
    };
    const refs = filter?.entityRefs;
    if (!refs) return read();
    const out: StoredFacts[] = [];
    // Bounded IN lists: SQLite and PostgreSQL cap the bound parameters.
    for (let i = 0; i < refs.length; i += 500) {
      out.push(...(await read(refs.slice(i, i + 500))));
    }
    return out;
  }

  async loadFactStates(): Promise<StoredFactsState[]> {
    const rows = await this.db('operability_facts').select(
      'entity_ref',
      'provider',
      'hash',
      'stale_since',
    );
    return rows.map(r => ({
      entityRef: r.entity_ref,
      provider: r.provider,
      hash: r.hash,
      ...(r.stale_since
        ? { staleSince: toDate(r.stale_since).toISOString() }
        : {}),
    }));
  }

  async loadProviderRuns(): Promise<ProviderRun[]> {
    const rows = await this.db('operability_provider_runs').select();
    return rows.map(r => ({
      provider: r.provider,
      lastAttemptAt: toDate(r.last_attempt_at),
      lastSuccessAt: r.last_success_at ? toDate(r.last_success_at) : null,
      lastError: r.last_error ?? null,
    }));
  }

  async loadReportStates(
    entityRefs?: string[],
  ): Promise<Map<string, ReportState>> {
    const query = this.db('operability_reports');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    const rows = await query.select(
      'entity_ref',
      'score',
      'level',
      'hash',
      'history_at',
      'check_statuses',
    );
    return new Map(
      rows.map(r => [
        r.entity_ref,
        {
          score: Number(r.score),
          level: r.level,
          hash: r.hash,
          historyAt: toDate(r.history_at),
          ...(r.check_statuses
            ? {
                checkStatuses: JSON.parse(r.check_statuses) as CheckStatusIds,
              }
            : {}),
        },
      ]),
    );
  }

  changeCount(): number {
    return this.changes;
  }

  async writeCycle(write: CycleWrite): Promise<void> {
    try {
      await this.writeCycleInTransaction(write);
    } finally {
      this.changes++;
    }
  }

  private async writeCycleInTransaction(write: CycleWrite): Promise<void> {
    await this.db.transaction(async tx => {
      // Batches are produced while the transaction is open (the cycle
      // evaluates the next batch when this one is written).
      for await (const batch of write.batches ?? []) {
        await writeRows(tx, batch);
      }
      await writeRows(tx, write);
      for (const run of write.providerRuns) {
        await tx('operability_provider_runs')
          .insert({
            provider: run.provider,
            last_attempt_at: run.lastAttemptAt,
            last_success_at: run.lastSuccessAt,
            last_error: run.lastError,
          })
          .onConflict('provider')
          .merge();
      }
      if (write.onlyEntityRefs) {
        for (let i = 0; i < write.onlyEntityRefs.length; i += CHUNK) {
          await tx('operability_reports')
            .whereIn('entity_ref', write.onlyEntityRefs.slice(i, i + CHUNK))
            .update({ evaluated_at: write.evaluatedAt });
        }
      } else {
        // Every report was evaluated now: said once, not on every row.
        await tx('operability_cycle_state')
          .insert({ id: 1, evaluated_at: write.evaluatedAt })
          .onConflict('id')
          .merge();
      }
      for (let i = 0; i < write.removedEntityRefs.length; i += CHUNK) {
        const refs = write.removedEntityRefs.slice(i, i + CHUNK);
        await tx('operability_reports').whereIn('entity_ref', refs).delete();
        await tx('operability_facts').whereIn('entity_ref', refs).delete();
        await tx('operability_on_call_last_good')
          .whereIn('entity_ref', refs)
          .delete();
      }
      await tx('operability_history')
        .where('time', '<', write.historyCutoff)
        .delete();
    });
  }

  async recordCycleRun(run: CycleRun): Promise<void> {
    await this.db('operability_cycle_runs').insert({
      started_at: run.startedAt,
      duration_ms: run.durationMs,
      entities: run.entities,
    });
    // Keep the newest few: they only serve to size the task's timeout.
    const keep = this.db('operability_cycle_runs')
      .select('id')
      .orderBy('id', 'desc')
      .limit(CYCLE_RUNS_KEPT);
    await this.db('operability_cycle_runs')
      .whereNotIn('id', this.db.select('id').from(keep.as('newest')))
      .delete();
  }

  async recentCycleRuns(limit: number): Promise<CycleRun[]> {
    const rows = await this.db('operability_cycle_runs')
      .orderBy('id', 'desc')
      .limit(limit)
      .select('started_at', 'duration_ms', 'entities');
    return rows.map(r => ({
      startedAt: toDate(r.started_at),
      durationMs: Number(r.duration_ms),
      entities: Number(r.entities),
    }));
  }

  async loadOnCallLastGood(): Promise<OnCallLastGood> {
    const rows = await this.db('operability_on_call_last_good').select();
    const out: OnCallLastGood = { answers: [], rotations: [] };
    for (const r of rows) {
      const base = {
        entityRef: r.entity_ref,
        provider: r.provider,
        goodAt: toDate(r.good_at),
      };
      if (r.kind === 'answer') {
        out.answers.push({ ...base, answer: JSON.parse(r.document) });
      } else if (r.kind === 'rotation') {
        out.rotations.push({ ...base, rotation: JSON.parse(r.document) });
      }
    }
    return out;
  }

  async saveOnCallLastGood(rows: OnCallLastGood): Promise<void> {
    const all = [
      ...rows.answers.map(a => ({
        entity_ref: a.entityRef,
        provider: a.provider,
        kind: 'answer',
        document: JSON.stringify(a.answer),
        good_at: a.goodAt,
      })),
      ...rows.rotations.map(r => ({
        entity_ref: r.entityRef,
        provider: r.provider,
        kind: 'rotation',
        document: JSON.stringify(r.rotation),
        good_at: r.goodAt,
      })),
    ];
    if (all.length === 0) return;
    await this.db.transaction(async tx => {
      for (let i = 0; i < all.length; i += CHUNK) {
        await tx('operability_on_call_last_good')
          .insert(all.slice(i, i + CHUNK))
          .onConflict(['entity_ref', 'provider', 'kind'])
          .merge();
      }
    });
  }

  /**
   * The latest full cycle's evaluation time, as a column of a report query:
   * a report's evaluation time is the later of it and the row's own.
   */
  private cycleEvaluatedAt() {
    return this.db.raw(
      '(select evaluated_at from operability_cycle_state where id = 1) as cycle_evaluated_at',
    );
  }

  async getReport(entityRef: string): Promise<ReportRow | undefined> {
    const row = await this.db<ReportDbRow>('operability_reports')
      .where({ entity_ref: entityRef })
      .first('*', this.cycleEvaluatedAt());
    return row ? fromDbRow(row, this.checksById) : undefined;
  }

  async listReports(
    query: ReportQuery,
  ): Promise<{ rows: Omit<ReportRow, 'readiness'>[]; total: number }> {
    const base = this.db('operability_reports');
    if (query.kind) base.where('kind', query.kind.toLowerCase());
    if (query.type) base.where('type', query.type);
    if (query.lifecycle) base.where('lifecycle', query.lifecycle);
    // level_rank is indexed (with kind); level is not.
    if (query.level) base.where('level_rank', levelRank(query.level));
    if (query.owner !== undefined) {
      // One owner or several (any of them).
      const teams = [
        ...new Set(
          [query.owner].flat().map(o => {
            const owner = o.toLowerCase();
            return owner.includes(':') ? owner : `group:default/${owner}`;
          }),
        ),
      ];
      base.where(b =>
        b.whereIn('owner_ref', teams).orWhereIn('owner_declared', teams),
      );
    }
    if (query.failing) {
      base.where(
        'failed_checks',
        'like',
        `%${escapeLike(JSON.stringify(query.failing))}%`,
      );
    }
    if (query.q) {
      const like = `%${escapeLike(query.q.toLowerCase())}%`;
      base.where(b =>
        b
          .whereRaw(`lower(entity_ref) like ? escape '\\'`, [like])
          .orWhereRaw(`lower(coalesce(title, '')) like ? escape '\\'`, [like]),
      );
    }
    const column = {
      name: 'entity_ref',
      owner: 'owner_ref',
      score: 'score',
      level: 'level_rank',
    }[query.sort];
    const ordered = base.clone().orderBy(
      column === 'entity_ref'
        ? [{ column, order: query.order }]
        : [
            { column, order: query.order },
            { column: 'entity_ref', order: 'asc' },
          ],
    );
    if (query.visible) {
      // Which entities the caller may read is the catalog's answer, not a
      // column: order the matching refs in SQL, keep the visible ones, then
      // read the page's rows.
      const visible = query.visible;
      const refs = (
        (await ordered.clone().select('entity_ref')) as {
          entity_ref: string;
        }[]
      )
        .map(r => r.entity_ref)
        .filter(ref => visible(ref));
      const pageRefs = refs.slice(query.offset, query.offset + query.limit);
      const byRef = new Map(
        (await this.getReportSummaries(pageRefs)).map(r => [r.entityRef, r]),
      );
      return {
        rows: pageRefs.map(ref => byRef.get(ref)!).filter(Boolean),
        total: refs.length,
      };
    }
    const [{ count }] = await base
      .clone()
      .count<{ count: string | number }[]>({ count: '*' });
    const rows = await ordered
      .clone()
      .select(...LIST_COLUMNS, this.cycleEvaluatedAt())
      .limit(query.limit)
      .offset(query.offset);
    return {
      rows: (rows as ReportDbRow[]).map(listRowFromDb),
      total: Number(count),
    };
  }

  async getReportSummaries(
    entityRefs: string[],
  ): Promise<Omit<ReportRow, 'readiness'>[]> {
    const out: Omit<ReportRow, 'readiness'>[] = [];
    // Bounded IN lists: SQLite and PostgreSQL cap the bound parameters.
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows: ReportDbRow[] = await this.db('operability_reports')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .select(...LIST_COLUMNS, this.cycleEvaluatedAt());
      out.push(...rows.map(listRowFromDb));
    }
    return out;
  }

  async listReportSummaries(): Promise<Omit<ReportRow, 'readiness'>[]> {
    const rows: ReportDbRow[] = await this.db('operability_reports').select(
      ...LIST_COLUMNS,
      this.cycleEvaluatedAt(),
    );
    return rows.map(listRowFromDb);
  }

  async history(
    entityRef: string,
    from: Date,
    to: Date,
  ): Promise<HistoryPoint[]> {
    const rows = await this.db('operability_history')
      .where({ entity_ref: entityRef })
      .andWhere('time', '>=', from)
      .andWhere('time', '<=', to)
      .orderBy('time', 'asc')
      .select('time', 'score', 'level');
    return rows.map(r => ({
      time: toDate(r.time).toISOString(),
      score: Number(r.score),
      level: r.level,
    }));
  }

  async listExemptions(entityRef?: string): Promise<Exemption[]> {
    const query = this.db('operability_exemptions').orderBy(
      'created_at',
      'asc',
    );
    if (entityRef) query.where({ entity_ref: entityRef });
    return (await query.select()).map(exemptionFromRow);
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const row = await this.db('operability_exemptions').where({ id }).first();
    return row ? exemptionFromRow(row) : undefined;
  }

  async addExemption(
    exemption: Exemption & { createdAt: Date },
  ): Promise<void> {
    this.changes++;
    await this.db('operability_exemptions').insert({
      id: exemption.id,
      entity_ref: exemption.entityRef,
      check_id: exemption.checkId,
      reason: exemption.reason,
      author: exemption.author,
      created_at: exemption.createdAt,
      expires_at: new Date(exemption.expiresAt),
    });
  }

  async deleteExemption(id: string): Promise<boolean> {
    this.changes++;
    return (await this.db('operability_exemptions').where({ id }).delete()) > 0;
  }
}

function exemptionFromRow(row: any): Exemption {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    checkId: row.check_id,
    reason: row.reason,
    author: row.author,
    expiresAt: toDate(row.expires_at).toISOString(),
  };
}

function listRowFromDb(r: ReportDbRow): Omit<ReportRow, 'readiness'> {
  const { readiness: _omit, ...rest } = fromDbRow(r, new Map());
  return rest;
}

/** Facts, reports and history points of a cycle (or of one of its batches). */
async function writeRows(tx: Knex.Transaction, rows: CycleWriteBatch) {
  for (let i = 0; i < rows.facts.length; i += CHUNK) {
    await tx('operability_facts')
      .insert(
        rows.facts.slice(i, i + CHUNK).map(f => ({
          entity_ref: f.entityRef,
          provider: f.provider,
          facts: JSON.stringify(f.facts),
          hash: f.hash,
          stale_since: f.staleSince ? new Date(f.staleSince) : null,
        })),
      )
      .onConflict(['entity_ref', 'provider'])
      .merge();
  }
  for (let i = 0; i < rows.reports.length; i += CHUNK) {
    await tx('operability_reports')
      .insert(rows.reports.slice(i, i + CHUNK).map(toDbRow))
      .onConflict('entity_ref')
      .merge();
  }
  for (let i = 0; i < rows.historyPoints.length; i += CHUNK) {
    await tx('operability_history').insert(
      rows.historyPoints.slice(i, i + CHUNK).map(p => ({
        entity_ref: p.entityRef,
        time: p.time,
        score: p.score,
        level: p.level,
      })),
    );
  }
}

function toDbRow(r: ReportWrite): ReportDbRow {
  return {
    entity_ref: r.entityRef,
    kind: r.kind.toLowerCase(),
    name: r.name,
    title: r.title,
    type: r.type,
    lifecycle: r.lifecycle,
    system_ref: r.systemRef,
    owner_ref: r.ownerRef,
    owner_declared: r.ownerDeclared,
    score: r.score,
    level: r.level,
    level_rank: levelRank(r.level),
    failed_checks: JSON.stringify(r.failedChecks),
    check_statuses: JSON.stringify(r.checkStatuses),
    readiness:
      typeof r.readiness === 'string'
        ? r.readiness
        : JSON.stringify(r.readiness),
    hash: r.hash,
    evaluated_at: r.evaluatedAt,
    history_at: r.historyAt,
  };
}

function fromDbRow(
  r: ReportDbRow,
  checks: ReadonlyMap<string, CheckDefinition>,
): ReportRow {
  // Evaluated by the latest full cycle, or later when written or refreshed since.
  const own = toDate(r.evaluated_at);
  const cycle = r.cycle_evaluated_at ? toDate(r.cycle_evaluated_at) : own;
  const evaluatedAt = cycle > own ? cycle : own;
  return {
    entityRef: r.entity_ref,
    kind: r.kind,
    name: r.name,
    title: r.title,
    type: r.type,
    lifecycle: r.lifecycle,
    systemRef: r.system_ref,
    ownerRef: r.owner_ref,
    ownerDeclared: r.owner_declared,
    score: Number(r.score),
    level: r.level,
    failedChecks: JSON.parse(r.failed_checks),
    checkStatuses: r.check_statuses ? JSON.parse(r.check_statuses) : {},
    // The evaluation time is not in the document: a first-version one gets
    // it as it always did; a second-version one is joined with it (and the
    // rubric) by readinessFromStored.
    readiness: (r.readiness
      ? readinessFromStored(
          JSON.parse(r.readiness) as StoredReadiness,
          evaluatedAt.toISOString(),
          checks,
        )
      : undefined) as Readiness,
    hash: r.hash,
    evaluatedAt,
    historyAt: toDate(r.history_at),
  };
}
