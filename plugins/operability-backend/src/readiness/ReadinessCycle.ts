import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  entityRefOf,
  type Exemption,
} from '@opsready/plugin-operability-common';
import type {
  FactProvider,
  ReadinessChange,
} from '@opsready/plugin-operability-node';
import { randomUUID } from 'crypto';
import type {
  CycleWrite,
  CycleWriteBatch,
  OperabilityStore,
  StoredFactsState,
} from '../database/OperabilityStore';
import type { OnCallService } from '../oncall/OnCallService';
import type { CatalogSnapshot, Snapshot } from '../ownership/CatalogSnapshot';
import { collectFacts } from './cycle/collect';
import {
  type EntityEvaluator,
  evaluateEntities,
  exemptionsByEntity,
} from './cycle/evaluateEntities';
import { mergeWithLastGood } from './cycle/mergeWithLastGood';
import {
  planCycleFrame,
  planFactWrites,
  planReports,
  type ReportMemo,
} from './cycle/planWrites';
import {
  publishReadinessChanged,
  readinessChangedPayload,
} from './cycle/publish';
import type { LastGood, LastGoodFacts, ProviderOutcome } from './cycle/types';

export type { EntityEvaluator };

/**
 * Per entity, what its evaluation is made of, for `planReports`' memo: the
 * hashes of its facts from every provider (in the merge order), its
 * exemptions and its catalog etag. `undefined` when any provider failed or
 * had a problem with the entity (kept facts carry ages and reasons), or the
 * entity has no etag.
 */
export function inputKeysOf(
  entities: readonly Entity[],
  refs: readonly string[],
  factHashes: ReadonlyMap<string, readonly string[]>,
  providers: number,
  problems: ReadonlyMap<string, unknown>,
  exemptions: ReadonlyMap<string, readonly Exemption[]>,
): (string | undefined)[] {
  return entities.map((entity, i) => {
    const ref = refs[i];
    const hashes = factHashes.get(ref);
    const etag = entity.metadata.etag;
    if (!etag || hashes?.length !== providers || problems.has(ref)) {
      return undefined;
    }
    const own = exemptions.get(ref);
    return `${ref}\n${etag}\n${hashes.join('\n')}\n${
      own?.length ? JSON.stringify(own) : ''
    }`;
  });
}

/** Entities evaluated and planned at a time (see `runOnce`). */
const EVALUATION_BATCH = 1000;

export interface CycleMetrics {
  recordCycle(summary: CycleSummary): void;
}

export interface CycleSummary {
  /** A UUID: the `cycleId` of its `operability.readiness.changed` event. */
  cycleId: string;
  /** Every entity, or only some (a refresh). */
  scope: 'all' | 'entities';
  entities: number;
  durationMs: number;
  /** Provider id -> error message, for providers whose collection failed. */
  failures: Record<string, string>;
  /** Provider id -> facts that are unknown or stale after this cycle. */
  unknownFacts: Record<string, number>;
  reportsChanged: number;
  historyPoints: number;
  /** Entities whose score, level or check statuses changed (the event's changes). */
  changes: number;
  /**
   * How long each step took, in ms: `catalog` (the snapshot), `collect`
   * (providers, on-call, stored states), `lastGood` (reading the last good
   * facts a failure keeps), `merge`, `evaluate`, `plan`, `write`, `publish`.
   */
  phases: Record<CyclePhase, number>;
}

export type CyclePhase =
  | 'catalog'
  | 'collect'
  | 'lastGood'
  | 'merge'
  | 'evaluate'
  | 'plan'
  | 'write'
  | 'publish';

export interface ReadinessCycleOptions {
  store: OperabilityStore;
  snapshot: CatalogSnapshot;
  /** Who is on call, and the rotations behind it: schedules, PagerDuty, ... */
  onCall: OnCallService;
  factProviders: FactProvider[];
  evaluate: EntityEvaluator;
  logger: LoggerService;
  /** Where what changed is published (`operability.readiness.changed`); without it, nowhere. */
  events?: EventsService;
  /** How long a provider's collection may take. */
  providerTimeoutMs: number;
  historyRetentionMs: number;
  metrics?: CycleMetrics;
  clock?: () => Date;
}

