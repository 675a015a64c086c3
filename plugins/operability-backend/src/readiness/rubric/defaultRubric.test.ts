import {
  DEFAULT_CHECKS,
  DEFAULT_MAX_FACT_AGE_MS,
  DEFAULT_WEIGHTS,
  defaultRubric,
  rankToLevel,
  toTechInsightsCheck,
} from './defaultRubric';

const DESIGN_TABLE: [string, string][] = [
  ['ownership.owner-set', 'bronze'],
  ['ownership.owner-is-team', 'bronze'],
  ['ownership.team-has-members', 'silver'],
  ['ownership.team-contact', 'silver'],
  ['ownership.lifecycle-set', 'silver'],
  ['ownership.in-system', 'gold'],
  ['on-call.schedule', 'bronze'],
  ['on-call.primary-and-secondary', 'silver'],
  ['on-call.rotation-size', 'gold'],
  ['on-call.turn-length', 'gold'],
  ['on-call.owners-on-call', 'gold'],
  ['on-call.ladder', 'gold'],
  ['on-call.page-load', 'gold'],
  ['instrumentation.scraped', 'silver'],
  ['instrumentation.golden-signals', 'silver'],
  ['instrumentation.traces', 'gold'],
  ['instrumentation.dashboard', 'silver'],
  ['alerting.has-alerts', 'bronze'],
  ['alerting.severity-labels', 'silver'],
  ['alerting.critical-pages', 'silver'],
  ['alerting.runbooks', 'gold'],
  ['alerting.for-duration', 'gold'],
  ['alerting.slo-burn-rate', 'gold'],
  ['documentation.description', 'bronze'],
  ['documentation.runbook', 'silver'],
  ['documentation.techdocs', 'gold'],
];

describe('default rubric', () => {
  it("has DESIGN's 26 checks with their levels", () => {
    expect(DEFAULT_CHECKS.map(c => [c.id, c.level])).toEqual(DESIGN_TABLE);
  });

  it('gives each check its category, weight by level, built-in evaluator, why and how to fix', () => {
    for (const c of DEFAULT_CHECKS) {
      expect(c.category).toBe(c.id.split('.')[0]);
      expect(c.weight).toBe(DEFAULT_WEIGHTS[c.level]);
      expect(c.evaluator).toBe(c.id);
      expect(c.condition).toBeUndefined();
      expect(c.title.length).toBeGreaterThan(3);
      expect(c.description.length).toBeGreaterThan(40);
      expect(c.remediation).toMatch(/`[^`]+`/); // names the field, annotation or rule
      expect(c.filter?.kind?.length).toBeGreaterThan(0);
    }
  });

  it('applies instrumentation, alerting and on-call checks to service and website components', () => {
    const serviceChecks = DEFAULT_CHECKS.filter(c =>
      /^(instrumentation|alerting|on-call)\./.test(c.id),
    );
    expect(serviceChecks).toHaveLength(17);
    for (const c of serviceChecks) {
      expect(c.filter).toEqual({
        kind: ['Component'],
        type: ['service', 'website'],
      });
    }
  });

  it('defaults to facts valid for one day and returns a fresh copy', () => {
    const a = defaultRubric();
    expect(a.maxFactAgeMs).toBe(DEFAULT_MAX_FACT_AGE_MS);
    expect(DEFAULT_MAX_FACT_AGE_MS).toBe(86_400_000);
    a.checks[0].weight = 99;
    expect(defaultRubric().checks[0].weight).toBe(1);
  });

  it("maps Tech Insights' rank 1–3 to levels and levels to checks", () => {
    expect(rankToLevel(1)).toBe('bronze');
    expect(rankToLevel(3)).toBe('gold');
    expect(() => rankToLevel(4)).toThrow('rank must be 1, 2 or 3');
    expect(toTechInsightsCheck(DEFAULT_CHECKS[5])).toEqual({
      id: 'ownership.in-system',
      name: DEFAULT_CHECKS[5].title,
      description: DEFAULT_CHECKS[5].description,
      rank: 3,
      category: 'ownership',
      solution: DEFAULT_CHECKS[5].remediation,
    });
  });
});
