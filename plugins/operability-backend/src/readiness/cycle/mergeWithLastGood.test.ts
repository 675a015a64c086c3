import type { StoredFacts } from '../../database/OperabilityStore';
import type { FactRecord } from '../types';
import { mergeWithLastGood } from './mergeWithLastGood';
import type { ProviderOutcome } from './types';

const A = 'component:default/a';
const B = 'component:default/b';
const GOOD = new Date('2026-03-02T10:00:00Z');

const record = (value: unknown, collectedAt = '2026-03-02T10:05:00Z') => ({
  value,
  source: 'test',
  collectedAt,
});

function outcome(
  facts: Record<string, Record<string, FactRecord>>,
  more: Partial<ProviderOutcome> = {},
): ProviderOutcome {
  return {
    facts: new Map(Object.entries(facts)),
    errors: new Map(),
    ...more,
  };
}

function stored(
  provider: string,
  entityRef: string,
  facts: Record<string, FactRecord>,
  staleSince?: string,
): StoredFacts {
  return {
    entityRef,
    provider,
    facts,
    hash: 'h',
    ...(staleSince ? { staleSince } : {}),
  };
}

function lastGoodOf(...rows: StoredFacts[]) {
  const out = new Map<string, Map<string, StoredFacts>>();
  for (const row of rows) {
    const byEntity = out.get(row.provider) ?? new Map();
    byEntity.set(row.entityRef, row);
    out.set(row.provider, byEntity);
  }
  return out;
}

