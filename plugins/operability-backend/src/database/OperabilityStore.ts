import type {
  Exemption,
  HistoryPoint,
  Level,
  OnCall,
  Readiness,
  ScorecardsQuery,
} from '@opsready/plugin-operability-common';
import type { OnCallRotation } from '@opsready/plugin-operability-node';
import type { StoredReadiness } from '../readiness/storedReadiness';
import type { FactRecord } from '../readiness/types';

/** Last good facts of one provider for one entity. */
export interface StoredFacts {
  entityRef: string;
  provider: string;
  facts: Record<string, FactRecord>;
  hash: string;
  /**
   * ISO instant, set while the entity's own input to this provider fails (a
   * rule file that cannot be read) and these facts are kept: when they were
   * last good.
   */
  staleSince?: string;
}

/**
 * What the readiness cycle keeps in memory of one stored facts row between
 * cycles: its hash and stale mark, not the facts. The facts are read when
 * they are needed (a provider failed, or an entity's input did).
 */
export type StoredFactsState = Omit<StoredFacts, 'facts'>;

/**
 * An entity's check ids by status, as the cycle compares them with the next
 * evaluation's (not-applicable checks are left out).
 */
export type CheckStatusIds = Partial<
  Record<'pass' | 'fail' | 'exempt' | 'unknown', string[]>
>;

/** One full readiness cycle, as measured. */
export interface CycleRun {
  startedAt: Date;
  durationMs: number;
  entities: number;
}

/** The last good on-call answer of one provider for one entity. */
export interface StoredOnCallAnswer {
  entityRef: string;
  provider: string;
  answer: OnCall;
  /** When it was last known good. */
  goodAt: Date;
}

/** The last good rotation of one provider for one entity. */
export interface StoredOnCallRotation {
  entityRef: string;
  provider: string;
  rotation: OnCallRotation;
  /** When it was last known good. */
  goodAt: Date;
}

/** Last good on-call answers and rotations, as stored. */
export interface OnCallLastGood {
  answers: StoredOnCallAnswer[];
  rotations: StoredOnCallRotation[];
}

/** What the on-call service keeps of the store: its last good answers. */
export interface OnCallLastGoodStore {
  loadOnCallLastGood(): Promise<OnCallLastGood>;
  /** Inserts or replaces the given rows. */
  saveOnCallLastGood(rows: OnCallLastGood): Promise<void>;
}

export interface ProviderRun {
  provider: string;
  lastAttemptAt: Date;
  lastSuccessAt: Date | null;
  lastError: string | null;
}

/** The latest report of one entity, with the columns the lists filter on. */
export interface ReportRow {
  entityRef: string;
  kind: string;
  name: string;
  title: string | null;
  type: string | null;
  lifecycle: string | null;
  systemRef: string | null;
  ownerRef: string | null;
  ownerDeclared: string | null;
  score: number;
  level: Level;
  failedChecks: string[];
  /** The checks' statuses, compactly: what the next cycle compares with. */
  checkStatuses: CheckStatusIds;
  /**
   * The readiness, as read: the stored document (see `storedReadiness.ts`)
   * joined with the rubric the store was given, and the evaluation time.
   */
  readiness: Readiness;
  /** Hash of the readiness without its evaluation time: equal hashes, same report. */
  hash: string;
  evaluatedAt: Date;
  historyAt: Date;
}

/**
 * A report as the cycle writes it: its readiness as stored, without what
 * the rubric has (`encodeReadiness`), or that serialised already (written as
 * it is); a first-version document is accepted.
 */
export interface ReportWrite extends Omit<ReportRow, 'readiness'> {
  readiness: StoredReadiness | string;
}

/** What the cycle knows of a stored report, to decide what to write. */
export interface ReportState {
  score: number;
  level: Level;
  hash: string;
  historyAt: Date;
  /** Absent only on a report written before statuses were stored. */
  checkStatuses?: CheckStatusIds;
}

