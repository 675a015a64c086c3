import type { Exemption } from '@opsready/plugin-operability-common';
import { INSTRUMENTATION_FACTS } from '@opsready/plugin-operability-node';
import type {
  CheckDefinition,
  CheckFilter,
  FactRecord,
  Rubric,
} from '../types';
import { defaultRubric } from '../rubric/defaultRubric';
import { BUILTIN_EVALUATORS, BUILTIN_EVALUATOR_LIST } from '../checks';
import { compileRubric, evaluate } from './evaluate';
import {
  DAY,
  HOUR,
  NOW,
  component,
  fact,
  factsOf,
  passingValues,
  without,
} from './__testUtils__/facts';

/** A declarative check that passes when fact `<id>` is true. */
function check(
  id: string,
  level: CheckDefinition['level'],
  weight: number,
  filter?: CheckFilter,
): CheckDefinition {
  return {
    id,
    title: id,
    category: id.split('.')[0],
    level,
    weight,
    filter,
    description: `why ${id}`,
    remediation: `fix ${id}`,
    condition: { fact: id, operator: 'equal', value: true },
  };
}

// Weights: bronze 1 + 1, silver 2 + 2, gold 3 → 9 in all.
const SMALL: Rubric = {
  maxFactAgeMs: DAY,
  checks: [
    check('t.b1', 'bronze', 1),
    check('t.b2', 'bronze', 1),
    check('t.s1', 'silver', 2),
    check('t.s2', 'silver', 2),
    check('t.g1', 'gold', 3),
  ],
};
const small = compileRubric(SMALL);

const ALL_TRUE = {
  't.b1': true,
  't.b2': true,
  't.s1': true,
  't.s2': true,
  't.g1': true,
};

function run(
  values: Record<string, unknown> | Map<string, FactRecord>,
  options: {
    exemptions?: Exemption[];
    rubric?: Rubric;
    entity?: ReturnType<typeof component>;
  } = {},
) {
  return evaluate(
    options.entity ?? component(),
    values instanceof Map ? values : factsOf(values),
    options.rubric ? compileRubric(options.rubric) : small,
    options.exemptions ?? [],
    NOW,
  );
}

const statuses = (r: ReturnType<typeof run>) =>
  Object.fromEntries(r.checks.map(c => [c.id, c.status]));

function exemption(
  checkId: string,
  expiresAt: string,
  entityRef = 'component:default/payments-api',
): Exemption {
  return {
    id: `ex-${checkId}`,
    entityRef,
    checkId,
    reason: 'migrating to the new cluster',
    author: 'user:default/alice',
    expiresAt,
  };
}