/**
 * One readiness cycle, as a pipeline of named steps (`./cycle/`):
 *
 * 1. collect (I/O): the catalog snapshot, then the on-call service and every
 *    fact provider in parallel, with the stored exemptions and report states;
 * 2. merge with last good (pure): a provider that failed, or failed on one
 *    entity's input, keeps its last good facts, marked stale with the reason;
 *    facts it never delivered stay absent, so checks on them are unknown;
 * 3. evaluate (pure): the rubric over every entity;
 * 4. plan writes (pure): facts, reports, history points, provider runs,
 *    removed entities, and what changed;
 * 5. write: one transaction (`store.writeCycle`);
 * 6. publish: one `operability.readiness.changed` event with the changes, if
 *    there are any.
 *
 * This class keeps the orchestration and what lives between cycles: the last
 * good facts and provider successes in memory, the in-process mutex, the
 * record of full cycles, logs and metrics.
 */
export class ReadinessCycle {
  /**
   * Per provider and entity, the stored facts' hash and stale mark (not the
   * facts: those are read when a failure keeps them); loaded once.
   */
  private lastFacts?: Map<string, Map<string, LastGood>>;
  /** When each provider last collected successfully. */
  private lastSuccess?: Map<string, Date>;
  /**
   * Per entity, what its stored report was made of and its hash, as this
   * process last wrote or confirmed it: an entity whose inputs are the same
   * is not serialised and hashed again (see `planReports`).
   */
  private reportMemos = new Map<string, ReportMemo>();
  /** The run in progress in this process; the next one waits for it. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ReadinessCycleOptions) {}

  private now(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  /** The last good facts and provider successes, read from the store on the first run. */
  private async loadLastGood() {
    if (!this.lastSuccess) {
      const lastSuccess = new Map<string, Date>();
      for (const run of await this.options.store.loadProviderRuns()) {
        if (run.lastSuccessAt) lastSuccess.set(run.provider, run.lastSuccessAt);
      }
      this.lastSuccess = lastSuccess;
    }
    if (!this.lastFacts) {
      const lastFacts = new Map<string, Map<string, LastGood>>();
      for (const stored of await this.options.store.loadFactStates()) {
        let byEntity = lastFacts.get(stored.provider);
        if (!byEntity) lastFacts.set(stored.provider, (byEntity = new Map()));
        byEntity.set(stored.entityRef, stored);
      }
      this.lastFacts = lastFacts;
    }
    return { lastFacts: this.lastFacts, lastSuccess: this.lastSuccess };
  }

  /**
   * Runs a cycle over every entity, or, with `entityRefs`, re-evaluates just
   * those (a refresh after an exemption changed): their facts are collected
   * and their reports written, nothing else is touched. Runs in one process
   * never overlap: each waits for the one before (replicas are kept apart by
   * the scheduler's lock).
   */
  run(options: { entityRefs?: string[] } = {}): Promise<CycleSummary> {
    const run = this.running.then(() => this.runOnce(options));
    this.running = run.catch(() => undefined);
    return run;
  }

  /** The snapshot for a refresh of some entities: reloaded only if one is missing. */
  private async snapshotWith(refs: Set<string>): Promise<Snapshot> {
    const current = await this.options.snapshot.get();
    if ([...refs].every(ref => current.byRef.has(ref))) return current;
    return this.options.snapshot.get({ maxAgeMs: 0 });
  }

  /**
   * The last good facts with the facts of the rows this cycle keeps: every
   * row of a provider that failed, and the rows of entities whose own input
   * failed. Read from the store in one query per provider (the others stay
   * hashes and stale marks).
   */
  private async withKeptFacts(
    lastFacts: Map<string, Map<string, LastGood>>,
    outcomes: ReadonlyMap<string, ProviderOutcome>,
    refs: string[],
    only: boolean,
  ): Promise<LastGoodFacts> {
    let out: Map<string, ReadonlyMap<string, LastGood>> | undefined;
    for (const [provider, outcome] of outcomes) {
      const known = lastFacts.get(provider);
      if (!known?.size) continue;
      let wanted: string[] | undefined;
      if (outcome.failure !== undefined) {
        wanted = only ? refs.filter(ref => known.has(ref)) : undefined;
      } else {
        wanted = [...outcome.errors.keys()].filter(ref => known.has(ref));
        if (wanted.length === 0) continue;
      }
      const loaded = await this.options.store.loadFacts({
        provider,
        ...(wanted ? { entityRefs: wanted } : {}),
      });
      const withFacts = new Map(known);
      for (const stored of loaded) withFacts.set(stored.entityRef, stored);
      out ??= new Map(lastFacts);
      out.set(provider, withFacts);
    }
    return out ?? lastFacts;
  }

