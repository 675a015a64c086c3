import type { Exemption, Readiness } from '@opsready/plugin-operability-common';
import { INSTRUMENTATION_FACTS } from '@opsready/plugin-operability-node';
import { BUILTIN_EVALUATORS } from './checks';
import { compileRubric, evaluate } from './evaluator/evaluate';
import {
  component,
  DAY,
  fact,
  factsOf,
  NOW,
  passingValues,
  without,
} from './evaluator/__testUtils__/facts';
import { defaultRubric } from './rubric/defaultRubric';
import {
  encodeReadiness,
  readinessFromStored,
  type StoredReadinessV2,
} from './storedReadiness';
import type { Rubric } from './types';

const rubric: Rubric = {
  ...defaultRubric(),
  // One check announced for later, one that covers only websites.
  checks: defaultRubric().checks.map(c => {
    if (c.id === 'documentation.techdocs') {
      return { ...c, enforcedFrom: '2099-01-01' };
    }
    if (c.id === 'documentation.runbook') {
      return { ...c, filter: { type: ['website'] } };
    }
    return c;
  }),
};
const compiled = compileRubric(rubric, BUILTIN_EVALUATORS);
const byId = new Map(rubric.checks.map(c => [c.id, c]));

/** What the store kept before: the report without description and remediation. */
function asRead(report: Readiness): Readiness {
  return {
    ...report,
    checks: report.checks.map(check => {
      const {
        description: _d,
        remediation: _r,
        ...rest
      } = check as typeof check & { description?: string };
      return rest;
    }),
  };
}

const exemption: Exemption = {
  id: 'ex-1',
  entityRef: 'component:default/payments-api',
  checkId: 'instrumentation.traces',
  reason: 'no tracing yet',
  author: 'user:default/ada',
  expiresAt: '2026-04-01T00:00:00.000Z',
};

const reports: [string, Readiness][] = [
  [
    'passing',
    evaluate(component(), factsOf(passingValues()), compiled, [], NOW),
  ],
  [
    'unknown facts (evidence from the message), exempt and not applicable',
    evaluate(
      component(),
      without(factsOf(passingValues()), INSTRUMENTATION_FACTS.targetsCount),
      compiled,
      [exemption],
      NOW,
    ),
  ],
  [
    'stale and too old facts',
    evaluate(
      component(),
      factsOf(passingValues(), {
        [INSTRUMENTATION_FACTS.targetsCount]: fact(3, {
          ageMs: 3_600_000,
          staleReason: 'Prometheus: connection refused; retrying',
        }),
        [INSTRUMENTATION_FACTS.targetsUpRatio]: fact(1, { ageMs: 2 * DAY }),
      }),
      compiled,
      [],
      NOW,
    ),
  ],
  [
    'source problems',
    {
      ...evaluate(component(), factsOf({}), compiled, [], NOW),
      problems: [{ provider: 'alert-rules', message: 'rules.yaml: bad' }],
    },
  ],
];

describe('stored readiness', () => {
  it.each(reports)(
    'reads back what was evaluated, less description and remediation: %s',
    (_, report) => {
      const stored = JSON.parse(
        JSON.stringify(encodeReadiness(report)),
      ) as StoredReadinessV2;
      expect(readinessFromStored(stored, report.evaluatedAt, byId)).toEqual(
        asRead(report),
      );
    },
  );

  it('keeps no rubric field, and a not-applicable check as its status', () => {
    const [, report] = reports[1];
    const stored = encodeReadiness(report);
    const json = JSON.stringify(stored);
    for (const check of rubric.checks) {
      expect(json).not.toContain(JSON.stringify(check.title));
    }
    expect(stored.checks['documentation.runbook']).toEqual(['n']);
    expect(report.checks.map(c => c.status)).toContain('exempt');
    expect(report.checks.map(c => c.status)).toContain('unknown');
  });

  it('is a fraction of the first version', () => {
    for (const [, report] of reports) {
      const v1 = JSON.stringify(asRead({ ...report, evaluatedAt: '' }));
      const v2 = JSON.stringify(encodeReadiness(report));
      expect(v2.length).toBeLessThan(v1.length * 0.6);
    }
  });

  it('reads a first-version row as it is, with the evaluation time', () => {
    const [, report] = reports[1];
    const v1 = { ...asRead(report), evaluatedAt: '' };
    expect(readinessFromStored(v1, report.evaluatedAt, byId)).toEqual(
      asRead(report),
    );
  });

  it('reads a check the rubric no longer has by its id', () => {
    const stored: StoredReadinessV2 = {
      v: 2,
      score: 0,
      level: 'none',
      checks: {
        'gone.check': ['f', 'it failed', [['fact', 'x', 'y']]],
        'gone.other': ['n'],
      },
    };
    expect(readinessFromStored(stored, NOW.toISOString(), byId)).toEqual({
      score: 0,
      level: 'none',
      evaluatedAt: NOW.toISOString(),
      checks: [
        {
          id: 'gone.check',
          title: 'gone.check',
          category: 'gone',
          level: 'bronze',
          weight: 0,
          status: 'fail',
          message: 'it failed',
          evidence: [{ kind: 'fact', text: 'x', source: 'y' }],
        },
        {
          id: 'gone.other',
          title: 'gone.other',
          category: 'gone',
          level: 'bronze',
          weight: 0,
          status: 'not-applicable',
          message: 'does not apply',
          evidence: [],
        },
      ],
    });
  });
});
