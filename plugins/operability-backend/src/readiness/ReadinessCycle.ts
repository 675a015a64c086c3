import type { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import type {
  Exemption,
  Level,
  Readiness,
  SourceProblem,
} from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type { FactProvider } from '@opsready/plugin-operability-node';
import { createHash } from 'crypto';
import type {
  CycleWrite,
  OperabilityStore,
  ReportRow,
  StoredFacts,
} from '../database/OperabilityStore';
import { onCallFactsOf } from '../oncall/onCallFacts';
import type { OnCallService } from '../oncall/OnCallService';
import type { CatalogSnapshot, Snapshot } from '../ownership/CatalogSnapshot';
import { resolveOwnership } from '../ownership/orgIndex';
import { collectCatalogFacts } from './collectBuiltinFacts';
import { withoutAges } from './evaluator/factTable';
import type { EntityFacts, FactRecord } from './types';

export const CATALOG_PROVIDER = 'catalog';
export const ON_CALL_PROVIDER = 'on-call';

/** Evaluates one entity; the readiness engine's pure evaluator, bound to the rubric. */
export type EntityEvaluator = (
  entity: Entity,
  facts: EntityFacts,
  exemptions: Exemption[],
  now: Date,
) => Readiness;

export interface CycleMetrics {
  recordCycle(summary: CycleSummary): void;
}

export interface CycleSummary {
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
}

export interface ReadinessCycleOptions {
  store: OperabilityStore;
  snapshot: CatalogSnapshot;
  /** Who is on call, and the rotations behind it: schedules, PagerDuty, ... */
  onCall: OnCallService;
  factProviders: FactProvider[];
  evaluate: EntityEvaluator;
  logger: LoggerService;
  /** How long a provider's collection may take. */
  providerTimeoutMs: number;
  historyRetentionMs: number;
  metrics?: CycleMetrics;
  clock?: () => Date;
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** What facts say, without when: unchanged values are not written again. */
function factsHash(facts: Record<string, FactRecord>): string {
  return hashOf(
    Object.entries(facts).map(([name, r]) => [
      name,
      r.value,
      r.source,
      r.evidence,
    ]),
  );
}

/**
 * The readiness as stored: without the evaluation time (a column of its own)
 * and without each check's description and remediation, which the rubric
 * holds and the routes put back.
 */
export function storedReadiness(readiness: Readiness): Readiness {
  return {
    score: readiness.score,
    level: readiness.level,
    evaluatedAt: '',
    checks: readiness.checks.map(check => {
      const {
        remediation: _r,
        description: _d,
        ...rest
      } = check as typeof check & {
        description?: string;
      };
      return rest;
    }),
    ...(readiness.problems?.length ? { problems: readiness.problems } : {}),
  };
}

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} timed out after ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The readiness as hashed: messages without the ages that grow every cycle. */
function withoutMessageAges(readiness: Readiness): Readiness {
  return {
    ...readiness,
    checks: readiness.checks.map(check => {
      const message = withoutAges(check.message);
      return message === check.message ? check : { ...check, message };
    }),
  };
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * One readiness cycle: read the catalog, collect facts from every provider,
 * evaluate every entity, write the results in one transaction.
 *
 * A provider that fails keeps its last good facts, marked stale with the
 * reason; facts it never delivered stay absent, so checks on them are unknown.
 */
export class ReadinessCycle {
  /** Last good facts per provider and entity; loaded from the store once. */
  private lastFacts?: Map<string, Map<string, StoredFacts>>;
  /** When each provider last collected successfully. */
  private lastSuccess?: Map<string, Date>;
  /** The run in progress in this process; the next one waits for it. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ReadinessCycleOptions) {}

  private now(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  private async loadLastFacts() {
    if (!this.lastSuccess) {
      this.lastSuccess = new Map();
      for (const run of await this.options.store.loadProviderRuns()) {
        if (run.lastSuccessAt)
          this.lastSuccess.set(run.provider, run.lastSuccessAt);
      }
    }
    if (!this.lastFacts) {
      this.lastFacts = new Map();
      for (const stored of await this.options.store.loadFacts()) {
        let byEntity = this.lastFacts.get(stored.provider);
        if (!byEntity)
          this.lastFacts.set(stored.provider, (byEntity = new Map()));
        byEntity.set(stored.entityRef, stored);
      }
    }
    return this.lastFacts;
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

  private async runOnce(options: {
    entityRefs?: string[];
  }): Promise<CycleSummary> {
    const started = Date.now();
    const { store, logger } = this.options;
    const now = this.now();
    const collectedAt = now.toISOString();
    const only = options.entityRefs ? new Set(options.entityRefs) : undefined;
    const snapshot = only
      ? await this.snapshotWith(only)
      : await this.options.snapshot.get({ maxAgeMs: 0 });
    const entities = only
      ? snapshot.entities.filter(e => only.has(entityRefOf(e)))
      : snapshot.entities;
    const refs = entities.map(entityRefOf);
    const lastFacts = await this.loadLastFacts();

    const fresh = new Map<string, Map<string, Record<string, FactRecord>>>();
    const failures: Record<string, string> = {};
    // Problems with single entities' inputs, shown on those entities' reports.
    const problems = new Map<string, SourceProblem[]>();

    // Built-in: catalog facts never fail on their own (the snapshot did not).
    fresh.set(
      CATALOG_PROVIDER,
      new Map(
        entities.map((e, i) => [
          refs[i],
          collectCatalogFacts(e, snapshot, collectedAt),
        ]),
      ),
    );
    // On-call runs beside the fact providers, not before them.
    const onCallCollected = this.collectOnCall(
      entities,
      refs,
      snapshot,
      now,
    ).then(
      facts => {
        fresh.set(ON_CALL_PROVIDER, facts);
      },
      error => {
        failures[ON_CALL_PROVIDER] = String(error);
      },
    );
    await Promise.all([
      onCallCollected,
      ...this.options.factProviders.map(async provider => {
        try {
          const batch = await withTimeout(
            provider.collect({ entities }),
            this.options.providerTimeoutMs,
            `Fact provider ${provider.id}`,
          );
          const byEntity = new Map<string, Record<string, FactRecord>>();
          for (const [ref, values] of batch.facts) {
            byEntity.set(
              ref,
              Object.fromEntries(
                values.map(v => [
                  v.name,
                  {
                    value: v.value,
                    source: v.source,
                    collectedAt: v.collectedAt,
                    ...(v.evidence ? { evidence: v.evidence } : {}),
                  },
                ]),
              ),
            );
          }
          fresh.set(provider.id, byEntity);
          // Problems of single entities (a rule file that does not parse):
          // the others went on; say which and why.
          for (const [ref, message] of batch.errors ?? []) {
            const list = problems.get(ref) ?? [];
            list.push({ provider: provider.id, message });
            problems.set(ref, list);
          }
          if (batch.errors?.size) {
            const sample = [...batch.errors]
              .slice(0, 5)
              .map(([ref, why]) => `${ref}: ${why}`)
              .join('; ');
            logger.warn(
              `Fact provider ${provider.id}: ${batch.errors.size} entities had problems: ${sample}`,
              {
                provider: provider.id,
                entitiesWithProblems: batch.errors.size,
              },
            );
          }
        } catch (error) {
          failures[provider.id] =
            error instanceof Error ? error.message : String(error);
        }
      }),
    ]);

    const providerIds = [
      CATALOG_PROVIDER,
      ON_CALL_PROVIDER,
      ...this.options.factProviders.map(p => p.id),
    ];
    const factWrites: StoredFacts[] = [];
    const unknownFacts: Record<string, number> = {};
    const factsByEntity = new Map<string, Map<string, FactRecord>>();
    for (const ref of refs) factsByEntity.set(ref, new Map());

    for (const provider of providerIds) {
      const failed = failures[provider];
      const previous =
        lastFacts.get(provider) ?? new Map<string, StoredFacts>();
      let unknown = 0;
      for (const ref of refs) {
        const merged = factsByEntity.get(ref)!;
        if (!failed) {
          const facts = fresh.get(provider)?.get(ref) ?? {};
          for (const [name, record] of Object.entries(facts))
            merged.set(name, record);
          const hash = factsHash(facts);
          if (previous.get(ref)?.hash !== hash) {
            factWrites.push({ entityRef: ref, provider, facts, hash });
          }
        } else {
          // Keep the last good facts, marked stale with the reason, dated
          // by the provider's last success (stored values keep the time they
          // were first written, since unchanged values are not rewritten).
          const last = previous.get(ref);
          const since = this.lastSuccess!.get(provider)?.toISOString();
          for (const [name, record] of Object.entries(last?.facts ?? {})) {
            merged.set(name, {
              ...record,
              ...(since ? { collectedAt: since } : {}),
              staleReason: failed,
            });
            unknown++;
          }
        }
      }
      unknownFacts[provider] = unknown;
    }

    const exemptions = new Map<string, Exemption[]>();
    for (const exemption of await store.listExemptions()) {
      const list = exemptions.get(exemption.entityRef) ?? [];
      list.push(exemption);
      exemptions.set(exemption.entityRef, list);
    }

    const states = await store.loadReportStates(only ? refs : undefined);
    const reports: ReportRow[] = [];
    const historyPoints: CycleWrite['historyPoints'] = [];
    let reportsChanged = 0;
    entities.forEach((entity, i) => {
      const ref = refs[i];
      const evaluated = this.options.evaluate(
        entity,
        factsByEntity.get(ref)!,
        exemptions.get(ref) ?? [],
        now,
      );
      const entityProblems = problems.get(ref);
      const readiness: Readiness = entityProblems
        ? {
            ...evaluated,
            problems: entityProblems.sort((a, b) =>
              a.provider.localeCompare(b.provider),
            ),
          }
        : evaluated;
      const stored = storedReadiness(readiness);
      const owner = resolveOwnership(entity, snapshot.org);
      const spec = (entity.spec ?? {}) as Record<string, unknown>;
      const columns = {
        kind: entity.kind,
        name: entity.metadata.name,
        title: entity.metadata.title ?? null,
        type: typeof spec.type === 'string' ? spec.type : null,
        lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : null,
        systemRef: typeof spec.system === 'string' ? spec.system : null,
        ownerRef: owner.ref,
        ownerDeclared: owner.declared,
      };
      // Ages in messages (a stale fact's) grow every cycle: not a change.
      const hash = hashOf([withoutMessageAges(stored), columns]);
      const state = states.get(ref);
      const changed =
        !state ||
        state.score !== readiness.score ||
        state.level !== readiness.level;
      const newDay = state && utcDay(state.historyAt) !== utcDay(now);
      if (changed || newDay) {
        historyPoints.push({
          entityRef: ref,
          time: now,
          score: readiness.score,
          level: readiness.level,
        });
      }
      // Only new or changed reports are written; the others get the new
      // evaluation time in one statement.
      if (state && state.hash === hash && !changed && !newDay) return;
      reportsChanged++;
      reports.push({
        entityRef: ref,
        ...columns,
        score: readiness.score,
        level: readiness.level as Level,
        failedChecks: readiness.checks
          .filter(c => c.status === 'fail')
          .map(c => c.id),
        checkStatuses: Object.fromEntries(
          (['pass', 'fail', 'exempt', 'unknown'] as const)
            .map(status => [
              status,
              readiness.checks.filter(c => c.status === status).map(c => c.id),
            ])
            .filter(([, ids]) => ids.length > 0),
        ),
        readiness: stored,
        hash,
        evaluatedAt: now,
        historyAt: changed || newDay ? now : state!.historyAt,
      });
    });
    const current = new Set(refs);
    const removedEntityRefs = only
      ? []
      : [...states.keys()].filter(ref => !current.has(ref));

    await store.writeCycle({
      facts: factWrites,
      // A refresh of some entities says nothing of a provider's health for
      // the others: only full cycles record provider runs.
      providerRuns: (only ? [] : providerIds).map(provider => ({
        provider,
        lastAttemptAt: now,
        lastSuccessAt: failures[provider] ? null : now,
        lastError: failures[provider] ?? null,
      })),
      reports,
      historyPoints,
      removedEntityRefs,
      historyCutoff: new Date(now.getTime() - this.options.historyRetentionMs),
      evaluatedAt: now,
      ...(only ? { onlyEntityRefs: refs } : {}),
    });
    for (const provider of only ? [] : providerIds) {
      if (!failures[provider]) this.lastSuccess!.set(provider, now);
    }
    // Only what was written becomes the last good facts in memory.
    for (const stored of factWrites) {
      let byEntity = lastFacts.get(stored.provider);
      if (!byEntity) lastFacts.set(stored.provider, (byEntity = new Map()));
      byEntity.set(stored.entityRef, stored);
    }
    for (const byEntity of lastFacts.values()) {
      for (const ref of removedEntityRefs) byEntity.delete(ref);
    }

    const summary: CycleSummary = {
      scope: only ? 'entities' : 'all',
      entities: entities.length,
      durationMs: Date.now() - started,
      failures,
      unknownFacts,
      reportsChanged,
      historyPoints: historyPoints.length,
    };
    const failed = Object.entries(failures)
      .map(([id, why]) => `${id} (${why})`)
      .join(', ');
    if (!only) {
      // The task's lock timeout follows these (see plugin.ts).
      await store.recordCycleRun({
        startedAt: new Date(started),
        durationMs: summary.durationMs,
        entities: summary.entities,
      });
    }
    logger.info(
      `Readiness ${only ? 'refresh' : 'cycle'}: ${
        summary.entities
      } entities in ${summary.durationMs} ms, ${
        summary.reportsChanged
      } changed, ${summary.historyPoints} history points${
        failed ? `; failed providers: ${failed}` : ''
      }`,
      {
        entities: summary.entities,
        durationMs: summary.durationMs,
        failedProviders: Object.keys(failures).join(','),
      },
    );
    this.options.metrics?.recordCycle(summary);
    return summary;
  }

  /**
   * On-call facts for every entity: the on-call service's answers and
   * rotations (one call per provider, providers in parallel), a failed
   * provider's last good ones marked stale.
   */
  private async collectOnCall(
    entities: Entity[],
    refs: string[],
    snapshot: Snapshot,
    now: Date,
  ): Promise<Map<string, Record<string, FactRecord>>> {
    const { onCall, providerTimeoutMs } = this.options;
    const answers = await onCall.getOnCall({
      entities,
      at: now,
      waitMs: providerTimeoutMs,
    });
    // After the answers: a provider may read its rotations from what the
    // on-call lookup just read (PagerDuty's first-level schedules).
    const rotations = await onCall.getRotations({
      entities,
      waitMs: providerTimeoutMs,
    });
    const collectedAt = now.toISOString();
    const out = new Map<string, Record<string, FactRecord>>();
    entities.forEach((entity, i) => {
      const ref = refs[i];
      out.set(
        ref,
        onCallFactsOf(
          entity,
          snapshot,
          answers.get(ref) ?? null,
          rotations.get(ref),
          collectedAt,
        ),
      );
    });
    return out;
  }
}
