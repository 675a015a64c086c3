import type { Entity } from '@backstage/catalog-model';
import { entityRefOf } from './entityRef';

function entity(kind: string, name: string, namespace?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
  };
}

describe('entityRefOf', () => {
  it('is the full ref in lower case', () => {
    expect(entityRefOf(entity('Component', 'Payments-API', 'Team-A'))).toBe(
      'component:team-a/payments-api',
    );
  });

  it('fills in the default namespace', () => {
    expect(entityRefOf(entity('Group', 'SRE'))).toBe('group:default/sre');
  });

  it('is what the hand-written keys it replaced gave', () => {
    const cases = [
      entity('Component', 'a'),
      entity('API', 'Orders_v2', 'Default'),
      entity('User', 'Alice.Adams', 'people'),
      entity('Schedule', 'payments-primary'),
    ];
    for (const e of cases) {
      expect(entityRefOf(e)).toBe(
        `${e.kind}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`.toLocaleLowerCase('en-US'),
      );
    }
  });
});