describe('evaluate', () => {
  describe('score and level', () => {
    it('all pass: 100, gold', () => {
      const r = run(ALL_TRUE);
      expect([r.score, r.level]).toEqual([100, 'gold']);
      expect(r.evaluatedAt).toBe(NOW.toISOString());
    });

    it('a failing gold check: silver, 6/9 → 67', () => {
      const r = run({ ...ALL_TRUE, 't.g1': false });
      expect([r.score, r.level]).toEqual([67, 'silver']);
    });

    it('an unknown bronze check: level none, and unknown counts in the denominator (8/9 → 89)', () => {
      const r = run(without(factsOf(ALL_TRUE), 't.b1'));
      expect(statuses(r)['t.b1']).toBe('unknown');
      expect([r.score, r.level]).toEqual([89, 'none']);
    });

    it('a failing silver check with gold passing: bronze, 7/9 → 78', () => {
      const r = run({ ...ALL_TRUE, 't.s1': false });
      expect([r.score, r.level]).toEqual([78, 'bronze']);
    });

    it('everything failing: 0, none', () => {
      const r = run({
        't.b1': false,
        't.b2': false,
        't.s1': false,
        't.s2': false,
        't.g1': false,
      });
      expect([r.score, r.level]).toEqual([0, 'none']);
    });

    it('an exempt check leaves both sums: s1 exempt, g1 fails → (1+1+2)/(1+1+2+3) = 4/7 → 57, silver', () => {
      const r = run(
        { ...ALL_TRUE, 't.s1': false, 't.g1': false },
        { exemptions: [exemption('t.s1', '2026-04-01T00:00:00Z')] },
      );
      expect(statuses(r)).toEqual({
        't.b1': 'pass',
        't.b2': 'pass',
        't.s1': 'exempt',
        't.s2': 'pass',
        't.g1': 'fail',
      });
      expect([r.score, r.level]).toEqual([57, 'silver']);
    });

    it('not-applicable checks leave both sums and every level: g1 not applicable, s2 fails → 4/6 → 67, bronze', () => {
      const rubric: Rubric = {
        ...SMALL,
        checks: [
          ...SMALL.checks.slice(0, 4),
          check('t.g1', 'gold', 3, { kind: ['API'] }),
        ],
      };
      const r = run({ ...ALL_TRUE, 't.s2': false }, { rubric });
      expect(statuses(r)['t.g1']).toBe('not-applicable');
      expect([r.score, r.level]).toEqual([67, 'bronze']);
    });

    it('a level without applicable checks is reached when the level below is', () => {
      const rubric: Rubric = {
        maxFactAgeMs: DAY,
        checks: [
          check('t.b1', 'bronze', 1),
          check('t.s1', 'silver', 2, { kind: ['API'] }),
          check('t.g1', 'gold', 3),
        ],
      };
      expect(run({ 't.b1': true, 't.g1': true }, { rubric }).level).toBe(
        'gold',
      );
      expect(run({ 't.b1': true, 't.g1': false }, { rubric }).level).toBe(
        'silver',
      );
      expect(run({ 't.b1': false, 't.g1': true }, { rubric }).level).toBe(
        'none',
      );
    });

    it('no applicable check: score 0, level none', () => {
      const r = run(ALL_TRUE, {
        entity: component({ kind: 'Group' }),
        rubric: {
          maxFactAgeMs: DAY,
          checks: SMALL.checks.map(c => ({
            ...c,
            filter: { kind: ['Component'] },
          })),
        },
      });
      expect(r.checks.every(c => c.status === 'not-applicable')).toBe(true);
      expect([r.score, r.level]).toEqual([0, 'none']);
    });

    it('every applicable check exempt: score 100, gold', () => {
      const r = run(
        {},
        {
          exemptions: SMALL.checks.map(c =>
            exemption(c.id, '2026-04-01T00:00:00Z'),
          ),
        },
      );
      expect(r.checks.every(c => c.status === 'exempt')).toBe(true);
      expect([r.score, r.level]).toEqual([100, 'gold']);
    });

    it('rounds to the nearest integer: 1 of 3 equal weights → 33, 2 of 3 → 67', () => {
      const rubric: Rubric = {
        maxFactAgeMs: DAY,
        checks: [
          check('t.a', 'gold', 1),
          check('t.b', 'gold', 1),
          check('t.c', 'gold', 1),
        ],
      };
      expect(
        run({ 't.a': true, 't.b': false, 't.c': false }, { rubric }).score,
      ).toBe(33);
      expect(
        run({ 't.a': true, 't.b': true, 't.c': false }, { rubric }).score,
      ).toBe(67);
    });
  });

  describe('filters', () => {
    const filtered = (filter: CheckFilter, entity = component()) =>
      evaluate(
        entity,
        factsOf({ 't.x': true }),
        compileRubric({
          maxFactAgeMs: DAY,
          checks: [check('t.x', 'bronze', 1, filter)],
        }),
        [],
        NOW,
      ).checks[0];

    it.each<[string, CheckFilter, string]>([
      ['kind, case-insensitively', { kind: ['component'] }, 'pass'],
      ['another kind', { kind: ['API', 'System'] }, 'not-applicable'],
      ['type', { type: ['service', 'website'] }, 'pass'],
      ['another type', { type: ['library'] }, 'not-applicable'],
      ['lifecycle', { lifecycle: ['production'] }, 'pass'],
      ['another lifecycle', { lifecycle: ['experimental'] }, 'not-applicable'],
      ['tags', { tags: ['pci', 'java'] }, 'pass'],
      ['other tags', { tags: ['go'] }, 'not-applicable'],
      ['short owner', { owner: ['payments'] }, 'pass'],
      ['full owner', { owner: ['Group:default/Payments'] }, 'pass'],
      ['another owner', { owner: ['orders'] }, 'not-applicable'],
      [
        'every field together',
        {
          kind: ['Component'],
          type: ['service'],
          owner: ['payments'],
          tags: ['java'],
        },
        'pass',
      ],
      [
        'one field off',
        { kind: ['Component'], type: ['service'], owner: ['orders'] },
        'not-applicable',
      ],
      ['an empty filter', {}, 'pass'],
    ])('%s', (_name, filter, expected) => {
      const entity = component({ owner: 'payments', tags: ['java'] });
      expect(filtered(filter, entity).status).toBe(expected);
    });

    it('normalises a short owner in the entity’s own namespace', () => {
      const entity = component({ owner: 'payments', namespace: 'finance' });
      expect(
        filtered({ owner: ['group:finance/payments'] }, entity).status,
      ).toBe('pass');
      expect(filtered({ owner: ['payments'] }, entity).status).toBe(
        'not-applicable',
      );
    });

    it('says where the check applies', () => {
      const r = filtered({ kind: ['API'], type: ['openapi'] });
      expect(r.message).toBe(
        'does not apply: the check covers kind API, type openapi',
      );
      expect(r.evidence).toEqual([]);
    });
  });

  describe('exemptions', () => {
    const exempted = (expiresAt: string, entityRef?: string) =>
      run(
        { ...ALL_TRUE, 't.g1': false },
        { exemptions: [exemption('t.g1', expiresAt, entityRef)] },
      ).checks.find(c => c.id === 't.g1')!;

    it('an active exemption makes the check exempt, with the exemption and the would-be outcome', () => {
      const r = exempted('2026-03-02T12:00:01.000Z');
      expect(r.status).toBe('exempt');
      expect(r.exemption).toEqual({
        id: 'ex-t.g1',
        reason: 'migrating to the new cluster',
        author: 'user:default/alice',
        expiresAt: '2026-03-02T12:00:01.000Z',
      });
      expect(r.message).toBe(
        'exempt until 2026-03-02T12:00:01.000Z: migrating to the new cluster (otherwise fail: condition not met: t.g1 (false) equal true: fail)',
      );
    });

    it('stops counting at expiresAt exactly', () => {
      const r = exempted(NOW.toISOString());
      expect(r.status).toBe('fail');
      expect(r.exemption).toBeUndefined();
    });

    it('ignores expired exemptions and those of other entities', () => {
      expect(exempted('2026-03-01T00:00:00Z').status).toBe('fail');
      expect(
        exempted('2026-04-01T00:00:00Z', 'component:default/orders').status,
      ).toBe('fail');
      expect(
        exempted('2026-04-01T00:00:00Z', 'Component:default/Payments-API')
          .status,
      ).toBe('exempt');
    });

    it('wins over unknown facts', () => {
      const r = run(without(factsOf(ALL_TRUE), 't.g1'), {
        exemptions: [exemption('t.g1', '2026-04-01T00:00:00Z')],
      });
      expect(statuses(r)['t.g1']).toBe('exempt');
      expect([r.score, r.level]).toEqual([100, 'gold']);
    });

    it('keeps not-applicable over an exemption', () => {
      const r = run(ALL_TRUE, {
        rubric: {
          ...SMALL,
          checks: [check('t.g1', 'gold', 3, { kind: ['API'] })],
        },
        exemptions: [exemption('t.g1', '2026-04-01T00:00:00Z')],
      });
      expect(statuses(r)['t.g1']).toBe('not-applicable');
    });
  });

  describe('fact age', () => {
    const rubric = compileRubric(defaultRubric());
    const name = INSTRUMENTATION_FACTS.targetsCount;
    const withRecord = (record: FactRecord) => {
      const facts = factsOf(passingValues(), { [name]: record });
      return evaluate(component(), facts, rubric, [], NOW).checks.find(
        c => c.id === 'instrumentation.scraped',
      )!;
    };

    it('a fact never collected makes the check unknown, naming it', () => {
      const facts = without(factsOf(passingValues()), name);
      const r = evaluate(component(), facts, rubric, [], NOW).checks.find(
        c => c.id === 'instrumentation.scraped',
      )!;
      expect(r.status).toBe('unknown');
      expect(r.message).toBe(
        'fact prometheus.targets.count was never collected',
      );
    });

    it('a fact older than maxFactAgeMs makes the check unknown, naming its age', () => {
      const r = withRecord(
        fact(3, {
          ageMs: DAY + 2 * HOUR,
          staleReason: 'Prometheus: connection refused',
        }),
      );
      expect(r.status).toBe('unknown');
      expect(r.message).toBe(
        'fact prometheus.targets.count is 1d 2h old, older than the maximum of 1d (Prometheus: connection refused)',
      );
    });

    it('a fact exactly maxFactAgeMs old still counts', () => {
      expect(withRecord(fact(3, { ageMs: DAY })).status).toBe('pass');
    });

    it('a fact without a valid collectedAt is unknown', () => {
      const r = withRecord({ value: 3, source: 'x', collectedAt: 'yesterday' });
      expect(r.status).toBe('unknown');
      expect(r.message).toContain('has no valid collectedAt');
    });

    it('a stale but young fact still evaluates, and the message says how old and why', () => {
      const r = withRecord(
        fact(3, {
          ageMs: 3 * HOUR,
          staleReason: 'Prometheus timed out\nafter 10s',
        }),
      );
      expect(r.status).toBe('pass');
      expect(r.message).toBe(
        '3 of 3 scrape targets up (prometheus.targets.count is from 3h ago because Prometheus timed out after 10s)',
      );
    });

    it('instrumentation.traces needs only one usable fact; unknown when neither is', () => {
      const traces = (facts: Map<string, FactRecord>) =>
        evaluate(component(), facts, rubric, [], NOW).checks.find(
          c => c.id === 'instrumentation.traces',
        )!;
      const base = factsOf(passingValues());
      expect(traces(without(base, 'catalog.tracing-annotation')).status).toBe(
        'pass',
      );
      const old = new Map(base);
      old.set(INSTRUMENTATION_FACTS.targetInfo, fact(true, { ageMs: 2 * DAY }));
      // target_info too old, annotation known false → fail on what is known.
      expect(traces(old).status).toBe('fail');
      const neither = without(
        base,
        'catalog.tracing-annotation',
        INSTRUMENTATION_FACTS.targetInfo,
      );
      const r = traces(neither);
      expect(r.status).toBe('unknown');
      expect(r.message).toBe(
        'fact prometheus.target-info was never collected; fact catalog.tracing-annotation was never collected',
      );
    });
  });

  describe('the default rubric', () => {
    const rubric = compileRubric(defaultRubric());

    it('passes everything for a ready service: 100, gold, remediation and description from the check', () => {
      const r = evaluate(
        component(),
        factsOf(passingValues()),
        rubric,
        [],
        NOW,
      );
      expect(r.checks).toHaveLength(26);
      expect(r.checks.filter(c => c.status !== 'pass')).toEqual([]);
      expect([r.score, r.level]).toEqual([100, 'gold']);
      const def = defaultRubric().checks[0];
      expect(r.checks[0]).toMatchObject({
        id: def.id,
        title: def.title,
        category: 'ownership',
        level: 'bronze',
        weight: 1,
        remediation: def.remediation,
        description: def.description,
      });
    });

    it.each(
      BUILTIN_EVALUATOR_LIST.filter(e => e.id !== 'instrumentation.traces').map(
        e => [e.id, e.facts],
      ),
    )('%s is unknown when its facts were never collected', (id, names) => {
      const r = evaluate(
        component(),
        without(factsOf(passingValues()), ...(names as string[])),
        rubric,
        [],
        NOW,
      );
      const result = r.checks.find(c => c.id === id)!;
      expect(result.status).toBe('unknown');
      expect(result.message).toContain('was never collected');
    });

    it('applies only ownership and description checks to a System, and nothing to a Group', () => {
      const system = evaluate(
        component({ kind: 'System' }),
        factsOf(passingValues()),
        rubric,
        [],
        NOW,
      );
      expect(
        system.checks.filter(c => c.status !== 'not-applicable').map(c => c.id),
      ).toEqual([
        'ownership.owner-set',
        'ownership.owner-is-team',
        'ownership.team-has-members',
        'ownership.team-contact',
        'documentation.description',
      ]);
      const group = evaluate(
        component({ kind: 'Group' }),
        factsOf(passingValues()),
        rubric,
        [],
        NOW,
      );
      expect([group.score, group.level]).toEqual([0, 'none']);
    });

    it('evaluates a library component without the service checks', () => {
      const r = evaluate(
        component({ type: 'library' }),
        factsOf({}),
        rubric,
        [],
        NOW,
      );
      expect(
        r.checks.filter(c => c.status !== 'not-applicable').map(c => c.id),
      ).toEqual([
        'ownership.owner-set',
        'ownership.owner-is-team',
        'ownership.team-has-members',
        'ownership.team-contact',
        'ownership.lifecycle-set',
        'ownership.in-system',
        'documentation.description',
        'documentation.techdocs',
      ]);
    });
  });

  describe('purity', () => {
    it('is deterministic and leaves its inputs alone', () => {
      const entity = component();
      const facts = factsOf(passingValues(), {
        [INSTRUMENTATION_FACTS.targetsCount]: fact(3, {
          staleReason: 'down',
          evidence: [{ kind: 'target', text: 'http://10.0.0.1:8080/metrics' }],
        }),
      });
      const exemptions = [
        exemption('alerting.runbooks', '2026-04-01T00:00:00Z'),
      ];
      const before = JSON.stringify({ entity, facts: [...facts], exemptions });
      const rubric = compileRubric(defaultRubric());
      const a = evaluate(entity, facts, rubric, exemptions, NOW);
      const b = evaluate(
        entity,
        facts,
        rubric,
        exemptions,
        new Date(NOW.getTime()),
      );
      expect(b).toEqual(a);
      expect(JSON.stringify({ entity, facts: [...facts], exemptions })).toBe(
        before,
      );
      // Evidence is copied, not shared with the facts.
      const scraped = a.checks.find(c => c.id === 'instrumentation.scraped')!;
      scraped.evidence.push({ kind: 'x', text: 'y' });
      expect(
        facts.get(INSTRUMENTATION_FACTS.targetsCount)!.evidence,
      ).toHaveLength(1);
    });

    it('accepts an uncompiled rubric (compiled once with the built-ins)', () => {
      const rubric = defaultRubric();
      const a = evaluate(
        component(),
        factsOf(passingValues()),
        rubric,
        [],
        NOW,
      );
      expect([a.score, a.level]).toEqual([100, 'gold']);
    });

    it('turns an evaluator that throws into unknown', () => {
      const evaluators = new Map(BUILTIN_EVALUATORS);
      evaluators.set('ownership.owner-set', {
        id: 'ownership.owner-set',
        facts: ['catalog.owner.set'],
        evaluate: () => {
          throw new Error('boom');
        },
      });
      const r = evaluate(
        component(),
        factsOf(passingValues()),
        compileRubric(defaultRubric(), evaluators),
        [],
        NOW,
      );
      expect(r.checks[0]).toMatchObject({
        status: 'unknown',
        message: 'evaluator ownership.owner-set failed: boom',
      });
    });
  });

  describe('compileRubric', () => {
    it('rejects unknown evaluators and checks with neither or both kinds of evaluation', () => {
      const base = check('t.x', 'bronze', 1);
      expect(() =>
        compileRubric({
          maxFactAgeMs: DAY,
          checks: [{ ...base, condition: undefined, evaluator: 'nope' }],
        }),
      ).toThrow("Check 't.x' uses unknown evaluator 'nope'");
      expect(() =>
        compileRubric({
          maxFactAgeMs: DAY,
          checks: [{ ...base, condition: undefined }],
        }),
      ).toThrow('neither an evaluator nor a condition');
      expect(() =>
        compileRubric({
          maxFactAgeMs: DAY,
          checks: [{ ...base, evaluator: 'ownership.owner-set' }],
        }),
      ).toThrow('both an evaluator and a condition');
      expect(() =>
        compileRubric({
          maxFactAgeMs: DAY,
          checks: [
            {
              ...base,
              condition: { fact: 'a', operator: 'matches', value: '(' },
            },
          ],
        }),
      ).toThrow("Check 't.x': Invalid condition at 'condition.value'");
    });
  });
});
