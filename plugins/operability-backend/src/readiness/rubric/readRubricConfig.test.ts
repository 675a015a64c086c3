import { ConfigReader } from '@backstage/config';
import {
  ALERTING_FACTS,
  INSTRUMENTATION_FACTS,
} from '@opsready/plugin-operability-node';
import { CATALOG_FACTS, ON_CALL_FACTS } from '../builtinFacts';
import { BUILTIN_EVALUATORS } from '../checks';
import { compileRubric, evaluate } from '../evaluator/evaluate';
import { NOW, component, factsOf } from '../evaluator/__testUtils__/facts';
import { DEFAULT_CHECKS } from './defaultRubric';
import { readRubricConfig } from './readRubricConfig';

const knownFacts = new Set<string>([
  ...Object.values(CATALOG_FACTS),
  ...Object.values(ON_CALL_FACTS),
  ...Object.values(INSTRUMENTATION_FACTS),
  ...Object.values(ALERTING_FACTS),
]);
const options = { knownFacts, evaluators: BUILTIN_EVALUATORS };

function read(rubric?: unknown) {
  return readRubricConfig(
    new ConfigReader(rubric === undefined ? {} : { operability: { rubric } }),
    options,
  );
}

const custom = {
  id: 'custom.production-lifecycle',
  title: 'Lifecycle is production',
  level: 'silver',
  description: 'Production services get the full rubric.',
  remediation: 'Set `spec.lifecycle: production`.',
  condition: {
    all: [
      { fact: 'catalog.lifecycle', operator: 'equal', value: 'production' },
      { any: [{ fact: 'catalog.system', operator: 'exists' }] },
    ],
  },
};

