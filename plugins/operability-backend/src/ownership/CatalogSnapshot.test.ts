import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CatalogSnapshot } from './CatalogSnapshot';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'team' },
});

function fakeCatalog(state: { entities: Entity[]; fail?: boolean }) {
  const streamEntities = jest.fn(async function* stream(request: any) {
    if (state.fail) throw new Error('catalog down');
    const kinds: string[] = request.filter.kind;
    yield state.entities.filter(e => kinds.includes(e.kind));
  });
  return {
    catalog: { streamEntities } as unknown as CatalogService,
    streamEntities,
  };
}

function snapshotOver(catalog: CatalogService, ttlMs = 60_000) {
  return new CatalogSnapshot({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    ttlMs,
  });
}

describe('CatalogSnapshot', () => {
  it('reads in three batched streams and serves from memory within the TTL', async () => {
    const state = { entities: [component('a')] };
    const { catalog, streamEntities } = fakeCatalog(state);
    const snapshot = snapshotOver(catalog);
    const [first, second] = await Promise.all([snapshot.get(), snapshot.get()]);
    expect(first).toBe(second);
    expect(streamEntities).toHaveBeenCalledTimes(3);
    expect(first.byRef.has('component:default/a')).toBe(true);
    await snapshot.get();
    expect(streamEntities).toHaveBeenCalledTimes(3);
  });

  it('reloads when asked for a younger snapshot', async () => {
    const state = { entities: [component('a')] };
    const { catalog } = fakeCatalog(state);
    const snapshot = snapshotOver(catalog);
    await snapshot.get();
    state.entities.push(component('b'));
    expect((await snapshot.get()).byRef.has('component:default/b')).toBe(false);
    await new Promise(r => setTimeout(r, 5));
    expect(
      (await snapshot.get({ maxAgeMs: 1 })).byRef.has('component:default/b'),
    ).toBe(true);
  });

  it('keeps serving the last good snapshot when the catalog fails', async () => {
    const state: { entities: Entity[]; fail?: boolean } = {
      entities: [component('a')],
    };
    const { catalog } = fakeCatalog(state);
    const snapshot = snapshotOver(catalog, 1);
    const good = await snapshot.get();
    state.fail = true;
    await new Promise(r => setTimeout(r, 5));
    expect(await snapshot.get()).toBe(good);
  });

  it('fails when the catalog fails before any good read', async () => {
    const { catalog } = fakeCatalog({ entities: [], fail: true });
    await expect(snapshotOver(catalog).get()).rejects.toThrow('catalog down');
  });
});