describe('mergeWithLastGood', () => {
  it("takes a provider's fresh facts, and leaves absent what it did not give", () => {
    const merged = mergeWithLastGood({
      refs: [A, B],
      outcomes: new Map([['metrics', outcome({ [A]: { 'm.v': record(1) } })]]),
      lastGood: lastGoodOf(stored('metrics', B, { 'm.v': record(9) })),
      lastSuccess: new Map([['metrics', GOOD]]),
    });
    expect(merged.facts.get(A)!.get('m.v')).toEqual(record(1));
    // B's stored facts are not used: the provider answered, without them.
    expect(merged.facts.get(B)!.size).toBe(0);
    expect(merged.fresh).toEqual([
      { entityRef: A, provider: 'metrics', facts: { 'm.v': record(1) } },
      { entityRef: B, provider: 'metrics', facts: {} },
    ]);
    expect(merged.kept).toEqual([]);
    expect(merged.failures).toEqual({});
    expect(merged.unknownFacts).toEqual({ metrics: 0 });
  });

  it("keeps a failed provider's last good facts, stale since its last success, with the reason", () => {
    const merged = mergeWithLastGood({
      refs: [A, B],
      outcomes: new Map([
        ['metrics', outcome({}, { failure: 'Prometheus: connection refused' })],
      ]),
      lastGood: lastGoodOf(
        stored('metrics', A, { 'm.v': record(7, '2026-03-01T00:00:00Z') }),
      ),
      lastSuccess: new Map([['metrics', GOOD]]),
    });
    expect(merged.facts.get(A)!.get('m.v')).toEqual({
      ...record(7),
      collectedAt: GOOD.toISOString(),
      staleReason: 'Prometheus: connection refused',
    });
    // Never delivered: nothing to keep.
    expect(merged.facts.get(B)!.size).toBe(0);
    expect(merged.fresh).toEqual([]);
    expect(merged.kept).toEqual([
      {
        entityRef: A,
        provider: 'metrics',
        since: GOOD.toISOString(),
        entityProblem: false,
      },
    ]);
    expect(merged.failures).toEqual({
      metrics: 'Prometheus: connection refused',
    });
    expect(merged.unknownFacts).toEqual({ metrics: 1 });
  });

  it("falls back on what a failed provider still gives for an entity without stored facts (the catalog's last snapshot)", () => {
    const merged = mergeWithLastGood({
      refs: [A, B],
      outcomes: new Map([
        [
          'catalog',
          outcome(
            {
              [A]: { 'c.d': record('from snapshot', '2026-03-02T09:00:00Z') },
              [B]: { 'c.d': record('from snapshot', '2026-03-02T09:00:00Z') },
            },
            { failure: 'Catalog read failed: 503' },
          ),
        ],
      ]),
      lastGood: lastGoodOf(stored('catalog', A, { 'c.d': record('stored') })),
      lastSuccess: new Map(),
    });
    expect(merged.facts.get(A)!.get('c.d')).toMatchObject({
      value: 'stored',
      staleReason: 'Catalog read failed: 503',
    });
    expect(merged.facts.get(B)!.get('c.d')).toEqual({
      ...record('from snapshot', '2026-03-02T09:00:00Z'),
      staleReason: 'Catalog read failed: 503',
    });
  });

  it("keeps an entity's last good facts when its own input fails, and says so in its problems", () => {
    const merged = mergeWithLastGood({
      refs: [A, B],
      outcomes: new Map([
        [
          'rules',
          outcome(
            { [B]: { 'r.rules': record(['B']) } },
            { errors: new Map([[A, 'rules/a.yaml cannot be read: HTTP 503']]) },
          ),
        ],
        [
          'alertmanager',
          outcome(
            {
              [A]: { 'am.other': record('fresh'), 'am.new': record('fresh') },
              [B]: { 'am.routes': record('b') },
            },
            { errors: new Map([[A, 'rules/a.yaml cannot be read: HTTP 503']]) },
          ),
        ],
      ]),
      lastGood: lastGoodOf(
        stored('rules', A, { 'r.rules': record(['A']) }),
        stored(
          'alertmanager',
          A,
          { 'am.routes': record('a'), 'am.other': record('old') },
          '2026-03-01T00:00:00.000Z',
        ),
      ),
      lastSuccess: new Map([
        ['rules', GOOD],
        ['alertmanager', GOOD],
      ]),
    });
    const a = merged.facts.get(A)!;
    // Newly failing: stale since the provider's last success.
    expect(a.get('r.rules')).toMatchObject({
      value: ['A'],
      collectedAt: GOOD.toISOString(),
      staleReason: 'rules/a.yaml cannot be read: HTTP 503',
    });
    // Failing since before: stale since it was last good. What the
    // provider still gave for it does not replace kept facts; it fills in
    // facts never collected.
    expect(a.get('am.routes')).toMatchObject({
      value: 'a',
      collectedAt: '2026-03-01T00:00:00.000Z',
    });
    expect(a.get('am.other')).toMatchObject({
      value: 'old',
      staleReason: 'rules/a.yaml cannot be read: HTTP 503',
    });
    expect(a.get('am.new')).toEqual(record('fresh'));
    expect(merged.facts.get(B)!.get('r.rules')).toEqual(record(['B']));
    expect(merged.kept).toEqual([
      {
        entityRef: A,
        provider: 'rules',
        since: GOOD.toISOString(),
        entityProblem: true,
      },
      {
        entityRef: A,
        provider: 'alertmanager',
        since: '2026-03-01T00:00:00.000Z',
        entityProblem: true,
      },
    ]);
    expect(merged.fresh.map(f => [f.provider, f.entityRef])).toEqual([
      ['rules', B],
      ['alertmanager', B],
    ]);
    // The problem shows on the entity, by provider; it is not a failure.
    expect(merged.problems.get(A)).toEqual([
      {
        provider: 'alertmanager',
        message: 'rules/a.yaml cannot be read: HTTP 503',
      },
      { provider: 'rules', message: 'rules/a.yaml cannot be read: HTTP 503' },
    ]);
    expect(merged.problems.has(B)).toBe(false);
    expect(merged.failures).toEqual({});
  });

  it("dates kept facts of a failed provider by the entity's own stale mark when its input failed first", () => {
    const merged = mergeWithLastGood({
      refs: [A],
      outcomes: new Map([['rules', outcome({}, { failure: 'down' })]]),
      lastGood: lastGoodOf(
        stored(
          'rules',
          A,
          { 'r.rules': record([]) },
          '2026-03-01T00:00:00.000Z',
        ),
      ),
      lastSuccess: new Map([['rules', GOOD]]),
    });
    expect(merged.facts.get(A)!.get('r.rules')).toMatchObject({
      collectedAt: '2026-03-01T00:00:00.000Z',
      staleReason: 'down',
    });
  });
});
