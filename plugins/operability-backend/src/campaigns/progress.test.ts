import type { Entity } from '@backstage/catalog-model';
import type { CheckDefinition, Rubric } from '../readiness/types';
import {
  type CampaignReport,
  campaignEntries,
  campaignStateAt,
  compileCampaign,
  teamProgress,
} from './progress';
import type { Campaign } from './types';

function check(
  id: string,
  level: CheckDefinition['level'],
  enforcedFrom?: string,
): CheckDefinition {
  return {
    id,
    title: id,
    category: 't',
    level,
    weight: 1,
    description: '',
    remediation: '',
    evaluator: id,
    ...(enforcedFrom ? { enforcedFrom } : {}),
  };
}

const rubric: Rubric = {
  maxFactAgeMs: 1,
  checks: [
    check('t.b1', 'bronze'),
    check('t.s1', 'silver'),
    check('t.s2', 'silver', '2027-02-01'),
    check('t.g1', 'gold'),
  ],
};

const base: Campaign = {
  id: 'c',
  title: 'C',
  target: { checks: ['t.s1', 't.g1'] },
  start: '2027-01-01',
  deadline: '2027-01-31',
};

function report(
  name: string,
  statuses: CampaignReport['checkStatuses'],
  more: Partial<CampaignReport> = {},
): CampaignReport {
  return {
    entityRef: `component:default/${name}`,
    ownerRef: 'group:default/payments',
    ownerDeclared: 'group:default/payments',
    level: 'bronze',
    failedChecks: statuses.fail ?? [],
    checkStatuses: statuses,
    evaluatedAt: new Date('2027-01-10T00:00:00Z'),
    ...more,
  };
}

function entity(
  name: string,
  spec: Record<string, unknown> = {},
  tags?: string[],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...(tags ? { tags } : {}) },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'payments',
      ...spec,
    },
  };
}

describe('compileCampaign: checks target', () => {
  const c = compileCampaign(base, rubric);

  it('is done when every target check passes, is exempt or does not apply', () => {
    expect(c.judge(report('a', { pass: ['t.s1', 't.g1'] }))).toEqual({
      done: true,
      failing: [],
    });
    expect(c.judge(report('a', { exempt: ['t.s1'], pass: ['t.b1'] }))).toEqual({
      done: true,
      failing: [],
    });
  });

  it('is open while a target check fails or is unknown, and says which', () => {
    expect(
      c.judge(report('a', { fail: ['t.g1', 't.b1'], unknown: ['t.s1'] })),
    ).toEqual({ done: false, failing: ['t.s1', 't.g1'] });
  });

  it('reads the failing list of a report stored without statuses', () => {
    expect(c.judge({ ...report('a', {}), failedChecks: ['t.g1'] })).toEqual({
      done: false,
      failing: ['t.g1'],
    });
  });
});

describe('compileCampaign: level target', () => {
  const c = compileCampaign({ ...base, target: { level: 'silver' } }, rubric);

  it('is done at the target level or above', () => {
    expect(
      c.judge(report('a', { fail: ['t.g1'] }, { level: 'silver' })),
    ).toEqual({ done: true, failing: [] });
    expect(c.judge(report('a', {}, { level: 'gold' })).done).toBe(true);
  });

  it('below it, names the counting checks at or below the level that fail or are unknown', () => {
    expect(
      c.judge(
        report(
          'a',
          { fail: ['t.s1', 't.g1', 't.s2'], unknown: ['t.b1'] },
          { level: 'none' },
        ),
      ),
    ).toEqual({ done: false, failing: ['t.b1', 't.s1'] });
  });

  it('counts an announced check once the report was evaluated on or after its date', () => {
    expect(
      c.judge(
        report(
          'a',
          { fail: ['t.s2'] },
          { level: 'bronze', evaluatedAt: new Date('2027-02-01T00:00:00Z') },
        ),
      ).failing,
    ).toEqual(['t.s2']);
  });
});

describe('campaignStateAt', () => {
  const c = compileCampaign(base, rubric);
  it.each([
    ['2026-12-31T23:59:59.999Z', 'upcoming'],
    ['2027-01-01T00:00:00Z', 'active'],
    ['2027-01-31T23:59:59.999Z', 'active'],
    ['2027-02-01T00:00:00Z', 'ended'],
  ])('at %s: %s', (at, state) => {
    expect(campaignStateAt(c, Date.parse(at))).toBe(state);
  });
});

describe('campaignEntries', () => {
  const entities = new Map<string, Entity>([
    ['component:default/a', entity('a')],
    ['component:default/b', entity('b', { lifecycle: 'experimental' })],
    ['component:default/c', entity('c', { owner: 'search' }, ['pci'])],
    ['component:default/d', entity('d', {}, ['pci'])],
  ]);
  const reports = [
    report('d', { pass: ['t.s1', 't.g1'] }),
    report('c', { fail: ['t.s1'] }, { ownerRef: 'group:default/search' }),
    report('b', { fail: ['t.s1'] }),
    report('a', { fail: ['t.g1'] }),
    report('gone', { fail: ['t.g1'] }),
  ];

  it('keeps the reports of entities in scope, open ones first, by ref', () => {
    const c = compileCampaign(
      { ...base, filter: { kind: ['component'], lifecycle: ['production'] } },
      rubric,
    );
    expect(
      campaignEntries(c, reports, entities).map(e => [
        e.entityRef,
        e.done,
        e.failing,
      ]),
    ).toEqual([
      ['component:default/a', false, ['t.g1']],
      ['component:default/c', false, ['t.s1']],
      ['component:default/d', true, []],
    ]);
  });

  it('filters as a check does: tags, and owners by short or full ref', () => {
    const byTag = compileCampaign(
      { ...base, filter: { tags: ['pci'] } },
      rubric,
    );
    expect(
      campaignEntries(byTag, reports, entities).map(e => e.entityRef),
    ).toEqual(['component:default/c', 'component:default/d']);
    const byOwner = compileCampaign(
      { ...base, filter: { owner: ['search'] } },
      rubric,
    );
    expect(
      campaignEntries(byOwner, reports, entities).map(e => e.entityRef),
    ).toEqual(['component:default/c']);
  });

  it('rolls up per team, most open first', () => {
    const c = compileCampaign(base, rubric);
    const entries = campaignEntries(c, reports, entities);
    expect(
      teamProgress(entries, ref =>
        ref === 'group:default/payments' ? 'Payments' : undefined,
      ),
    ).toEqual([
      { ref: 'group:default/payments', title: 'Payments', total: 3, done: 1 },
      { ref: 'group:default/search', total: 1, done: 0 },
    ]);
  });
});