  private async runOnce(options: {
    entityRefs?: string[];
  }): Promise<CycleSummary> {
    const started = Date.now();
    const phases: Record<CyclePhase, number> = {
      catalog: 0,
      collect: 0,
      lastGood: 0,
      merge: 0,
      evaluate: 0,
      plan: 0,
      write: 0,
      publish: 0,
    };
    let mark = performance.now();
    const lap = (phase: CyclePhase) => {
      const at = performance.now();
      phases[phase] += Math.round(at - mark);
      mark = at;
    };
    const cycleId = randomUUID();
    const { store, evaluate } = this.options;
    const now = this.now();
    const only = options.entityRefs ? new Set(options.entityRefs) : undefined;
    // A snapshot served because the catalog could not be read says so
    // (`stale`): the catalog provider's failure.
    const snapshot = only
      ? await this.snapshotWith(only)
      : await this.options.snapshot.get({ maxAgeMs: 0 });
    const entities = only
      ? snapshot.entities.filter(e => only.has(entityRefOf(e)))
      : snapshot.entities;
    const refs = entities.map(entityRefOf);
    lap('catalog');

    // 1. Collect.
    const [{ lastFacts, lastSuccess }, outcomes, exemptions, states] =
      await Promise.all([
        this.loadLastGood(),
        collectFacts({
          entities,
          refs,
          snapshot,
          onCall: this.options.onCall,
          factProviders: this.options.factProviders,
          providerTimeoutMs: this.options.providerTimeoutMs,
          now,
        }),
        store.listExemptions().then(exemptionsByEntity),
        store.loadReportStates(only ? refs : undefined),
      ]);
    this.logEntityProblems(outcomes);
    lap('collect');
    const lastGood = await this.withKeptFacts(
      lastFacts,
      outcomes,
      refs,
      Boolean(only),
    );
    lap('lastGood');

    // 2. Merge, 3. evaluate, 4. plan and 5. write, a batch of entities at a
    // time, in one transaction: the store asks for the next batch once it
    // has written the one before, so that the cycle holds one batch's
    // merged facts, evaluations and rows at a time, and lets each batch's
    // provider answers go once they are merged.
    const providerIds = [...outcomes.keys()];
    const failures: Record<string, string> = {};
    const unknownFacts: Record<string, number> = {};
    for (const [provider, outcome] of outcomes) {
      if (outcome.failure !== undefined) failures[provider] = outcome.failure;
      unknownFacts[provider] = 0;
    }
    const changes: ReadinessChange[] = [];
    const writtenFacts: StoredFactsState[] = [];
    const previousMemos = this.reportMemos;
    const memos = new Map<string, ReportMemo>();
    let reportsWritten = 0;
    let historyWritten = 0;
    async function* batches(): AsyncGenerator<CycleWriteBatch> {
      for (let i = 0; i < entities.length; i += EVALUATION_BATCH) {
        lap('write');
        const batchEntities = entities.slice(i, i + EVALUATION_BATCH);
        const batchRefs = refs.slice(i, i + EVALUATION_BATCH);
        const merged = mergeWithLastGood({
          refs: batchRefs,
          outcomes,
          lastGood,
          lastSuccess,
        });
        for (const [provider, n] of Object.entries(merged.unknownFacts)) {
          unknownFacts[provider] += n;
        }
        for (const outcome of outcomes.values()) {
          for (const ref of batchRefs) outcome.facts.delete(ref);
        }
        lap('merge');
        const readiness = evaluateEntities({
          entities: batchEntities,
          refs: batchRefs,
          facts: merged.facts,
          problems: merged.problems,
          exemptions,
          evaluate,
          now,
        });
        lap('evaluate');
        const factHashes = new Map<string, string[]>();
        const facts = planFactWrites(merged, lastGood, factHashes);
        const plan = planReports({
          entities: batchEntities,
          refs: batchRefs,
          readiness,
          org: snapshot.org,
          states,
          now,
          inputKeys: inputKeysOf(
            batchEntities,
            batchRefs,
            factHashes,
            outcomes.size,
            merged.problems,
            exemptions,
          ),
          previous: previousMemos,
        });
        for (const [ref, memo] of plan.memos) memos.set(ref, memo);
        changes.push(...plan.changes);
        reportsWritten += plan.reports.length;
        historyWritten += plan.historyPoints.length;
        for (const { facts: _facts, ...state } of facts) {
          writtenFacts.push(state);
        }
        lap('plan');
        yield {
          facts,
          reports: plan.reports,
          historyPoints: plan.historyPoints,
        };
      }
    }
    const write: CycleWrite = {
      ...planCycleFrame({
        refs,
        states,
        now,
        failures,
        lastSuccess,
        providerIds,
        only: Boolean(only),
        historyRetentionMs: this.options.historyRetentionMs,
      }),
      facts: [],
      reports: [],
      historyPoints: [],
      batches: batches(),
    };
    try {
      await store.writeCycle(write);
    } catch (error) {
      // What was planned was not written: nothing is known to be stored.
      this.reportMemos = new Map();
      throw error;
    }
    this.remember(write, writtenFacts);
    if (only) {
      for (const [ref, memo] of memos) this.reportMemos.set(ref, memo);
    } else {
      this.reportMemos = memos;
    }
    lap('write');
    // 6. Publish.
    await this.publish(cycleId, now, changes);
    lap('publish');

    const summary: CycleSummary = {
      cycleId,
      scope: only ? 'entities' : 'all',
      entities: entities.length,
      durationMs: Date.now() - started,
      failures,
      unknownFacts,
      reportsChanged: reportsWritten,
      historyPoints: historyWritten,
      changes: changes.length,
      phases,
    };
    if (!only) {
      // The task's lock timeout follows these (see plugin.ts).
      await store.recordCycleRun({
        startedAt: new Date(started),
        durationMs: summary.durationMs,
        entities: summary.entities,
      });
    }
    this.log(summary);
    this.options.metrics?.recordCycle(summary);
    return summary;
  }

