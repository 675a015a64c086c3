import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { PageSource } from '@opsready/plugin-operability-node';
import { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { OnCallLoadService } from './OnCallLoadService';
import type { PageSourceState, PageStore } from './PageStore';
import { DEFAULT_WORKING_HOURS } from './workingHours';

const NOW = new Date('2026-11-30T12:00:00Z');
const H = 3600_000;

const component = (name: string, annotations: Record<string, string> = {}) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  } as Entity);

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { profile: { displayName: 'Alice' } },
  },
  {
    apiVersion: 'operability.io/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 'sched', namespace: 'default' },
    spec: {
      owner: 'group:default/team',
      timeZone: 'UTC',
      handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
      primary: ['user:default/alice'],
    },
  },
  component('ok', { 'operability.io/on-call-schedule': 'sched' }),
  component('unscheduled'),
  component('troubled', { 'operability.io/on-call-schedule': 'sched' }),
];

function store(
  states: Map<string, Partial<PageSourceState>>,
  pages = new Map<string, number[]>(),
  collected = ['ok', 'unscheduled', 'troubled'],
): PageStore {
  return {
    sourceStates: async () =>
      new Map(
        [...states].map(([id, s]) => [
          id,
          { source: id, lastAttemptAt: NOW, entityErrors: new Map(), ...s },
        ]),
      ),
    pageInstants: async () => pages,
    // Every entity collected, by every source with a success.
    watermarks: async (id: string) =>
      states.get(id)?.lastSuccessAt
        ? new Map(collected.map(n => [`component:default/${n}`, NOW]))
        : new Map(),
    turns: async () => [],
  } as unknown as PageStore;
}

const source = (id: string, covers = true): PageSource => ({
  id,
  covers: () => covers,
  collect: async () => ({ pages: [] }),
});

describe('OnCallLoadService.facts', () => {
  async function facts(
    sources: PageSource[],
    states: Map<string, Partial<PageSourceState>>,
    pages?: Map<string, number[]>,
    collected?: string[],
  ) {
    const snapshot = await new CatalogSnapshot({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      ttlMs: 60_000,
    }).get();
    const service = new OnCallLoadService({
      store: store(states, pages, collected),
      sources,
      workingHours: DEFAULT_WORKING_HOURS,
      windowMs: 28 * 24 * H,
    });
    const scored = snapshot.entities.filter(e => e.kind === 'Component');
    return service.facts(scored, snapshot, NOW);
  }

  it('gives no fact where no source covers, or before every covering source has collected it', async () => {
    expect(
      (await facts([source('x', false)], new Map())).get(
        'component:default/ok',
      ),
    ).toEqual({ none: true });
    expect(
      (await facts([source('x')], new Map())).get('component:default/ok'),
    ).toEqual({ none: true });
    // A success, but before the entity was in the catalog: not collected.
    const early = await facts(
      [source('x')],
      new Map([['x', { lastSuccessAt: NOW }]]),
      undefined,
      ['troubled'],
    );
    expect(early.get('component:default/ok')).toEqual({ none: true });
    expect(early.get('component:default/troubled')).toHaveProperty('value');
  });

  it('says why when a source failed, or could not answer for the entity', async () => {
    const neverGood = await facts(
      [source('pd')],
      new Map([['pd', { lastError: 'PagerDuty answered 401' }]]),
    );
    expect(neverGood.get('component:default/ok')).toEqual({
      error: 'page source pd failed: PagerDuty answered 401',
    });
    const result = await facts(
      [source('pd')],
      new Map([
        [
          'pd',
          {
            lastSuccessAt: NOW,
            entityErrors: new Map([
              ['component:default/troubled', 'PagerDuty has no service PX'],
            ]),
          },
        ],
      ]),
    );
    expect(result.get('component:default/troubled')).toEqual({
      error: 'page source pd: PagerDuty has no service PX',
    });
    expect(result.get('component:default/unscheduled')).toEqual({
      error:
        'no primary turns are known: no Schedule covers it and no page source (pd) reports its on-call history',
    });
  });

  it('gives the busiest shift’s pages per 12 hours, with evidence', async () => {
    const result = await facts(
      [source('file')],
      new Map([['file', { lastSuccessAt: NOW }]]),
      new Map([
        [
          'component:default/ok',
          // Thursday noon and Saturday midnight, in Alice's turn of 23–30 Nov.
          [NOW.getTime() - 96 * H, NOW.getTime() - 60 * H],
        ],
      ]),
    );
    const fact = result.get('component:default/ok');
    expect(fact).toEqual({
      value: {
        name: 'on-call.pages-per-12h-max',
        value: 0.14,
        source: 'pages: file; turns: schedule:default/sched',
        collectedAt: NOW.toISOString(),
        evidence: [
          {
            kind: 'shift',
            text: 'busiest primary shift: Alice (user:default/alice), Mon 23 Nov 09:00 – Mon 30 Nov 09:00 UTC: 2 pages (1 off-hours) in 168 h on call = 0.14 per 12 h (limit 2)',
            source: 'schedule:default/sched',
          },
          {
            kind: 'pages',
            text: '2 pages in the last 28 days (1 off-hours)',
            source: 'file',
          },
        ],
      },
    });
  });
});
