import type { Entity } from '@backstage/catalog-model';
import type { Exemption } from '@opsready/plugin-operability-common';
import {
  type EntityEvaluator,
  evaluateEntities,
  exemptionsByEntity,
} from './evaluateEntities';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
});

const exemption = (entityRef: string, id: string): Exemption => ({
  id,
  entityRef,
  checkId: 'a.x',
  reason: 'r',
  author: 'user:default/ann',
  expiresAt: '2027-01-01T00:00:00.000Z',
});

describe('evaluateEntities', () => {
  it("evaluates each entity on its facts and exemptions, in order, with its input's problems", () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const calls: unknown[] = [];
    const evaluate: EntityEvaluator = (entity, facts, exemptions, at) => {
      calls.push([entity.metadata.name, [...facts.keys()], exemptions, at]);
      return { score: facts.size, level: 'none', evaluatedAt: '', checks: [] };
    };
    const a = 'component:default/a';
    const b = 'component:default/b';
    const exemptions = exemptionsByEntity([
      exemption(b, 'e1'),
      exemption(a, 'e2'),
      exemption(b, 'e3'),
    ]);
    const results = evaluateEntities({
      entities: [component('a'), component('b')],
      refs: [a, b],
      facts: new Map([
        [a, new Map([['m.v', { value: 1, source: 's', collectedAt: '' }]])],
      ]),
      problems: new Map([[b, [{ provider: 'rules', message: 'bad file' }]]]),
      exemptions,
      evaluate,
      now,
    });
    expect(results).toEqual([
      { score: 1, level: 'none', evaluatedAt: '', checks: [] },
      {
        score: 0,
        level: 'none',
        evaluatedAt: '',
        checks: [],
        problems: [{ provider: 'rules', message: 'bad file' }],
      },
    ]);
    expect(calls).toEqual([
      ['a', ['m.v'], [exemption(a, 'e2')], now],
      ['b', [], [exemption(b, 'e1'), exemption(b, 'e3')], now],
    ]);
  });
});
