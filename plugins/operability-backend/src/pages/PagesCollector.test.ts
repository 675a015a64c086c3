import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { PageSource } from '@opsready/plugin-operability-node';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { PagesCollector } from './PagesCollector';
import { DatabasePageStore } from './PageStore';

const databases = createTestDatabases();
const DAY = 86_400_000;

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
});

/** A source that records what it is asked and answers one page per entity per call. */
function fakeSource(id = 'fake') {
  const calls: { refs: string[]; since: Date; until: Date }[] = [];
  const source: PageSource & {
    calls: typeof calls;
    fail?: string;
    hang?: boolean;
    entityErrors?: Map<string, string>;
  } = {
    id,
    calls,
    covers: e => e.metadata.name !== 'uncovered',
    async collect({ entities, since, until }) {
      const refs = entities.map(e => `component:default/${e.metadata.name}`);
      calls.push({ refs, since, until });
      if (source.hang) await new Promise(() => {});
      if (source.fail) throw new Error(source.fail);
      return {
        pages: refs.map(entityRef => ({
          id: `${entityRef}@${until.toISOString()}`,
          entityRef,
          at: new Date(until.getTime() - 60_000).toISOString(),
          title: 'page',
        })),
        turns: new Map([
          [
            refs[0],
            [
              {
                start: since.toISOString(),
                end: until.toISOString(),
                primary: { ref: 'user:default/alice' },
              },
            ],
          ],
        ]),
        ...(source.entityErrors ? { errors: source.entityErrors } : {}),
      };
    },
  };
  return source;
}

describe.each(databases.eachSupportedId())('PagesCollector (%s)', id => {
  async function setup(sources: PageSource[], entities: Entity[]) {
    const knex = await databases.init(id);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    await DatabaseOperabilityStore.create({ database });
    const store = await DatabasePageStore.create({ database });
    const collector = new PagesCollector({
      sources,
      store,
      entities: async () => entities,
      retentionMs: 90 * DAY,
      lookbackMs: DAY,
      timeoutMs: 500,
      logger: mockServices.logger.mock(),
    });
    return { store, collector };
  }

  it('asks from the retention first, then only from the last point (less the look-back)', async () => {
    const source = fakeSource();
    const entities = [component('a'), component('b'), component('uncovered')];
    const { store, collector } = await setup([source], entities);
    const t0 = new Date('2026-11-30T00:00:00Z');
    const first = await collector.run(t0);
    expect(first.sources.fake).toMatchObject({ entities: 2, pages: 2 });
    expect(source.calls).toEqual([
      {
        refs: ['component:default/a', 'component:default/b'],
        since: new Date(t0.getTime() - 90 * DAY),
        until: t0,
      },
    ]);
    // A new entity in the catalog: asked from the retention, the others from t0 - 1 day.
    entities.push(component('c'));
    const t1 = new Date(t0.getTime() + 5 * 60_000);
    await collector.run(t1);
    expect(source.calls.slice(1)).toEqual([
      {
        refs: ['component:default/c'],
        since: new Date(t1.getTime() - 90 * DAY),
        until: t1,
      },
      {
        refs: ['component:default/a', 'component:default/b'],
        since: new Date(t0.getTime() - DAY),
        until: t1,
      },
    ]);
    const pages = await store.pages(new Date(0), new Date(t1.getTime() + 1));
    expect(pages).toHaveLength(5);
    expect(await store.turns(new Date(0), t1)).toHaveLength(2);
    const state = (await store.sourceStates()).get('fake')!;
    expect(state.lastSuccessAt).toEqual(t1);
    expect(state.lastError).toBeUndefined();
  });

  it('keeps the point after a failure and asks again from it; the others go on', async () => {
    const broken = fakeSource('broken');
    const good = fakeSource('good');
    const { store, collector } = await setup([broken, good], [component('a')]);
    const t0 = new Date('2026-11-30T00:00:00Z');
    await collector.run(t0);
    broken.fail = 'upstream 503';
    const t1 = new Date(t0.getTime() + 3600_000);
    const summary = await collector.run(t1);
    expect(summary.sources.broken.error).toBe('upstream 503');
    expect(summary.sources.good.error).toBeUndefined();
    const states = await store.sourceStates();
    expect(states.get('broken')).toMatchObject({
      lastSuccessAt: t0,
      lastAttemptAt: t1,
      lastError: 'upstream 503',
    });
    broken.fail = undefined;
    const t2 = new Date(t1.getTime() + 3600_000);
    await collector.run(t2);
    expect(broken.calls[2].since).toEqual(new Date(t0.getTime() - DAY));
    expect(
      (await store.sourceStates()).get('broken')!.lastError,
    ).toBeUndefined();
  });

  it('gives up on a source that does not answer in time', async () => {
    const source = fakeSource();
    source.hang = true;
    const { store, collector } = await setup([source], [component('a')]);
    const summary = await collector.run(new Date('2026-11-30T00:00:00Z'));
    expect(summary.sources.fake.error).toBe(
      'page source fake did not answer within 1 s',
    );
    expect(
      (await store.sourceStates()).get('fake')!.lastSuccessAt,
    ).toBeUndefined();
  });

  it('records entities a source could not answer for and asks them again from the same point', async () => {
    const source = fakeSource();
    source.entityErrors = new Map([
      ['component:default/b', 'no PagerDuty service PXXX'],
    ]);
    const { store, collector } = await setup(
      [source],
      [component('a'), component('b')],
    );
    const t0 = new Date('2026-11-30T00:00:00Z');
    await collector.run(t0);
    expect((await store.sourceStates()).get('fake')!.entityErrors).toEqual(
      new Map([['component:default/b', 'no PagerDuty service PXXX']]),
    );
    expect(await store.watermarks('fake')).toEqual(
      new Map([['component:default/a', t0]]),
    );
  });

  it('deletes pages past the retention', async () => {
    const source = fakeSource();
    const { store, collector } = await setup([source], [component('a')]);
    await store.upsertPages('fake', [
      {
        id: 'old',
        entityRef: 'component:default/a',
        at: '2026-01-01T00:00:00Z',
        title: 'old',
      },
    ]);
    const summary = await collector.run(new Date('2026-11-30T00:00:00Z'));
    expect(summary.pruned).toBe(1);
  });
});
