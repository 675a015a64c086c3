import type {
  CheckResult,
  Readiness,
} from '@opsready/plugin-operability-common';
import { readinessSummary } from './readinessSummary';

function check(
  id: string,
  level: CheckResult['level'],
  status: CheckResult['status'],
): CheckResult {
  return {
    id,
    title: `Title of ${id}`,
    category: 'test',
    level,
    weight: 1,
    status,
    message: `${id} is ${status}`,
    remediation: `Fix ${id}`,
    evidence: [],
  };
}

function readiness(
  level: Readiness['level'],
  checks: CheckResult[],
): Readiness {
  return { score: 42, level, evaluatedAt: '2026-03-02T09:00:00Z', checks };
}

describe('readinessSummary', () => {
  it('lists failing checks and what blocks the next level', () => {
    const summary = readinessSummary(
      readiness('silver', [
        check('b1', 'bronze', 'pass'),
        check('s1', 'silver', 'exempt'),
        check('g1', 'gold', 'fail'),
        check('g2', 'gold', 'unknown'),
        check('g3', 'gold', 'not-applicable'),
        check('g4', 'gold', 'pass'),
      ]),
    );
    expect(summary).toEqual({
      score: 42,
      level: 'silver',
      failing: [
        {
          id: 'g1',
          title: 'Title of g1',
          level: 'gold',
          message: 'g1 is fail',
          remediation: 'Fix g1',
        },
      ],
      // Unknown blocks a level as failing does; exempt and n/a never do.
      nextLevel: { level: 'gold', blocking: ['g1', 'g2'] },
    });
  });

  it('names bronze as the next level of none, and lists failures at any level', () => {
    const summary = readinessSummary(
      readiness('none', [
        check('b1', 'bronze', 'fail'),
        check('s1', 'silver', 'fail'),
        check('g1', 'gold', 'pass'),
      ]),
    );
    expect(summary.failing.map(f => f.id)).toEqual(['b1', 's1']);
    expect(summary.nextLevel).toEqual({ level: 'bronze', blocking: ['b1'] });
  });

  it('has no next level at gold, nor when no check applies', () => {
    expect(
      readinessSummary(readiness('gold', [check('b1', 'bronze', 'pass')]))
        .nextLevel,
    ).toBeNull();
    expect(
      readinessSummary(
        readiness('none', [check('b1', 'bronze', 'not-applicable')]),
      ).nextLevel,
    ).toBeNull();
  });

  it('leaves checks announced for later out of failures and blockers', () => {
    const summary = readinessSummary(
      readiness('silver', [
        check('g1', 'gold', 'pass'),
        { ...check('g2', 'gold', 'fail'), upcoming: true },
      ]),
    );
    expect(summary.failing).toEqual([]);
    expect(summary.nextLevel).toEqual({ level: 'gold', blocking: [] });
  });

  it('leaves out a remediation the rubric no longer has', () => {
    const c = check('old', 'bronze', 'fail');
    delete c.remediation;
    expect(readinessSummary(readiness('none', [c])).failing).toEqual([
      {
        id: 'old',
        title: 'Title of old',
        level: 'bronze',
        message: 'old is fail',
      },
    ]);
  });
});
