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

function snapshotOver(
  catalog: CatalogService,
  ttlMs = 60_000,
  readTimeoutMs?: number,
) {
  return new CatalogSnapshot({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    ttlMs,
    readTimeoutMs,
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

  it('says when a reload failed and it served the last good snapshot, and why', async () => {
    const state: { entities: Entity[]; fail?: boolean } = {
      entities: [component('a')],
    };
    const { catalog } = fakeCatalog(state);
    const snapshot = snapshotOver(catalog);
    const good = await snapshot.get({ maxAgeMs: 0 });
    expect(good.stale).toBeUndefined();
    state.fail = true;
    const served = await snapshot.get({ maxAgeMs: 0 });
    expect(served.entities).toBe(good.entities);
    expect(served.stale).toEqual({
      since: good.loadedAt.toISOString(),
      reason: 'Catalog read failed: catalog down',
    });
    // Other callers see the snapshot kept, unmarked.
    expect(snapshot.peek()).toBe(good);
    expect((await snapshot.get()).stale).toBeUndefined();
    state.fail = false;
    expect((await snapshot.get({ maxAgeMs: 0 })).stale).toBeUndefined();
  });

  it('names the causes of a failed read', async () => {
    const state = { entities: [component('a')], fail: false };
    const streamEntities = jest.fn(async function* stream(request: any) {
      if (state.fail) {
        throw new TypeError('fetch failed', {
          cause: new Error('connect ECONNREFUSED 127.0.0.1:7007'),
        });
      }
      const kinds: string[] = request.filter.kind;
      yield state.entities.filter(e => kinds.includes(e.kind));
    });
    const snapshot = snapshotOver({ streamEntities } as any);
    await snapshot.get({ maxAgeMs: 0 });
    state.fail = true;
    expect((await snapshot.get({ maxAgeMs: 0 })).stale?.reason).toBe(
      'Catalog read failed: fetch failed: connect ECONNREFUSED 127.0.0.1:7007',
    );
  });

  it('gives up a read that takes longer than the read timeout', async () => {
    const state = { entities: [component('a')], slowMs: 0 };
    const streamEntities = jest.fn(async function* stream(request: any) {
      await new Promise(r => setTimeout(r, state.slowMs));
      const kinds: string[] = request.filter.kind;
      yield state.entities.filter(e => kinds.includes(e.kind));
    });
    const snapshot = snapshotOver({ streamEntities } as any, 60_000, 50);
    const good = await snapshot.get({ maxAgeMs: 0 });
    state.slowMs = 1_000;
    state.entities = [component('b')];
    const started = Date.now();
    const served = await snapshot.get({ maxAgeMs: 0 });
    expect(Date.now() - started).toBeLessThan(500);
    expect(served.entities).toBe(good.entities);
    expect(served.stale?.reason).toBe(
      'Catalog read failed: timed out after 50 ms',
    );
    // The read given up does not replace the snapshot when it ends.
    await new Promise(r => setTimeout(r, 1_100));
    expect(snapshot.peek()).toBe(good);
  });

  it('takes an answer with items that are not entities as a failed read', async () => {
    const state = { garbage: false };
    const streamEntities = jest.fn(async function* stream(request: any) {
      const kinds: string[] = request.filter.kind;
      if (state.garbage) {
        yield [
          '<html>',
          null,
          { kind: 'Component', metadata: {} },
          component('a'),
        ] as any;
        return;
      }
      yield [component('a')].filter(e => kinds.includes(e.kind));
    });
    const snapshot = snapshotOver({ streamEntities } as any);
    const good = await snapshot.get({ maxAgeMs: 0 });
    state.garbage = true;
    const served = await snapshot.get({ maxAgeMs: 0 });
    expect(served.entities).toBe(good.entities);
    expect(served.stale?.reason).toMatch(
      /^Catalog read failed: the catalog answered 3 items that are not entities/,
    );
  });
});