describe('readRubricConfig', () => {
  it('defaults to the 25 default checks and a one-day maximum fact age', () => {
    const rubric = read();
    expect(rubric.maxFactAgeMs).toBe(86_400_000);
    expect(rubric.checks.map(c => c.id)).toEqual(DEFAULT_CHECKS.map(c => c.id));
    expect(rubric.checks[0]).toEqual(DEFAULT_CHECKS[0]);
  });

  it.each([
    [{ hours: 6 }, 6 * 3_600_000],
    ['PT30M', 30 * 60_000],
    ['2d', 2 * 86_400_000],
  ])('reads maxFactAge %j', (maxFactAge, ms) => {
    expect(read({ maxFactAge }).maxFactAgeMs).toBe(ms);
  });

  it('overrides any field of a default check by id', () => {
    const rubric = read({
      checks: [
        {
          id: 'ownership.in-system',
          weight: 5,
          level: 'silver',
          filter: { kind: 'Component' },
        },
        {
          id: 'documentation.runbook',
          title: 'Runbook',
          remediation: 'See the wiki.',
        },
      ],
    });
    const inSystem = rubric.checks.find(c => c.id === 'ownership.in-system')!;
    expect(inSystem).toMatchObject({
      weight: 5,
      level: 'silver',
      filter: { kind: ['Component'] },
      evaluator: 'ownership.in-system',
    });
    expect(
      rubric.checks.find(c => c.id === 'documentation.runbook'),
    ).toMatchObject({
      title: 'Runbook',
      remediation: 'See the wiki.',
      description: DEFAULT_CHECKS.find(c => c.id === 'documentation.runbook')!
        .description,
    });
    expect(rubric.checks).toHaveLength(26);
  });

  it('replaces a default check’s evaluator with a condition', () => {
    const rubric = read({
      checks: [
        {
          id: 'on-call.rotation-size',
          condition: {
            fact: 'on-call.rotation-size',
            operator: 'greaterThanInclusive',
            value: 4,
          },
        },
      ],
    });
    const c = rubric.checks.find(x => x.id === 'on-call.rotation-size')!;
    expect(c.evaluator).toBeUndefined();
    expect(c.condition).toEqual({
      fact: 'on-call.rotation-size',
      operator: 'greaterThanInclusive',
      value: 4,
    });
  });

  it('removes a default check with enabled: false', () => {
    const rubric = read({
      checks: [{ id: 'alerting.slo-burn-rate', enabled: false }],
    });
    expect(rubric.checks.map(c => c.id)).not.toContain(
      'alerting.slo-burn-rate',
    );
    expect(rubric.checks).toHaveLength(25);
  });

  it('keeps only the listed defaults with useDefaultChecks: false', () => {
    const rubric = read({
      useDefaultChecks: false,
      checks: [{ id: 'ownership.owner-set' }, custom],
    });
    expect(rubric.checks.map(c => c.id)).toEqual([
      'ownership.owner-set',
      'custom.production-lifecycle',
    ]);
  });

  it('adds a custom declarative check that evaluates', () => {
    const rubric = read({ checks: [custom] });
    expect(rubric.checks).toHaveLength(27);
    const added = rubric.checks[26];
    expect(added).toMatchObject({
      id: 'custom.production-lifecycle',
      category: 'custom',
      level: 'silver',
      weight: 2,
    });
    const report = evaluate(
      component(),
      factsOf({
        'catalog.lifecycle': 'production',
        'catalog.system': 'system:default/pay',
      }),
      compileRubric(rubric, BUILTIN_EVALUATORS),
      [],
      NOW,
    );
    expect(report.checks.find(c => c.id === added.id)?.status).toBe('pass');
  });

  it('adds a custom check that reuses a built-in evaluator', () => {
    const rubric = read({
      checks: [
        {
          id: 'custom.docs',
          title: 'Docs',
          level: 'bronze',
          weight: 0.5,
          description: 'why',
          remediation: 'how',
          evaluator: 'documentation.techdocs',
        },
      ],
    });
    expect(rubric.checks[26]).toMatchObject({
      evaluator: 'documentation.techdocs',
      weight: 0.5,
    });
  });

  describe('errors name the config path', () => {
    it.each<[string, unknown, string]>([
      [
        'a bad operator deep in a condition',
        {
          checks: [
            { id: 'ownership.owner-set' },
            { id: 'ownership.in-system' },
            { id: 'ownership.lifecycle-set' },
            {
              ...custom,
              condition: {
                all: [
                  { fact: 'catalog.lifecycle', operator: 'equals', value: 1 },
                ],
              },
            },
          ],
        },
        "Invalid config at 'operability.rubric.checks[3].condition.all[0].operator': expected one of",
      ],
      [
        'an unknown fact',
        {
          checks: [
            {
              ...custom,
              condition: { fact: 'prometheus.nope', operator: 'exists' },
            },
          ],
        },
        "Invalid config at 'operability.rubric.checks[0].condition.fact': unknown fact 'prometheus.nope'",
      ],
      [
        'an unknown evaluator',
        {
          checks: [
            { ...custom, condition: undefined, evaluator: 'custom.nope' },
          ],
        },
        "Invalid config at 'operability.rubric.checks[0].evaluator': unknown built-in evaluator 'custom.nope'",
      ],
      [
        'a duplicate id',
        { checks: [custom, { id: 'ownership.owner-set' }, custom] },
        "Invalid config at 'operability.rubric.checks[2].id': duplicate check id 'custom.production-lifecycle' (also at checks[0])",
      ],
      [
        'a zero weight',
        { checks: [{ id: 'ownership.owner-set', weight: 0 }] },
        "Invalid config at 'operability.rubric.checks[0].weight': Too small: expected number to be >0",
      ],
      [
        'a negative weight on a new check',
        { checks: [{ ...custom, weight: -1 }] },
        "Invalid config at 'operability.rubric.checks[0].weight'",
      ],
      [
        'a bad level',
        { checks: [{ id: 'ownership.owner-set', level: 'platinum' }] },
        "Invalid config at 'operability.rubric.checks[0].level'",
      ],
      [
        'a missing field of a new check',
        { checks: [{ ...custom, title: undefined }] },
        "Invalid config at 'operability.rubric.checks[0].title': required for a new check",
      ],
      [
        'a new check without condition or evaluator',
        { checks: [{ ...custom, condition: undefined }] },
        "Invalid config at 'operability.rubric.checks[0]': a new check needs a 'condition' or an 'evaluator'",
      ],
      [
        'both condition and evaluator',
        { checks: [{ ...custom, evaluator: 'ownership.owner-set' }] },
        "Invalid config at 'operability.rubric.checks[0]': give either 'evaluator' or 'condition', not both",
      ],
      [
        'a misspelt key',
        { checks: [{ id: 'ownership.owner-set', wieght: 2 }] },
        'Invalid config at \'operability.rubric.checks[0]\': Unrecognized key: "wieght"',
      ],
      [
        'an unknown filter field',
        { checks: [{ id: 'ownership.owner-set', filter: { kinds: ['API'] } }] },
        "Invalid config at 'operability.rubric.checks[0].filter'",
      ],
      [
        'a bad id',
        { checks: [{ ...custom, id: 'NoCategory' }] },
        "Invalid config at 'operability.rubric.checks[0].id'",
      ],
      [
        'an invalid regular expression',
        {
          checks: [
            {
              ...custom,
              condition: {
                fact: 'catalog.lifecycle',
                operator: 'matches',
                value: '(',
              },
            },
          ],
        },
        "Invalid config at 'operability.rubric.checks[0].condition.value': invalid regular expression",
      ],
      [
        'a non-boolean useDefaultChecks',
        { useDefaultChecks: 'yes' },
        "Invalid config at 'operability.rubric.useDefaultChecks'",
      ],
      [
        'an unknown key under rubric',
        { checkz: [] },
        "Invalid config at 'operability.rubric'",
      ],
      [
        'a bad maxFactAge',
        { maxFactAge: 'soon' },
        "Invalid config at 'operability.rubric.maxFactAge'",
      ],
      [
        'a zero maxFactAge',
        { maxFactAge: { hours: 0 } },
        "Invalid config at 'operability.rubric.maxFactAge': must be a positive duration",
      ],
    ])('%s', (_name, rubric, message) => {
      expect(() => read(rubric)).toThrow(message);
    });

    it('names a default check whose evaluator is not registered', () => {
      const evaluators = new Map(BUILTIN_EVALUATORS);
      evaluators.delete('alerting.runbooks');
      expect(() =>
        readRubricConfig(new ConfigReader({}), { knownFacts, evaluators }),
      ).toThrow(
        "Invalid config at 'operability.rubric.useDefaultChecks': check 'alerting.runbooks' needs the built-in evaluator 'alerting.runbooks', which is not registered",
      );
    });
  });
});
