import type {
  CheckResult,
  CheckStatus,
  Level,
  Readiness,
} from '@opsready/plugin-operability-common';
import type { ReportState } from '../../database/OperabilityStore';
import { checkStatusIdsOf, readinessChange } from './changes';

const REF = 'component:default/a';

function check(
  id: string,
  status: CheckStatus,
  stale?: CheckResult['stale'],
): CheckResult {
  return {
    id,
    title: id,
    category: id.split('.')[0],
    level: 'bronze',
    weight: 1,
    status,
    message: status,
    evidence: [],
    ...(stale ? { stale } : {}),
  };
}

function readiness(
  score: number,
  level: Level,
  checks: CheckResult[],
): Readiness {
  return { score, level, evaluatedAt: '2026-03-02T10:00:00.000Z', checks };
}

function stateOf(r: Readiness): ReportState {
  return {
    score: r.score,
    level: r.level,
    hash: 'h',
    historyAt: new Date('2026-03-02T09:00:00Z'),
    checkStatuses: checkStatusIdsOf(r),
  };
}

const STALE = { since: '2026-03-02T09:00:00.000Z', reason: 'Prometheus down' };

describe('checkStatusIdsOf', () => {
  it('lists check ids by status, leaving not-applicable checks out', () => {
    expect(
      checkStatusIdsOf(
        readiness(50, 'none', [
          check('a.pass', 'pass'),
          check('a.fail', 'fail'),
          check('a.na', 'not-applicable'),
          check('b.pass', 'pass'),
          check('a.exempt', 'exempt'),
          check('a.unknown', 'unknown'),
        ]),
      ),
    ).toEqual({
      pass: ['a.pass', 'b.pass'],
      fail: ['a.fail'],
      exempt: ['a.exempt'],
      unknown: ['a.unknown'],
    });
    expect(checkStatusIdsOf(readiness(0, 'none', []))).toEqual({});
  });
});

describe('readinessChange', () => {
  it('is a change with no before on the first evaluation, regressing nothing', () => {
    const after = readiness(50, 'bronze', [
      check('a.one', 'pass'),
      check('a.two', 'fail'),
    ]);
    expect(readinessChange(REF, undefined, after)).toEqual({
      entityRef: REF,
      before: null,
      after: { score: 50, level: 'bronze' },
      regressed: [],
      recovered: [],
      stale: false,
    });
  });

  it('is nothing when score, level and statuses are the same', () => {
    const before = readiness(50, 'bronze', [
      check('a.one', 'pass'),
      check('a.two', 'fail'),
    ]);
    // Messages, evidence and staleness alone are not a change.
    const after = readiness(50, 'bronze', [
      check('a.one', 'pass', STALE),
      { ...check('a.two', 'fail'), message: 'other words' },
    ]);
    expect(readinessChange(REF, stateOf(before), after)).toBeUndefined();
  });

  it('lists pass → fail and exempt → fail as regressed, fail → pass as recovered', () => {
    const before = readiness(40, 'bronze', [
      check('a.passed', 'pass'),
      check('a.exempted', 'exempt'),
      check('a.failed', 'fail'),
      check('a.same', 'pass'),
    ]);
    const after = readiness(30, 'none', [
      check('a.passed', 'fail'),
      check('a.exempted', 'fail'),
      check('a.failed', 'pass'),
      check('a.same', 'pass'),
    ]);
    expect(readinessChange(REF, stateOf(before), after)).toEqual({
      entityRef: REF,
      before: { score: 40, level: 'bronze' },
      after: { score: 30, level: 'none' },
      regressed: ['a.passed', 'a.exempted'],
      recovered: ['a.failed'],
      stale: false,
    });
  });

  it('does not take unknown, not-applicable or a new check to fail as a regression', () => {
    const before = readiness(50, 'bronze', [
      check('a.unknown', 'unknown'),
      check('a.na', 'not-applicable'),
    ]);
    const after = readiness(50, 'bronze', [
      check('a.unknown', 'fail'),
      check('a.na', 'fail'),
      check('a.new', 'fail'),
    ]);
    // Score and level are the same; the statuses changed.
    expect(readinessChange(REF, stateOf(before), after)).toMatchObject({
      regressed: [],
      recovered: [],
    });
  });

  it('does not take pass → unknown, or fail → exempt, as a regression or a recovery', () => {
    const before = readiness(50, 'bronze', [
      check('a.one', 'pass'),
      check('a.two', 'fail'),
    ]);
    const after = readiness(0, 'none', [
      check('a.one', 'unknown'),
      check('a.two', 'exempt'),
    ]);
    expect(readinessChange(REF, stateOf(before), after)).toMatchObject({
      regressed: [],
      recovered: [],
    });
  });

  it('is stale when a check whose status changed was evaluated on stale inputs', () => {
    const before = readiness(50, 'bronze', [
      check('a.one', 'pass'),
      check('a.two', 'pass'),
    ]);
    const freshChange = readiness(50, 'bronze', [
      check('a.one', 'pass', STALE),
      check('a.two', 'fail'),
    ]);
    expect(readinessChange(REF, stateOf(before), freshChange)).toMatchObject({
      regressed: ['a.two'],
      stale: false,
    });
    const staleChange = readiness(50, 'bronze', [
      check('a.one', 'pass'),
      check('a.two', 'fail', STALE),
    ]);
    expect(readinessChange(REF, stateOf(before), staleChange)).toMatchObject({
      regressed: ['a.two'],
      stale: true,
    });
  });

  it('is a change when a check leaves the rubric', () => {
    const before = readiness(50, 'bronze', [
      check('a.one', 'pass'),
      check('a.gone', 'fail'),
    ]);
    const after = readiness(50, 'bronze', [check('a.one', 'pass')]);
    expect(readinessChange(REF, stateOf(before), after)).toMatchObject({
      regressed: [],
      recovered: [],
    });
  });

  it('compares only score and level with a report stored without statuses', () => {
    const { checkStatuses: _, ...before } = stateOf(
      readiness(50, 'bronze', [check('a.one', 'pass')]),
    );
    const same = readiness(50, 'bronze', [check('a.one', 'fail')]);
    expect(readinessChange(REF, before, same)).toBeUndefined();
    const lower = readiness(20, 'none', [check('a.one', 'fail')]);
    expect(readinessChange(REF, before, lower)).toEqual({
      entityRef: REF,
      before: { score: 50, level: 'bronze' },
      after: { score: 20, level: 'none' },
      regressed: [],
      recovered: [],
      stale: false,
    });
  });
});
