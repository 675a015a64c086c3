import type { Entity } from '@backstage/catalog-model';
import {
  ALERTING_FACTS,
  INSTRUMENTATION_FACTS,
} from '@opsready/plugin-operability-node';
import { CATALOG_FACTS, ON_CALL_FACTS } from '../builtinFacts';
import type { CheckOutcome, FactRecord } from '../types';
import {
  BUILTIN_EVALUATORS,
  BUILTIN_EVALUATOR_LIST,
  NO_ALERTS_MESSAGE,
  builtinEvaluatorMap,
} from '../checks';
import {
  NOW,
  PAGING_ROUTES,
  component,
  fact,
  passingValues,
  rule,
} from './__testUtils__/facts';
import { DEFAULT_CHECKS } from '../rubric/defaultRubric';

/** Runs a built-in with the passing facts, changed by `changes`. */
function run(
  id: string,
  changes: Record<string, unknown> = {},
  options: { entity?: Entity; records?: Record<string, FactRecord> } = {},
): CheckOutcome {
  const evaluator = BUILTIN_EVALUATORS.get(id);
  if (!evaluator) throw new Error(`no evaluator ${id}`);
  const facts = new Map<string, FactRecord>();
  const values = { ...passingValues(), ...changes };
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) facts.set(name, fact(value));
  }
  for (const [name, record] of Object.entries(options.records ?? {})) {
    facts.set(name, record);
  }
  return evaluator.evaluate({
    entity: options.entity ?? component(),
    facts,
    now: NOW,
  });
}

