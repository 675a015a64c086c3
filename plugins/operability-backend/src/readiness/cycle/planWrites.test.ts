import type { Entity } from '@backstage/catalog-model';
import type {
  CheckResult,
  CheckStatus,
  Readiness,
} from '@opsready/plugin-operability-common';
import type { ReportState, StoredFacts } from '../../database/OperabilityStore';
import { buildOrgIndex } from '../../ownership/orgIndex';
import type { MergedFacts } from './mergeWithLastGood';
import {
  factsHash,
  planFactWrites,
  planProviderRuns,
  planReports,
  planWrites,
  storedReadiness,
} from './planWrites';

const A = 'component:default/a';
const B = 'component:default/b';
const NOW = new Date('2026-03-02T10:05:00Z');
const BEFORE = new Date('2026-03-02T10:00:00Z');

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', title: name.toUpperCase() },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
});

const check = (id: string, status: CheckStatus): CheckResult => ({
  id,
  title: id,
  category: 'a',
  level: 'bronze',
  weight: 1,
  status,
  message: `${id} is ${status}`,
  evidence: [],
});

const readiness = (score: number, checks: CheckResult[]): Readiness => ({
  score,
  level: score >= 50 ? 'bronze' : 'none',
  evaluatedAt: NOW.toISOString(),
  checks,
});

const facts = { 'm.v': { value: 1, source: 's', collectedAt: 'x' } };

function lastGoodOf(...rows: StoredFacts[]) {
  const out = new Map<string, Map<string, StoredFacts>>();
  for (const row of rows) {
    const byEntity = out.get(row.provider) ?? new Map();
    byEntity.set(row.entityRef, row);
    out.set(row.provider, byEntity);
  }
  return out;
}

describe('planFactWrites', () => {
  it('writes fresh facts whose values changed, and ends a stale mark', () => {
    const unchanged = {
      ...facts,
      'm.v': { ...facts['m.v'], collectedAt: 'y' },
    };
    const writes = planFactWrites(
      {
        fresh: [
          { entityRef: A, provider: 'm', facts },
          { entityRef: B, provider: 'm', facts: unchanged },
          { entityRef: A, provider: 'rules', facts },
        ],
        kept: [],
      },
      lastGoodOf(
        // Same values, another collection time: not written again.
        { entityRef: B, provider: 'm', facts, hash: factsHash(facts) },
        {
          entityRef: A,
          provider: 'rules',
          facts,
          hash: factsHash(facts),
          staleSince: BEFORE.toISOString(),
        },
      ),
    );
    expect(writes).toEqual([
      { entityRef: A, provider: 'm', facts, hash: factsHash(facts) },
      { entityRef: A, provider: 'rules', facts, hash: factsHash(facts) },
    ]);
  });

  it("marks kept facts with when they were last good once, when an entity's own input starts failing", () => {
    const last: StoredFacts = {
      entityRef: A,
      provider: 'rules',
      facts,
      hash: 'h',
    };
    const kept = [
      {
        entityRef: A,
        provider: 'rules',
        since: BEFORE.toISOString(),
        entityProblem: true,
      },
    ];
    expect(planFactWrites({ fresh: [], kept }, lastGoodOf(last))).toEqual([
      { ...last, staleSince: BEFORE.toISOString() },
    ]);
    expect(
      planFactWrites(
        { fresh: [], kept },
        lastGoodOf({ ...last, staleSince: BEFORE.toISOString() }),
      ),
    ).toEqual([]);
    // A provider's failure is dated by its run, not per entity.
    expect(
      planFactWrites(
        { fresh: [], kept: [{ ...kept[0], entityProblem: false }] },
        lastGoodOf(last),
      ),
    ).toEqual([]);
  });
});

describe('planFactWrites with hashes', () => {
  it("collects each entity's fresh facts' hashes, by provider", () => {
    const hashes = new Map<string, string[]>();
    planFactWrites(
      {
        fresh: [
          { entityRef: A, provider: 'm', facts },
          { entityRef: A, provider: 'rules', facts: {} },
        ],
        kept: [],
      },
      lastGoodOf(),
      hashes,
    );
    expect(hashes).toEqual(
      new Map([[A, [`m=${factsHash(facts)}`, `rules=${factsHash({})}`]]]),
    );
  });
});

describe('planProviderRuns', () => {
  it('keeps the last success of a provider that failed', () => {
    expect(
      planProviderRuns(
        ['catalog', 'metrics', 'new'],
        { metrics: 'down', new: 'down too' },
        new Map([
          ['catalog', BEFORE],
          ['metrics', BEFORE],
        ]),
        NOW,
      ),
    ).toEqual([
      {
        provider: 'catalog',
        lastAttemptAt: NOW,
        lastSuccessAt: NOW,
        lastError: null,
      },
      {
        provider: 'metrics',
        lastAttemptAt: NOW,
        lastSuccessAt: BEFORE,
        lastError: 'down',
      },
      {
        provider: 'new',
        lastAttemptAt: NOW,
        lastSuccessAt: null,
        lastError: 'down too',
      },
    ]);
  });
});

