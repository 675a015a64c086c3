import type { Entity } from '@backstage/catalog-model';
import type { Level, Readiness } from '@opsready/plugin-operability-common';
import type { ReadinessChange } from '@opsready/plugin-operability-node';
import * as crypto from 'crypto';
import type {
  CycleWrite,
  ProviderRun,
  ReportState,
  ReportWrite,
  StoredFacts,
} from '../../database/OperabilityStore';
import type { OrgIndex } from '../../ownership/orgIndex';
import { resolveOwnership } from '../../ownership/orgIndex';
import { withoutAges } from '../evaluator/factTable';
import {
  encodeReadiness,
  type StoredCheck,
  type StoredReadinessV2,
} from '../storedReadiness';
import type { FactRecord } from '../types';
import { checkStatusIdsOf, readinessChange } from './changes';
import type { MergedFacts } from './mergeWithLastGood';
import type { LastGoodFacts } from './types';

/** SHA-256 of a string, hex; one call where Node has `crypto.hash`. */
function sha256(text: string): string {
  return typeof crypto.hash === 'function'
    ? crypto.hash('sha256', text)
    : crypto.createHash('sha256').update(text).digest('hex');
}

function hashOf(value: unknown): string {
  return sha256(JSON.stringify(value));
}

/** What facts say, without when: unchanged values are not written again. */
export function factsHash(facts: Record<string, FactRecord>): string {
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
 * The readiness as stored (see `storedReadiness.ts`): each check's status,
 * message and evidence; without the evaluation time (a column of its own)
 * and without what the rubric holds and the routes join back.
 */
export function storedReadiness(readiness: Readiness): StoredReadinessV2 {
  return encodeReadiness(readiness);
}

/** Whether a message may carry an age (`withoutAges`): most do not. */
function mayCarryAge(message: string): boolean {
  return (
    message.includes(' ago because ') ||
    message.includes(' older than the maximum of ')
  );
}

/**
 * The readiness as hashed: messages without the ages that grow every cycle
 * (the same object when no message has one).
 */
function withoutMessageAges(stored: StoredReadinessV2): StoredReadinessV2 {
  let checks: Record<string, StoredCheck> | undefined;
  for (const [id, entry] of Object.entries(stored.checks)) {
    const message = entry[1];
    if (message === undefined || !mayCarryAge(message)) continue;
    const plain = withoutAges(message);
    if (plain === message) continue;
    checks ??= { ...stored.checks };
    const copy = [...entry] as StoredCheck;
    copy[1] = plain;
    checks[id] = copy;
  }
  return checks ? { ...stored, checks } : stored;
}

const DAY_MS = 86_400_000;

/** The UTC day of an instant, as a number (days since the epoch). */
function utcDay(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

/**
 * Facts to store (pure): fresh facts whose values changed (or that end an
 * entity's stale mark), and kept facts of an entity whose own input just
 * started failing, marked with when they were last good.
 */
export function planFactWrites(
  merged: Pick<MergedFacts, 'fresh' | 'kept'>,
  lastGood: LastGoodFacts,
  /**
   * When given, each entity's fresh facts' hashes, per provider in the
   * order of `merged.fresh` (what `inputKeys` is made of).
   */
  hashes?: Map<string, string[]>,
): StoredFacts[] {
  const writes: StoredFacts[] = [];
  for (const { entityRef, provider, facts } of merged.fresh) {
    const last = lastGood.get(provider)?.get(entityRef);
    const hash = factsHash(facts);
    if (hashes) {
      const list = hashes.get(entityRef);
      if (list) list.push(`${provider}=${hash}`);
      else hashes.set(entityRef, [`${provider}=${hash}`]);
    }
    if (last?.hash !== hash || last?.staleSince) {
      writes.push({ entityRef, provider, facts, hash });
    }
  }
  for (const { entityRef, provider, since, entityProblem } of merged.kept) {
    // A provider's failure is dated by its run (operability_provider_runs).
    if (!entityProblem || !since) continue;
    const last = lastGood.get(provider)?.get(entityRef);
    if (last?.facts && last.staleSince !== since) {
      writes.push({ ...last, facts: last.facts, staleSince: since });
    }
  }
  return writes;
}

/**
 * Each provider's run (pure): when it was tried, and when it last succeeded
 * — now, or, for one that failed, its previous success, kept.
 */
export function planProviderRuns(
  providerIds: readonly string[],
  failures: Readonly<Record<string, string>>,
  lastSuccess: ReadonlyMap<string, Date>,
  now: Date,
): ProviderRun[] {
  return providerIds.map(provider => ({
    provider,
    lastAttemptAt: now,
    lastSuccessAt: failures[provider] ? lastSuccess.get(provider) ?? null : now,
    lastError: failures[provider] ?? null,
  }));
}

/** What an entity's stored report was made of, and its hash (see `planReports`). */
export interface ReportMemo {
  key: string;
  hash: string;
}

export interface ReportsInput {
  entities: readonly Entity[];
  refs: readonly string[];
  readiness: readonly Readiness[];
  org: OrgIndex;
  /** The stored reports' states, of these entities at least. */
  states: ReadonlyMap<string, ReportState>;
  now: Date;
  /**
   * Per entity, in the order of `entities`, what its evaluation was made of
   * when that can be said in a few bytes (see `ReadinessCycle`: its facts'
   * hashes from every provider, its exemptions, its catalog etag), or
   * `undefined`.
   */
  inputKeys?: readonly (string | undefined)[];
  /** Per entity ref, the memo of its report as last written or confirmed. */
  previous?: ReadonlyMap<string, ReportMemo>;
}

export interface ReportsPlan {
  /** New or changed reports; the others only get the new evaluation time. */
  reports: ReportWrite[];
  historyPoints: CycleWrite['historyPoints'];
  /** Entities whose score, level or check statuses changed. */
  changes: ReadinessChange[];
  /** Per entity ref with an input key, its report's memo for the next cycle. */
  memos: Map<string, ReportMemo>;
}

/**
 * An entity's memo key: its inputs, its report's columns and what in its
 * readiness depends on the time rather than on the inputs (announced
 * checks, stale marks, exemptions).
 */
function memoKey(
  inputKey: string,
  columnsJson: string,
  readiness: Readiness,
): string {
  let marks = '';
  for (const c of readiness.checks) {
    if (!c.upcoming && !c.stale && !c.exemption) continue;
    marks += `${c.id} ${c.upcoming ? 'upcoming' : ''} ${
      c.stale ? JSON.stringify(c.stale) : ''
    } ${c.exemption ? JSON.stringify(c.exemption) : ''};`;
  }
  if (readiness.problems?.length) marks += JSON.stringify(readiness.problems);
  return sha256(`${inputKey}\n${columnsJson}\n${marks}`);
}

/**
 * Reports, history points and changes (pure). A report is written when it is
 * new, or its readiness (less the ages in messages, which grow every cycle)
 * or list columns changed; a history point when the score or level changed,
 * or on the first cycle of a UTC day.
 *
 * A report is neither serialised nor hashed again when its entity's memo key
 * (`inputKeys`, the columns, the time-dependent marks) is the one its stored
 * hash was made from (`previous`), its stored hash is still that one, and its
 * score, level and check statuses did not change: the same inputs evaluate
 * to the same report. (A check whose message changes with the time alone,
 * its status and facts the same, is rewritten with its next change.)
 */
export function planReports({
  entities,
  refs,
  readiness: evaluated,
  org,
  states,
  now,
  inputKeys,
  previous,
}: ReportsInput): ReportsPlan {
  const reports: ReportWrite[] = [];
  const historyPoints: CycleWrite['historyPoints'] = [];
  const changes: ReadinessChange[] = [];
  const memos = new Map<string, ReportMemo>();
  const today = utcDay(now);
  entities.forEach((entity, i) => {
    const ref = refs[i];
    const readiness = evaluated[i];
    const state = states.get(ref);
    const change = readinessChange(ref, state, readiness);
    if (change) changes.push(change);
    const scoreOrLevelChanged =
      !state ||
      state.score !== readiness.score ||
      state.level !== readiness.level;
    const newDay = state && utcDay(state.historyAt) !== today;
    if (scoreOrLevelChanged || newDay) {
      historyPoints.push({
        entityRef: ref,
        time: now,
        score: readiness.score,
        level: readiness.level,
      });
    }
    const owner = resolveOwnership(entity, org);
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
    const columnsJson = JSON.stringify(columns);
    const inputKey = inputKeys?.[i];
    const key =
      inputKey === undefined
        ? undefined
        : memoKey(inputKey, columnsJson, readiness);
    const memo = key === undefined ? undefined : previous?.get(ref);
    if (
      memo !== undefined &&
      memo.key === key &&
      state?.hash === memo.hash &&
      state.checkStatuses &&
      !change &&
      !newDay
    ) {
      memos.set(ref, memo);
      return;
    }
    const stored = storedReadiness(readiness);
    // Serialised once: hashed, and written as it is when it changed.
    const json = JSON.stringify(stored);
    // Ages in messages (a stale fact's) grow every cycle: not a change.
    const withoutAgesStored = mayCarryAge(json)
      ? withoutMessageAges(stored)
      : stored;
    const hash = sha256(
      `${
        withoutAgesStored === stored ? json : JSON.stringify(withoutAgesStored)
      }\n${columnsJson}`,
    );
    if (key !== undefined) memos.set(ref, { key, hash });
    if (
      state &&
      state.hash === hash &&
      state.checkStatuses &&
      !scoreOrLevelChanged &&
      !newDay
    ) {
      return;
    }
    reports.push({
      entityRef: ref,
      ...columns,
      score: readiness.score,
      level: readiness.level as Level,
      // Checks announced for later do not count yet: not in the lists'
      // "failing" filter nor in the teams' most failed checks.
      failedChecks: readiness.checks
        .filter(c => c.status === 'fail' && !c.upcoming)
        .map(c => c.id),
      checkStatuses: checkStatusIdsOf(readiness),
      readiness: json,
      hash,
      evaluatedAt: now,
      historyAt: scoreOrLevelChanged || newDay ? now : state!.historyAt,
    });
  });
  return { reports, historyPoints, changes, memos };
}

export interface PlanInput extends ReportsInput {
  merged: MergedFacts;
  lastGood: LastGoodFacts;
  /** When each provider last collected successfully, before this cycle. */
  lastSuccess: ReadonlyMap<string, Date>;
  /** Every provider of the cycle: catalog, on-call, the fact providers. */
  providerIds: readonly string[];
  /** Set on a refresh of these entities only (`refs`). */
  only: boolean;
  historyRetentionMs: number;
}

export interface CyclePlan {
  write: CycleWrite;
  changes: ReadinessChange[];
}

/**
 * The plan-writes step (pure): everything the cycle writes, in one
 * `CycleWrite`, and what changed. A refresh of some entities records no
 * provider runs (it says nothing of a provider's health for the others) and
 * removes no entity; a full cycle removes the reports of entities gone from
 * the catalog.
 */
export function planWrites(input: PlanInput): CyclePlan {
  return planCycleWrite(input, planReports(input));
}

/**
 * `planWrites` with the reports planned already (by `planReports`, a batch
 * of entities at a time, so that a cycle never holds every entity's
 * evaluation at once).
 */
export function planCycleWrite(
  input: Omit<PlanInput, 'entities' | 'readiness' | 'org'>,
  { reports, historyPoints, changes }: ReportsPlan,
): CyclePlan {
  return {
    write: {
      ...planCycleFrame({ ...input, failures: input.merged.failures }),
      facts: planFactWrites(input.merged, input.lastGood),
      reports,
      historyPoints,
    },
    changes,
  };
}

/**
 * What a cycle writes besides its entities' rows (pure): provider runs (none
 * on a refresh of some entities), the entities gone from the catalog (none on
 * a refresh), the history cutoff and the evaluation time.
 */
export function planCycleFrame(input: {
  refs: readonly string[];
  states: ReadonlyMap<string, ReportState>;
  now: Date;
  failures: Readonly<Record<string, string>>;
  lastSuccess: ReadonlyMap<string, Date>;
  providerIds: readonly string[];
  only: boolean;
  historyRetentionMs: number;
}): Omit<CycleWrite, 'facts' | 'reports' | 'historyPoints' | 'batches'> {
  const { now, only, refs, states } = input;
  const current = new Set(refs);
  return {
    providerRuns: only
      ? []
      : planProviderRuns(
          input.providerIds,
          input.failures,
          input.lastSuccess,
          now,
        ),
    removedEntityRefs: only
      ? []
      : [...states.keys()].filter(ref => !current.has(ref)),
    historyCutoff: new Date(now.getTime() - input.historyRetentionMs),
    evaluatedAt: now,
    ...(only ? { onlyEntityRefs: [...refs] } : {}),
  };
}
