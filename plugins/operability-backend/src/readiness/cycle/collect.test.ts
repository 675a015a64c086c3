import type { Entity } from '@backstage/catalog-model';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type { FactProvider } from '@opsready/plugin-operability-node';
import type { OnCallService } from '../../oncall/OnCallService';
import type { Snapshot } from '../../ownership/CatalogSnapshot';
import { buildOrgIndex } from '../../ownership/orgIndex';
import {
  CATALOG_PROVIDER,
  collectFacts,
  type CollectOptions,
  ON_CALL_PROVIDER,
} from './collect';

const NOW = new Date('2026-03-02T10:00:00Z');

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', description: 'a service' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
});

function snapshotOf(entities: Entity[], stale?: Snapshot['stale']): Snapshot {
  return {
    org: buildOrgIndex([], []),
    entities,
    byRef: new Map(entities.map(e => [entityRefOf(e), e])),
    schedules: new Map(),
    loadedAt: new Date('2026-03-02T09:00:00Z'),
    ...(stale ? { stale } : {}),
  };
}

const quietOnCall = {
  getOnCall: async () => new Map(),
  getRotations: async () => new Map(),
} as unknown as OnCallService;

function options(over: Partial<CollectOptions> = {}): CollectOptions {
  const entities = over.entities ?? [component('a'), component('b')];
  return {
    entities,
    refs: entities.map(entityRefOf),
    snapshot: snapshotOf(entities),
    onCall: quietOnCall,
    factProviders: [],
    providerTimeoutMs: 1_000,
    now: NOW,
    ...over,
  };
}

const provider = (
  id: string,
  collect: FactProvider['collect'],
): FactProvider => ({ id, facts: [], collect });

describe('collectFacts', () => {
  it('gives an outcome per provider: catalog, on-call, then the fact providers in order', async () => {
    const outcomes = await collectFacts(
      options({
        factProviders: [
          provider('metrics', async ({ entities }) => ({
            facts: new Map(
              entities.map(e => [
                entityRefOf(e),
                [
                  {
                    name: 'm.v',
                    value: 1,
                    source: 'prom',
                    collectedAt: '2026-03-02T09:59:00Z',
                    evidence: [{ kind: 'series', text: 'up' }],
                  },
                ],
              ]),
            ),
            errors: new Map([['component:default/b', 'bad annotation']]),
          })),
          provider('other', async () => ({ facts: new Map() })),
        ],
      }),
    );
    expect([...outcomes.keys()]).toEqual([
      CATALOG_PROVIDER,
      ON_CALL_PROVIDER,
      'metrics',
      'other',
    ]);
    const catalog = outcomes.get(CATALOG_PROVIDER)!;
    expect(catalog.failure).toBeUndefined();
    expect(
      catalog.facts.get('component:default/a')!['catalog.description'],
    ).toMatchObject({ value: true, collectedAt: NOW.toISOString() });
    expect(outcomes.get(ON_CALL_PROVIDER)!.failure).toBeUndefined();
    const metrics = outcomes.get('metrics')!;
    expect(metrics.facts.get('component:default/a')).toEqual({
      'm.v': {
        value: 1,
        source: 'prom',
        collectedAt: '2026-03-02T09:59:00Z',
        evidence: [{ kind: 'series', text: 'up' }],
      },
    });
    expect(metrics.errors).toEqual(
      new Map([['component:default/b', 'bad annotation']]),
    );
  });

  it('takes a snapshot served after a failed catalog read as a catalog failure, its facts dated by it', async () => {
    const entities = [component('a')];
    const outcomes = await collectFacts(
      options({
        entities,
        snapshot: snapshotOf(entities, {
          since: '2026-03-02T09:00:00.000Z',
          reason: 'Catalog read failed: timed out after 1500 ms',
        }),
      }),
    );
    const catalog = outcomes.get(CATALOG_PROVIDER)!;
    expect(catalog.failure).toBe(
      'Catalog read failed: timed out after 1500 ms',
    );
    expect(
      catalog.facts.get('component:default/a')!['catalog.description'],
    ).toMatchObject({ collectedAt: '2026-03-02T09:00:00.000Z' });
  });

  it('takes a throw or a timeout as the failure of that provider alone', async () => {
    const outcomes = await collectFacts(
      options({
        providerTimeoutMs: 50,
        onCall: {
          getOnCall: async () => {
            throw new Error('on-call exploded');
          },
        } as unknown as OnCallService,
        factProviders: [
          provider('down', async () => {
            throw new Error('connection refused');
          }),
          provider('slow', () => new Promise(() => {})),
          provider('fine', async () => ({ facts: new Map() })),
        ],
      }),
    );
    expect(
      Object.fromEntries([...outcomes].map(([id, o]) => [id, o.failure])),
    ).toEqual({
      [CATALOG_PROVIDER]: undefined,
      [ON_CALL_PROVIDER]: 'on-call exploded',
      down: 'connection refused',
      slow: 'Fact provider slow timed out after 50 ms',
      fine: undefined,
    });
  });
});