describe('planReports', () => {
  const org = buildOrgIndex([], []);
  const entities = [component('a'), component('b')];
  const refs = [A, B];

  function storedState(r: Readiness, at = BEFORE): ReportState {
    const plan = planReports({
      entities: [component('a')],
      refs: [A],
      readiness: [r],
      org,
      states: new Map(),
      now: at,
    });
    const row = plan.reports[0];
    return {
      score: row.score,
      level: row.level,
      hash: row.hash,
      historyAt: row.historyAt,
      checkStatuses: row.checkStatuses,
    };
  }

  it('writes new reports with their statuses and a history point, as changes with no before', () => {
    const r = readiness(50, [check('a.x', 'pass'), check('a.y', 'fail')]);
    const plan = planReports({
      entities,
      refs,
      readiness: [r, r],
      org,
      states: new Map(),
      now: NOW,
    });
    expect(plan.reports[0]).toMatchObject({
      entityRef: A,
      kind: 'Component',
      name: 'a',
      title: 'A',
      score: 50,
      level: 'bronze',
      failedChecks: ['a.y'],
      checkStatuses: { pass: ['a.x'], fail: ['a.y'] },
      readiness: JSON.stringify(storedReadiness(r)),
      evaluatedAt: NOW,
      historyAt: NOW,
    });
    expect(plan.historyPoints).toEqual([
      { entityRef: A, time: NOW, score: 50, level: 'bronze' },
      { entityRef: B, time: NOW, score: 50, level: 'bronze' },
    ]);
    expect(plan.changes.map(c => [c.entityRef, c.before])).toEqual([
      [A, null],
      [B, null],
    ]);
  });

  it('writes nothing for a report that did not change, not even when a stale age grew', () => {
    const before = readiness(50, [
      {
        ...check('a.x', 'pass'),
        message: 'up (m.v is from 5m ago because down)',
      },
    ]);
    const after = readiness(50, [
      {
        ...check('a.x', 'pass'),
        message: 'up (m.v is from 10m ago because down)',
      },
    ]);
    const plan = planReports({
      entities: [component('a')],
      refs: [A],
      readiness: [after],
      org,
      states: new Map([[A, storedState(before)]]),
      now: NOW,
    });
    expect(plan).toEqual({
      reports: [],
      historyPoints: [],
      changes: [],
      memos: new Map(),
    });
  });

  describe('with input keys', () => {
    const r = readiness(50, [check('a.x', 'pass')]);
    const first = (key = 'facts-1') =>
      planReports({
        entities: [component('a')],
        refs: [A],
        readiness: [r],
        org,
        states: new Map(),
        now: BEFORE,
        inputKeys: [key],
      });
    const stateOf = (plan: ReturnType<typeof planReports>): ReportState => ({
      score: plan.reports[0].score,
      level: plan.reports[0].level,
      hash: plan.reports[0].hash,
      historyAt: plan.reports[0].historyAt,
      checkStatuses: plan.reports[0].checkStatuses,
    });

    it('remembers what each report was made of, and confirms an unchanged one from its memo', () => {
      const cold = first();
      const memo = cold.memos.get(A)!;
      expect(memo.hash).toBe(cold.reports[0].hash);
      // Same inputs, a message that would differ: not looked at (the memo
      // says what the stored report was made of).
      const sameInputs = readiness(50, [
        { ...check('a.x', 'pass'), message: 'another message' },
      ]);
      const warm = planReports({
        entities: [component('a')],
        refs: [A],
        readiness: [sameInputs],
        org,
        states: new Map([[A, stateOf(cold)]]),
        now: NOW,
        inputKeys: ['facts-1'],
        previous: cold.memos,
      });
      expect(warm.reports).toEqual([]);
      expect(warm.memos.get(A)).toBe(memo);
    });

    it('serialises and hashes again when the inputs, the stored hash, the statuses or the day changed', () => {
      const cold = first();
      const state = stateOf(cold);
      const renamed = readiness(50, [
        { ...check('a.x', 'pass'), message: 'another message' },
      ]);
      const plan = (
        over: Partial<Parameters<typeof planReports>[0]>,
        rr: Readiness = renamed,
      ) =>
        planReports({
          entities: [component('a')],
          refs: [A],
          readiness: [rr],
          org,
          states: new Map([[A, state]]),
          now: NOW,
          inputKeys: ['facts-1'],
          previous: cold.memos,
          ...over,
        });
      // Other facts: the new message is written.
      expect(plan({ inputKeys: ['facts-2'] }).reports).toHaveLength(1);
      // No key (a provider failed): as without memos.
      expect(plan({ inputKeys: [undefined] }).reports).toHaveLength(1);
      expect(plan({ inputKeys: [undefined] }).memos.size).toBe(0);
      // The stored row is not the one the memo knows (written elsewhere).
      expect(
        plan({ states: new Map([[A, { ...state, hash: 'other' }]]) }).reports,
      ).toHaveLength(1);
      // A status changed.
      expect(
        plan({}, readiness(50, [check('a.x', 'fail')])).reports,
      ).toHaveLength(1);
      // A check announced for later, or kept stale, is part of the key.
      expect(
        plan({}, readiness(50, [{ ...check('a.x', 'pass'), upcoming: true }]))
          .reports,
      ).toHaveLength(1);
      // Another column (the title).
      const retitled = component('a');
      retitled.metadata.title = 'Other';
      expect(plan({ entities: [retitled] }).reports).toHaveLength(1);
      // A new UTC day: a history point, and the report rewritten.
      const nextDay = plan({ now: new Date('2026-03-03T00:01:00Z') });
      expect(nextDay.historyPoints).toHaveLength(1);
      expect(nextDay.reports).toHaveLength(1);
    });
  });

  it('writes a changed report with a history point and its change; a new day gets a point too', () => {
    const state = storedState(readiness(50, [check('a.x', 'pass')]));
    const changed = planReports({
      entities: [component('a')],
      refs: [A],
      readiness: [readiness(0, [check('a.x', 'fail')])],
      org,
      states: new Map([[A, state]]),
      now: NOW,
    });
    expect(changed.reports).toHaveLength(1);
    expect(changed.historyPoints).toHaveLength(1);
    expect(changed.changes).toEqual([
      {
        entityRef: A,
        before: { score: 50, level: 'bronze' },
        after: { score: 0, level: 'none' },
        regressed: ['a.x'],
        recovered: [],
        stale: false,
      },
    ]);
    const nextDay = planReports({
      entities: [component('a')],
      refs: [A],
      readiness: [readiness(50, [check('a.x', 'pass')])],
      org,
      states: new Map([[A, state]]),
      now: new Date('2026-03-03T00:01:00Z'),
    });
    expect(nextDay.historyPoints).toHaveLength(1);
    expect(nextDay.reports[0].historyAt).toEqual(
      new Date('2026-03-03T00:01:00Z'),
    );
    expect(nextDay.changes).toEqual([]);
  });

  it('rewrites a report stored without statuses, so that the next cycle has them', () => {
    const r = readiness(50, [check('a.x', 'pass')]);
    const { checkStatuses: _, ...state } = storedState(r);
    const plan = planReports({
      entities: [component('a')],
      refs: [A],
      readiness: [r],
      org,
      states: new Map([[A, state]]),
      now: NOW,
    });
    expect(plan.reports[0].checkStatuses).toEqual({ pass: ['a.x'] });
    expect(plan.changes).toEqual([]);
    expect(plan.historyPoints).toEqual([]);
  });
});

