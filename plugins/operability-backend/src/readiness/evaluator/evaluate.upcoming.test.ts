import type { Exemption } from '@opsready/plugin-operability-common';
import type { CheckDefinition, Rubric } from '../types';
import { compileRubric, evaluate } from './evaluate';
import { DAY, NOW, component, factsOf } from './__testUtils__/facts';

// NOW is 2026-03-02T12:00:00Z.

function check(
  id: string,
  level: CheckDefinition['level'],
  weight: number,
  enforcedFrom?: string,
): CheckDefinition {
  return {
    id,
    title: id,
    category: 't',
    level,
    weight,
    description: `why ${id}`,
    remediation: `fix ${id}`,
    condition: { fact: id, operator: 'equal', value: true },
    ...(enforcedFrom ? { enforcedFrom } : {}),
  };
}

function run(
  checks: CheckDefinition[],
  values: Record<string, unknown>,
  options: { now?: Date; exemptions?: Exemption[] } = {},
) {
  const rubric: Rubric = { maxFactAgeMs: DAY, checks };
  const now = options.now ?? NOW;
  // Facts collected a minute before the instant of evaluation.
  const facts = new Map(
    Object.entries(values).map(([name, value]) => [
      name,
      {
        value,
        source: 'test',
        collectedAt: new Date(now.getTime() - 60_000).toISOString(),
      },
    ]),
  );
  return evaluate(
    component(),
    facts,
    compileRubric(rubric),
    options.exemptions ?? [],
    now,
  );
}

describe('evaluate: checks with enforcedFrom', () => {
  const checks = [
    check('t.b1', 'bronze', 1),
    check('t.s1', 'silver', 2),
    check('t.s2', 'silver', 2, '2026-04-01'),
    check('t.g1', 'gold', 3),
  ];

  it('before the date: evaluated and shown as upcoming, counted in neither score nor level', () => {
    const r = run(checks, {
      't.b1': true,
      't.s1': true,
      't.s2': false,
      't.g1': true,
    });
    const s2 = r.checks.find(c => c.id === 't.s2')!;
    expect(s2).toMatchObject({
      status: 'fail',
      upcoming: true,
      enforcedFrom: '2026-04-01',
    });
    // Without t.s2: 1 + 2 + 3 of 6 pass.
    expect([r.score, r.level]).toEqual([100, 'gold']);
    expect(r.checks.filter(c => c.upcoming).map(c => c.id)).toEqual(['t.s2']);
    expect(r.checks.find(c => c.id === 't.s1')).not.toHaveProperty('upcoming');
  });

  it('a passing upcoming check adds nothing to the score either', () => {
    const r = run(checks, {
      't.b1': true,
      't.s1': false,
      't.s2': true,
      't.g1': true,
    });
    // 1 + 3 of 1 + 2 + 3 → 67; t.s1 blocks silver.
    expect([r.score, r.level]).toEqual([67, 'bronze']);
  });

  it('from 00:00 UTC of the date: counts like any other check', () => {
    const values = { 't.b1': true, 't.s1': true, 't.s2': false, 't.g1': true };
    const justBefore = run(checks, values, {
      now: new Date('2026-03-31T23:59:59.999Z'),
    });
    expect(justBefore.checks.find(c => c.id === 't.s2')!.upcoming).toBe(true);
    expect(justBefore.level).toBe('gold');

    const onTheDay = run(checks, values, {
      now: new Date('2026-04-01T00:00:00.000Z'),
    });
    const s2 = onTheDay.checks.find(c => c.id === 't.s2')!;
    expect(s2.status).toBe('fail');
    expect(s2).not.toHaveProperty('upcoming');
    expect(s2).not.toHaveProperty('enforcedFrom');
    // 1 + 2 + 3 of 8 → 75; t.s2 blocks silver.
    expect([onTheDay.score, onTheDay.level]).toEqual([75, 'bronze']);
  });

  it('a date already past counts at once', () => {
    const r = run([check('t.b1', 'bronze', 1, '2026-03-01')], {
      't.b1': false,
    });
    expect(r.checks[0]).not.toHaveProperty('upcoming');
    expect([r.score, r.level]).toEqual([0, 'none']);
  });

  it('an unknown upcoming check does not block a level', () => {
    const r = run(
      [check('t.b1', 'bronze', 1), check('t.b2', 'bronze', 1, '2027-01-01')],
      {
        't.b1': true,
      },
    );
    expect(r.checks[1]).toMatchObject({ status: 'unknown', upcoming: true });
    expect([r.score, r.level]).toEqual([100, 'gold']);
  });

  it('when only upcoming checks apply: nothing to be ready for yet (0, none)', () => {
    const r = run([check('t.b1', 'bronze', 1, '2027-01-01')], { 't.b1': true });
    expect(r.checks[0]).toMatchObject({ status: 'pass', upcoming: true });
    expect([r.score, r.level]).toEqual([0, 'none']);
  });

  it('an exempt upcoming check stays exempt, marked upcoming, and does not make the score 100', () => {
    const r = run(
      [check('t.b1', 'bronze', 1), check('t.b2', 'bronze', 1, '2027-01-01')],
      { 't.b1': false, 't.b2': false },
      {
        exemptions: [
          {
            id: 'x',
            entityRef: 'component:default/payments-api',
            checkId: 't.b2',
            reason: 'later',
            author: 'user:default/alice',
            expiresAt: '2027-06-01T00:00:00Z',
          },
        ],
      },
    );
    expect(r.checks[1]).toMatchObject({
      status: 'exempt',
      upcoming: true,
      exemption: { id: 'x' },
    });
    expect([r.score, r.level]).toEqual([0, 'none']);
  });

  it('a not-applicable check is not marked upcoming', () => {
    const r = evaluate(
      component({ kind: 'Group' }),
      factsOf({}),
      compileRubric({
        maxFactAgeMs: DAY,
        checks: [
          {
            ...check('t.b1', 'bronze', 1, '2027-01-01'),
            filter: { kind: ['Component'] },
          },
        ],
      }),
      [],
      NOW,
    );
    expect(r.checks[0].status).toBe('not-applicable');
    expect(r.checks[0]).not.toHaveProperty('upcoming');
  });

  it('compileRubric refuses a date that does not exist', () => {
    expect(() =>
      compileRubric({
        maxFactAgeMs: DAY,
        checks: [check('t.b1', 'bronze', 1, '2026-02-30')],
      }),
    ).toThrow(/t\.b1.*invalid enforcedFrom '2026-02-30'/);
  });
});