/**
 * `GET /v1/scorecards`'s query as the store takes it: the defaults applied
 * and the cursor read as an offset.
 */
export interface ReportQuery
  extends Omit<ScorecardsQuery, 'sort' | 'order' | 'limit' | 'cursor'>,
    Required<Pick<ScorecardsQuery, 'sort' | 'order' | 'limit'>> {
  offset: number;
  /**
   * Only reports of entities the caller may read count and are listed (the
   * catalog's read permission, see CatalogVisibility); absent, all are.
   */
  visible?: (entityRef: string) => boolean;
}

/** Rows a cycle writes: facts, reports, history points. */
export interface CycleWriteBatch {
  facts: StoredFacts[];
  reports: ReportWrite[];
  /** Reports whose history needs a point (changed, or first of the day). */
  historyPoints: {
    entityRef: string;
    time: Date;
    score: number;
    level: Level;
  }[];
}

export interface CycleWrite extends CycleWriteBatch {
  providerRuns: ProviderRun[];
  /**
   * More rows, produced while the transaction is open (the cycle evaluates
   * a batch of entities when the one before is written), so that a cycle
   * never holds every entity's rows at once. Written in the same
   * transaction; an error from it rolls everything back.
   */
  batches?: AsyncIterable<CycleWriteBatch> | Iterable<CycleWriteBatch>;
  /** Entities gone from the catalog: their reports and facts are removed. */
  removedEntityRefs: string[];
  /** History points older than this are deleted. */
  historyCutoff: Date;
  /** The cycle's time: every report's evaluation time. */
  evaluatedAt: Date;
  /**
   * Set when the cycle re-evaluated only these entities (a refresh of one):
   * only their evaluation time changes.
   */
  onlyEntityRefs?: string[];
}

export interface OperabilityStore extends OnCallLastGoodStore {
  /** Every provider's last good facts, or one provider's (of some entities). */
  loadFacts(filter?: {
    provider: string;
    entityRefs?: string[];
  }): Promise<StoredFacts[]>;
  /** Every stored facts row without its facts: hash and stale mark. */
  loadFactStates(): Promise<StoredFactsState[]>;
  loadProviderRuns(): Promise<ProviderRun[]>;
  /** The stored state of every report, or of the given ones. */
  loadReportStates(entityRefs?: string[]): Promise<Map<string, ReportState>>;
  /** Writes one cycle's results in one transaction. */
  writeCycle(write: CycleWrite): Promise<void>;

  /** Records how long a full cycle took (the newest few are kept). */
  recordCycleRun(run: CycleRun): Promise<void>;
  /** The newest full cycles first, at most `limit`. */
  recentCycleRuns(limit: number): Promise<CycleRun[]>;

  /**
   * How many writes this store made in this process: what was read before
   * may have changed when it grew. Writes of other replicas are not counted
   * (caches keyed by it also expire by time).
   */
  changeCount(): number;

  getReport(entityRef: string): Promise<ReportRow | undefined>;
  /** The list columns of matching reports (their readiness is not read). */
  listReports(
    query: ReportQuery,
  ): Promise<{ rows: Omit<ReportRow, 'readiness'>[]; total: number }>;
  /** Every report's list columns, without the readiness document. */
  listReportSummaries(): Promise<Omit<ReportRow, 'readiness'>[]>;
  /** The list columns of the given reports, in no particular order. */
  getReportSummaries(
    entityRefs: string[],
  ): Promise<Omit<ReportRow, 'readiness'>[]>;
  history(entityRef: string, from: Date, to: Date): Promise<HistoryPoint[]>;

  listExemptions(entityRef?: string): Promise<Exemption[]>;
  addExemption(exemption: Exemption & { createdAt: Date }): Promise<void>;
  getExemption(id: string): Promise<Exemption | undefined>;
  deleteExemption(id: string): Promise<boolean>;
}