describe('planWrites', () => {
  const org = buildOrgIndex([], []);
  const merged: MergedFacts = {
    facts: new Map(),
    fresh: [{ entityRef: A, provider: 'm', facts }],
    kept: [],
    problems: new Map(),
    failures: { metrics: 'down' },
    unknownFacts: {},
  };
  const input = {
    entities: [component('a')],
    refs: [A],
    readiness: [readiness(50, [])],
    org,
    states: new Map<string, ReportState>([
      [
        'component:default/gone',
        { score: 1, level: 'none' as const, hash: 'h', historyAt: BEFORE },
      ],
    ]),
    now: NOW,
    merged,
    lastGood: new Map(),
    lastSuccess: new Map([['metrics', BEFORE]]),
    providerIds: ['catalog', 'metrics'],
    historyRetentionMs: 86_400_000,
  };

  it('plans a full cycle: provider runs, gone entities removed, every report dated', () => {
    const { write } = planWrites({ ...input, only: false });
    expect(write.facts).toHaveLength(1);
    expect(write.providerRuns.map(r => [r.provider, r.lastSuccessAt])).toEqual([
      ['catalog', NOW],
      ['metrics', BEFORE],
    ]);
    expect(write.removedEntityRefs).toEqual(['component:default/gone']);
    expect(write.historyCutoff).toEqual(new Date('2026-03-01T10:05:00Z'));
    expect(write.evaluatedAt).toEqual(NOW);
    expect(write.onlyEntityRefs).toBeUndefined();
  });

  it('plans a refresh of some entities: no provider runs, nothing removed, only they dated', () => {
    const { write, changes } = planWrites({ ...input, only: true });
    expect(write.providerRuns).toEqual([]);
    expect(write.removedEntityRefs).toEqual([]);
    expect(write.onlyEntityRefs).toEqual([A]);
    expect(changes.map(c => c.entityRef)).toEqual([A]);
  });
});