  /** What was written becomes the last good state in memory. */
  private remember(write: CycleWrite, writtenFacts: StoredFactsState[]) {
    const lastFacts = this.lastFacts!;
    for (const run of write.providerRuns) {
      if (!run.lastError)
        this.lastSuccess!.set(run.provider, run.lastAttemptAt);
    }
    for (const stored of writtenFacts) {
      let byEntity = lastFacts.get(stored.provider);
      if (!byEntity) lastFacts.set(stored.provider, (byEntity = new Map()));
      byEntity.set(stored.entityRef, stored);
    }
    for (const byEntity of lastFacts.values()) {
      for (const ref of write.removedEntityRefs) byEntity.delete(ref);
    }
  }

  /**
   * One event with the cycle's changes. The results are written already: a
   * failure to publish is logged, it does not fail the cycle.
   */
  private async publish(
    cycleId: string,
    now: Date,
    changes: Parameters<typeof readinessChangedPayload>[2],
  ) {
    const { events, logger } = this.options;
    if (!events) return;
    try {
      await publishReadinessChanged(
        events,
        readinessChangedPayload(cycleId, now, changes),
      );
    } catch (error) {
      logger.warn(
        `Readiness cycle ${cycleId}: could not publish its ${changes.length} changes: ${error}`,
      );
    }
  }

  /** Problems of single entities (a rule file that does not parse): the others went on; say which and why. */
  private logEntityProblems(outcomes: ReadonlyMap<string, ProviderOutcome>) {
    for (const [provider, { errors }] of outcomes) {
      if (errors.size === 0) continue;
      const sample = [...errors]
        .slice(0, 5)
        .map(([ref, why]) => `${ref}: ${why}`)
        .join('; ');
      this.options.logger.warn(
        `Fact provider ${provider}: ${errors.size} entities had problems: ${sample}`,
        { provider, entitiesWithProblems: errors.size },
      );
    }
  }

  private log(summary: CycleSummary) {
    const failed = Object.entries(summary.failures)
      .map(([id, why]) => `${id} (${why})`)
      .join(', ');
    const refresh = summary.scope === 'entities';
    this.options.logger.info(
      `Readiness ${refresh ? 'refresh' : 'cycle'}: ${
        summary.entities
      } entities in ${summary.durationMs} ms, ${
        summary.reportsChanged
      } reports written, ${summary.changes} changed, ${
        summary.historyPoints
      } history points${
        failed ? `; failed providers: ${failed}` : ''
      }; phases (ms): ${Object.entries(summary.phases)
        .map(([phase, ms]) => `${phase} ${ms}`)
        .join(', ')}`,
      {
        cycleId: summary.cycleId,
        entities: summary.entities,
        durationMs: summary.durationMs,
        failedProviders: Object.keys(summary.failures).join(','),
        ...Object.fromEntries(
          Object.entries(summary.phases).map(([phase, ms]) => [
            `${phase}Ms`,
            ms,
          ]),
        ),
      },
    );
  }
}