describe('built-in evaluators', () => {
  it('has one evaluator per default check, with the check id, each reading declared facts', () => {
    expect(BUILTIN_EVALUATOR_LIST.map(e => e.id)).toEqual(
      DEFAULT_CHECKS.map(c => c.id),
    );
    expect(BUILTIN_EVALUATORS.size).toBe(26);
    for (const e of BUILTIN_EVALUATOR_LIST) {
      expect(e.facts.length).toBeGreaterThan(0);
      for (const name of e.facts) {
        expect(Object.keys(passingValues())).toContain(name);
      }
    }
  });

  it('passes every check with the passing facts, each with a one-line message', () => {
    for (const e of BUILTIN_EVALUATOR_LIST) {
      const outcome = run(e.id);
      expect({ id: e.id, status: outcome.status }).toEqual({
        id: e.id,
        status: 'pass',
      });
      expect(outcome.message).not.toMatch(/\n/);
      expect(outcome.message.length).toBeGreaterThan(0);
    }
  });

  it('builtinEvaluatorMap adds or replaces evaluators', () => {
    const custom = {
      id: 'custom.x',
      facts: ['a'],
      evaluate: () => ({ status: 'pass' as const, message: '', evidence: [] }),
    };
    const map = builtinEvaluatorMap([custom]);
    expect(map.get('custom.x')).toBe(custom);
    expect(map.size).toBe(27);
  });

  describe('ownership.owner-set', () => {
    it('passes naming the normalised owner', () => {
      const o = run(
        'ownership.owner-set',
        {},
        {
          entity: component({ owner: 'payments' }),
        },
      );
      expect(o.status).toBe('pass');
      expect(o.message).toBe('spec.owner is group:default/payments');
      expect(o.evidence).toEqual([
        { kind: 'owner', text: 'group:default/payments', source: 'spec.owner' },
      ]);
    });
    it('fails when not set', () => {
      expect(
        run('ownership.owner-set', { [CATALOG_FACTS.ownerSet]: false }),
      ).toEqual({
        status: 'fail',
        message: 'spec.owner is not set',
        evidence: [],
      });
    });
    it('is unknown on a value of the wrong type', () => {
      const o = run('ownership.owner-set', { [CATALOG_FACTS.ownerSet]: 'yes' });
      expect(o.status).toBe('unknown');
      expect(o.message).toBe(
        'fact catalog.owner.set has an unexpected value "yes"',
      );
    });
  });

  describe('ownership.owner-is-team', () => {
    it('passes for a group', () => {
      const o = run('ownership.owner-is-team');
      expect(o.status).toBe('pass');
      expect(o.message).toBe('owned by team group:default/payments');
    });
    it('fails for a user, naming their team', () => {
      const o = run(
        'ownership.owner-is-team',
        {
          [CATALOG_FACTS.ownerResolvedFrom]: 'user',
          [CATALOG_FACTS.ownerTeam]: 'group:default/payments',
        },
        { entity: component({ owner: 'user:alice' }) },
      );
      expect(o.status).toBe('fail');
      expect(o.message).toBe(
        'a person (user:default/alice) owns it, not a team; their team is group:default/payments',
      );
      expect(o.evidence).toEqual([
        { kind: 'owner', text: 'user:default/alice', source: 'spec.owner' },
        { kind: 'team', text: 'group:default/payments' },
      ]);
    });
    it('fails for a user without a team', () => {
      const o = run(
        'ownership.owner-is-team',
        {
          [CATALOG_FACTS.ownerResolvedFrom]: 'user',
          [CATALOG_FACTS.ownerTeam]: null,
        },
        { entity: component({ owner: 'user:default/alice' }) },
      );
      expect(o.status).toBe('fail');
      expect(o.message).toBe(
        'a person (user:default/alice) owns it, not a team; they belong to no team',
      );
    });
    it('fails for a dangling ref, naming it', () => {
      const o = run(
        'ownership.owner-is-team',
        {
          [CATALOG_FACTS.ownerResolvedFrom]: 'dangling',
          [CATALOG_FACTS.ownerTeam]: null,
        },
        { entity: component({ owner: 'ghosts' }) },
      );
      expect(o.status).toBe('fail');
      expect(o.message).toBe(
        'owner group:default/ghosts does not exist in the catalog',
      );
    });
    it('fails without an owner', () => {
      const o = run('ownership.owner-is-team', {
        [CATALOG_FACTS.ownerResolvedFrom]: 'none',
        [CATALOG_FACTS.ownerTeam]: null,
      });
      expect(o.status).toBe('fail');
    });
    it('is unknown on an unexpected resolution', () => {
      expect(
        run('ownership.owner-is-team', {
          [CATALOG_FACTS.ownerResolvedFrom]: 'robot',
        }).status,
      ).toBe('unknown');
    });
  });

  describe('ownership.team-has-members', () => {
    it('passes with members, carrying the fact evidence', () => {
      const o = run(
        'ownership.team-has-members',
        {},
        {
          records: {
            [CATALOG_FACTS.teamMembers]: fact(2, {
              evidence: [
                { kind: 'member', text: 'user:default/alice' },
                { kind: 'member', text: 'user:default/bob' },
              ],
            }),
          },
        },
      );
      expect(o.status).toBe('pass');
      expect(o.message).toBe('team group:default/payments has 2 members');
      expect(o.evidence).toEqual([
        { kind: 'member', text: 'user:default/alice' },
        { kind: 'member', text: 'user:default/bob' },
      ]);
    });
    it('fails with no members or no team', () => {
      expect(
        run('ownership.team-has-members', { [CATALOG_FACTS.teamMembers]: 0 })
          .message,
      ).toBe('team group:default/payments has no members');
      expect(
        run('ownership.team-has-members', { [CATALOG_FACTS.ownerTeam]: null })
          .status,
      ).toBe('fail');
    });
    it('is unknown on a non-number', () => {
      expect(
        run('ownership.team-has-members', { [CATALOG_FACTS.teamMembers]: 'x' })
          .status,
      ).toBe('unknown');
    });
  });

  describe('ownership.team-contact', () => {
    it('passes, fails, and is unknown on garbage', () => {
      expect(run('ownership.team-contact').status).toBe('pass');
      const o = run('ownership.team-contact', {
        [CATALOG_FACTS.teamContact]: false,
      });
      expect(o.status).toBe('fail');
      expect(o.message).toContain('operability.io/slack-channel');
      expect(
        run('ownership.team-contact', { [CATALOG_FACTS.teamContact]: 1 })
          .status,
      ).toBe('unknown');
    });
  });

  describe.each([
    ['ownership.lifecycle-set', CATALOG_FACTS.lifecycle, 'production'],
    ['ownership.in-system', CATALOG_FACTS.system, 'system:default/payments'],
  ])('%s', (id, name, value) => {
    it('passes when set, fails when null or empty, unknown on garbage', () => {
      const o = run(id, { [name]: value });
      expect(o.status).toBe('pass');
      expect(o.message).toContain(value);
      expect(run(id, { [name]: null }).status).toBe('fail');
      expect(run(id, { [name]: '' }).status).toBe('fail');
      expect(run(id, { [name]: 42 }).status).toBe('unknown');
    });
  });

  describe.each([
    ['on-call.schedule', ON_CALL_FACTS.covered],
    ['on-call.primary-and-secondary', ON_CALL_FACTS.primaryAndSecondary],
    ['documentation.description', CATALOG_FACTS.description],
    ['documentation.techdocs', CATALOG_FACTS.techdocs],
  ])('%s', (id, name) => {
    it('passes on true, fails on false, unknown on garbage', () => {
      expect(run(id, { [name]: true }).status).toBe('pass');
      expect(run(id, { [name]: false }).status).toBe('fail');
      expect(run(id, { [name]: 'true' }).status).toBe('unknown');
    });
    it('carries the fact evidence', () => {
      const evidence = [
        { kind: 'schedule', text: 'schedule:default/payments-on-call' },
      ];
      const o = run(id, {}, { records: { [name]: fact(true, { evidence }) } });
      expect(o.evidence).toEqual(evidence);
    });
  });

  describe('on-call.rotation-size', () => {
    it.each([
      [5, 'fail'],
      [6, 'pass'],
      [7, 'pass'],
      [8, 'pass'],
      [9, 'fail'],
      [0, 'fail'],
      ['six', 'unknown'],
      [-1, 'unknown'],
    ])('%p engineers → %s', (n, status) => {
      expect(
        run('on-call.rotation-size', { [ON_CALL_FACTS.rotationSize]: n })
          .status,
      ).toBe(status);
    });
    it('says why a rotation is too small or too big', () => {
      expect(
        run('on-call.rotation-size', { [ON_CALL_FACTS.rotationSize]: 4 })
          .message,
      ).toBe('the rotation has 4 engineers; fewer than 6 burns people out');
      expect(
        run('on-call.rotation-size', { [ON_CALL_FACTS.rotationSize]: 10 })
          .message,
      ).toContain('more than 8');
    });
  });

  describe('on-call.turn-length', () => {
    it.each([
      [24, 'pass'],
      [168, 'pass'],
      [169, 'fail'],
      [336, 'fail'],
      [0, 'unknown'],
      [null, 'unknown'],
    ])('%p hours → %s', (hours, status) => {
      expect(
        run('on-call.turn-length', { [ON_CALL_FACTS.turnHours]: hours }).status,
      ).toBe(status);
    });
    it('words the length', () => {
      expect(run('on-call.turn-length').message).toBe('turns last 7 days');
      expect(
        run('on-call.turn-length', { [ON_CALL_FACTS.turnHours]: 336 }).message,
      ).toBe('turns last 14 days, longer than one week');
    });
  });

  describe('on-call.ladder', () => {
    const frank =
      'user:default/frank: first primary turn 2026-03-09 09:00 America/Toronto (an override), never secondary or shadow before';

    it('passes when nobody went straight to primary', () => {
      expect(run('on-call.ladder')).toMatchObject({
        status: 'pass',
        message:
          'everyone whose first primary turn came after the start was secondary or shadow on the rotation first',
      });
    });

    it('fails naming who went straight to primary and when', () => {
      const o = run(
        'on-call.ladder',
        {},
        {
          records: {
            [ON_CALL_FACTS.ladder]: fact(['user:default/frank'], {
              evidence: [{ kind: 'member', text: frank }],
            }),
          },
        },
      );
      expect(o).toEqual({
        status: 'fail',
        message:
          '1 person went straight to primary without a secondary or shadow turn first: user:default/frank',
        evidence: [{ kind: 'member', text: frank }],
      });
      const many = ['a', 'b', 'c', 'd', 'e'].map(n => `user:default/${n}`);
      expect(
        run('on-call.ladder', { [ON_CALL_FACTS.ladder]: many }).message,
      ).toBe(
        '5 people went straight to primary without a secondary or shadow turn first: user:default/a, user:default/b, user:default/c and 2 more',
      );
    });

    it('is unknown where on-call does not come from a Schedule, saying why', () => {
      const pagerduty = run('on-call.ladder', {
        [ON_CALL_FACTS.ladder]: undefined,
        [ON_CALL_FACTS.source]: 'pagerduty',
      });
      expect(pagerduty.status).toBe('unknown');
      expect(pagerduty.message).toBe(
        'on-call comes from pagerduty, which keeps no history of who was secondary or shadow: the ladder is judged on Schedules in the catalog',
      );
      for (const source of ['schedule', null]) {
        expect(
          run('on-call.ladder', {
            [ON_CALL_FACTS.ladder]: undefined,
            [ON_CALL_FACTS.source]: source,
          }),
        ).toMatchObject({
          status: 'unknown',
          message:
            'no valid Schedule in the catalog covers it, so who climbed the ladder is not known',
        });
      }
    });

    it('is unknown on a value of the wrong shape', () => {
      expect(
        run('on-call.ladder', { [ON_CALL_FACTS.ladder]: 'frank' }).status,
      ).toBe('unknown');
    });
  });

  describe('on-call.owners-on-call', () => {
    it.each([
      [0.8, 'pass'],
      [1, 'pass'],
      [0.79, 'fail'],
      [0, 'fail'],
      [1.5, 'unknown'],
      ['80%', 'unknown'],
    ])('share %p → %s', (share, status) => {
      expect(
        run('on-call.owners-on-call', { [ON_CALL_FACTS.ownersShare]: share })
          .status,
      ).toBe(status);
    });
    it('gives the share in the message', () => {
      expect(
        run('on-call.owners-on-call', { [ON_CALL_FACTS.ownersShare]: 0.5 })
          .message,
      ).toBe(
        'only 50% of the rotation belongs to the owning team (at least 80% needed)',
      );
    });
  });

  describe('instrumentation.scraped', () => {
    const { targetsCount: count, targetsUpRatio: ratio } =
      INSTRUMENTATION_FACTS;
    it('passes with targets up', () => {
      const o = run('instrumentation.scraped', { [count]: 4, [ratio]: 0.5 });
      expect(o.status).toBe('pass');
      expect(o.message).toBe('2 of 4 scrape targets up');
    });
    it('fails without targets or with all down', () => {
      expect(
        run('instrumentation.scraped', { [count]: 0, [ratio]: null }).message,
      ).toBe('no Prometheus scrape target selects this service');
      expect(
        run('instrumentation.scraped', { [count]: 2, [ratio]: 0 }).message,
      ).toBe('all 2 scrape targets are down');
    });
    it('is unknown on garbage', () => {
      expect(run('instrumentation.scraped', { [count]: '3' }).status).toBe(
        'unknown',
      );
      expect(run('instrumentation.scraped', { [ratio]: 2 }).status).toBe(
        'unknown',
      );
    });
  });

  describe('instrumentation.golden-signals', () => {
    const name = INSTRUMENTATION_FACTS.goldenSignals;
    it('passes with all three', () => {
      expect(run('instrumentation.golden-signals').status).toBe('pass');
    });
    it('fails listing what is missing', () => {
      const o = run('instrumentation.golden-signals', { [name]: ['requests'] });
      expect(o.status).toBe('fail');
      expect(o.message).toBe('not exported: errors, latency-histogram');
      expect(
        run('instrumentation.golden-signals', { [name]: null }).status,
      ).toBe('fail');
    });
    it('is unknown on garbage', () => {
      expect(
        run('instrumentation.golden-signals', { [name]: 'requests' }).status,
      ).toBe('unknown');
    });
  });

  describe('instrumentation.traces', () => {
    const info = INSTRUMENTATION_FACTS.targetInfo;
    const annotation = CATALOG_FACTS.tracingAnnotation;
    it('is an any-of check', () => {
      expect(BUILTIN_EVALUATORS.get('instrumentation.traces')?.factPolicy).toBe(
        'any',
      );
    });
    it.each([
      [true, false, 'pass'],
      [false, true, 'pass'],
      [true, true, 'pass'],
      [false, false, 'fail'],
      [true, undefined, 'pass'],
      [undefined, true, 'pass'],
      [false, undefined, 'fail'],
      [undefined, false, 'fail'],
      ['yes', true, 'unknown'],
    ])('target_info %p, annotation %p → %s', (i, a, status) => {
      expect(
        run('instrumentation.traces', { [info]: i, [annotation]: a }).status,
      ).toBe(status);
    });
    it('says what is unknown when failing on one fact', () => {
      expect(
        run('instrumentation.traces', {
          [info]: undefined,
          [annotation]: false,
        }).message,
      ).toBe(
        'no OpenTelemetry resource info (target_info) and no tracing annotation; whether target_info is exported is unknown',
      );
    });
  });

  describe.each([
    ['instrumentation.dashboard', CATALOG_FACTS.dashboard, 'dashboard'],
    ['documentation.runbook', CATALOG_FACTS.runbook, 'runbook'],
  ])('%s', (id, name, kind) => {
    it('passes with links, listing them as evidence', () => {
      const o = run(id, { [name]: ['https://a', 'https://b'] });
      expect(o.status).toBe('pass');
      expect(o.evidence).toEqual([
        { kind, text: 'https://a', source: 'test' },
        { kind, text: 'https://b', source: 'test' },
      ]);
    });
    it('fails with none, unknown on garbage', () => {
      expect(run(id, { [name]: [] }).status).toBe('fail');
      expect(run(id, { [name]: null }).status).toBe('fail');
      expect(run(id, { [name]: 'https://a' }).status).toBe('unknown');
    });
  });

  describe('alerting', () => {
    const rules = ALERTING_FACTS.rules;
    const routes = ALERTING_FACTS.routes;

    it('has-alerts passes with rules as evidence, fails with none', () => {
      const o = run('alerting.has-alerts', {
        [rules]: [rule('HighErrorRate')],
      });
      expect(o.status).toBe('pass');
      expect(o.message).toBe('1 alerting rule selects this service');
      expect(o.evidence).toEqual([
        { kind: 'rule', text: 'HighErrorRate', source: 'rules/payments.yaml' },
      ]);
      expect(run('alerting.has-alerts', { [rules]: [] }).message).toBe(
        NO_ALERTS_MESSAGE,
      );
      expect(run('alerting.has-alerts', { [rules]: {} }).status).toBe(
        'unknown',
      );
      expect(
        run('alerting.has-alerts', { [rules]: [{ nope: 1 }] }).status,
      ).toBe('unknown');
    });

    it.each([
      'alerting.severity-labels',
      'alerting.runbooks',
      'alerting.for-duration',
      'alerting.slo-burn-rate',
      'alerting.critical-pages',
    ])('%s fails when no rules select the service', id => {
      const o = run(id, { [rules]: [] });
      expect(o.status).toBe('fail');
      expect(o.message).toBe(NO_ALERTS_MESSAGE);
    });

    it('severity-labels fails naming the alerts without severity', () => {
      const o = run('alerting.severity-labels', {
        [rules]: [
          rule('A'),
          rule('B', { severity: undefined }),
          rule('C', { severity: '' }),
        ],
      });
      expect(o.status).toBe('fail');
      expect(o.message).toBe('2 of 3 alerts have no severity label: B, C');
      expect(o.evidence).toEqual([
        {
          kind: 'rule',
          text: 'B (no severity)',
          source: 'rules/payments.yaml',
        },
        {
          kind: 'rule',
          text: 'C (no severity)',
          source: 'rules/payments.yaml',
        },
      ]);
    });

    it('runbooks: every critical alert needs runbook_url; warnings do not', () => {
      expect(
        run('alerting.runbooks', {
          [rules]: [
            rule('A'),
            rule('W', { severity: 'warning', runbookUrl: undefined }),
          ],
        }).status,
      ).toBe('pass');
      const o = run('alerting.runbooks', {
        [rules]: [rule('A'), rule('B', { runbookUrl: undefined })],
      });
      expect(o.status).toBe('fail');
      expect(o.message).toBe('1 of 2 critical alerts have no runbook_url: B');
      expect(
        run('alerting.runbooks', {
          [rules]: [rule('W', { severity: 'warning' })],
        }).message,
      ).toBe('no critical alerts, so none lacks a runbook_url');
    });

    it('for-duration: every alert waits at least 60s', () => {
      expect(
        run('alerting.for-duration', {
          [rules]: [rule('A', { forSeconds: 60 })],
        }).status,
      ).toBe('pass');
      const o = run('alerting.for-duration', {
        [rules]: [rule('A', { forSeconds: 59 }), rule('B', { forSeconds: 0 })],
      });
      expect(o.status).toBe('fail');
      expect(o.evidence[0]).toEqual({
        kind: 'rule',
        text: 'A (for 59s)',
        source: 'rules/payments.yaml',
      });
    });

    it('slo-burn-rate: some rule has burnRate', () => {
      const o = run('alerting.slo-burn-rate');
      expect(o.status).toBe('pass');
      expect(o.message).toBe('SLO burn-rate alert: ErrorBudgetBurn');
      expect(
        run('alerting.slo-burn-rate', { [rules]: [rule('A')] }).status,
      ).toBe('fail');
    });

    it('critical-pages passes when a paging receiver gets critical, with rule and route evidence', () => {
      const o = run('alerting.critical-pages', {
        [rules]: [rule('HighErrorRate')],
      });
      expect(o.status).toBe('pass');
      expect(o.message).toBe(
        'critical alerts page through pagerduty-payments (route > routes[0])',
      );
      expect(o.evidence).toEqual([
        { kind: 'rule', text: 'HighErrorRate', source: 'rules/payments.yaml' },
        {
          kind: 'route',
          text: 'route > routes[0] → pagerduty-payments (pages)',
          source: 'pagerduty-payments',
        },
      ]);
    });

    it('critical-pages fails without a critical alert', () => {
      const o = run('alerting.critical-pages', {
        [rules]: [rule('A', { severity: 'warning' })],
      });
      expect(o.status).toBe('fail');
      expect(o.message).toBe('none of the 1 alerts has severity critical');
    });

    it('critical-pages fails when critical goes to a receiver that does not page', () => {
      const o = run('alerting.critical-pages', {
        [routes]: {
          critical: {
            receivers: [{ name: 'slack', pages: false, routePath: 'route' }],
          },
        },
      });
      expect(o.status).toBe('fail');
      expect(o.message).toBe(
        'critical alerts go to slack (route), which does not page',
      );
    });

    it('critical-pages fails when critical is routed nowhere, unknown on garbage', () => {
      expect(
        run('alerting.critical-pages', {
          [routes]: { warning: PAGING_ROUTES.warning },
        }).message,
      ).toBe('Alertmanager routes the critical alerts to no receiver');
      expect(run('alerting.critical-pages', { [routes]: [] }).status).toBe(
        'unknown',
      );
      expect(
        run('alerting.critical-pages', {
          [routes]: { critical: { receivers: 'x' } },
        }).status,
      ).toBe('unknown');
    });

    it('caps long evidence lists', () => {
      const many = Array.from({ length: 30 }, (_, i) => rule(`A${i}`));
      const o = run('alerting.has-alerts', { [rules]: many });
      expect(o.evidence).toHaveLength(21);
      expect(o.evidence[20]).toEqual({ kind: 'more', text: 'and 10 more' });
    });
  });
});
