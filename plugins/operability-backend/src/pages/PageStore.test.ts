import { mockServices } from '@backstage/backend-test-utils';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabasePageStore } from './PageStore';

const databases = createTestDatabases();

const A = 'component:default/a';
const B = 'component:default/b';

describe.each(databases.eachSupportedId())('DatabasePageStore (%s)', id => {
  async function createStore() {
    const knex = await databases.init(id);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    // The plugin's store runs the migrations.
    await DatabaseOperabilityStore.create({ database });
    return DatabasePageStore.create({ database });
  }

  it('upserts pages and reads a window back, oldest first', async () => {
    const store = await createStore();
    await store.upsertPages('pagerduty', [
      { id: 'P2', entityRef: A, at: '2026-03-02T12:00:00Z', title: 'two' },
      {
        id: 'P1',
        entityRef: A,
        at: '2026-03-01T12:00:00Z',
        title: 'one',
        acknowledgedAt: '2026-03-01T12:05:00Z',
        url: 'https://pd/incidents/P1',
      },
      { id: 'P1', entityRef: B, at: '2026-03-01T12:00:00Z', title: 'one' },
      { id: 'bad', entityRef: B, at: 'not a date', title: 'skipped' },
    ]);
    // Collected again: acknowledged and resolved since.
    await store.upsertPages('pagerduty', [
      {
        id: 'P1',
        entityRef: A,
        at: '2026-03-01T12:00:00Z',
        title: 'one (renamed)',
        acknowledgedAt: '2026-03-01T12:05:00Z',
        resolvedAt: '2026-03-01T13:00:00Z',
      },
    ]);
    // Resolved since: PagerDuty no longer lists the acknowledgement.
    await store.upsertPages('pagerduty', [
      {
        id: 'P1',
        entityRef: A,
        at: '2026-03-01T12:00:00Z',
        title: 'one (renamed)',
        resolvedAt: '2026-03-01T13:00:00Z',
      },
    ]);
    await store.upsertPages('file', [
      { id: 'r1', entityRef: A, at: '2026-03-01T00:00:00Z', title: 'file' },
    ]);

    const pages = await store.pages(
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-03-02T12:00:00Z'),
      [A],
    );
    expect(pages).toEqual([
      {
        source: 'file',
        id: 'r1',
        entityRef: A,
        at: new Date('2026-03-01T00:00:00Z'),
        title: 'file',
      },
      {
        source: 'pagerduty',
        id: 'P1',
        entityRef: A,
        at: new Date('2026-03-01T12:00:00Z'),
        title: 'one (renamed)',
        acknowledgedAt: new Date('2026-03-01T12:05:00Z'),
        resolvedAt: new Date('2026-03-01T13:00:00Z'),
      },
    ]);
    const all = await store.pages(
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-04-01T00:00:00Z'),
    );
    expect(all.map(p => `${p.source}/${p.id}/${p.entityRef}`)).toEqual([
      `file/r1/${A}`,
      `pagerduty/P1/${A}`,
      `pagerduty/P1/${B}`,
      `pagerduty/P2/${A}`,
    ]);
    // Many refs: read whole, filtered here.
    const many = Array.from(
      { length: 3000 },
      (_, i) => `component:default/x${i}`,
    );
    expect(
      (
        await store.pages(
          new Date('2026-01-01T00:00:00Z'),
          new Date('2026-04-01T00:00:00Z'),
          [...many, B],
        )
      ).map(p => p.entityRef),
    ).toEqual([B]);
  });

  it('replaces turns after the collected point and reads overlapping ones', async () => {
    const store = await createStore();
    const alice = { ref: 'user:default/alice', title: 'Alice' };
    const bob = { ref: 'user:default/bob' };
    await store.replaceTurns(
      'pagerduty',
      new Date('2026-03-01T00:00:00Z'),
      new Map([
        [
          A,
          [
            {
              start: '2026-02-23T09:00:00Z',
              end: '2026-03-02T09:00:00Z',
              primary: alice,
            },
            {
              start: '2026-03-02T09:00:00Z',
              end: '2026-03-09T09:00:00Z',
              primary: bob,
            },
          ],
        ],
      ]),
    );
    // The next collection, from 5 March: bob's turn was cut short by an override.
    await store.replaceTurns(
      'pagerduty',
      new Date('2026-03-05T00:00:00Z'),
      new Map([
        [
          A,
          [
            {
              start: '2026-03-02T09:00:00Z',
              end: '2026-03-06T09:00:00Z',
              primary: bob,
            },
            {
              start: '2026-03-06T09:00:00Z',
              end: '2026-03-09T09:00:00Z',
              primary: null,
            },
          ],
        ],
      ]),
    );
    const turns = await store.turns(
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-03-10T00:00:00Z'),
      [A, B],
    );
    expect(
      turns.map(t => [t.start.toISOString(), t.end.toISOString(), t.primary]),
    ).toEqual([
      ['2026-02-23T09:00:00.000Z', '2026-03-02T09:00:00.000Z', alice],
      ['2026-03-02T09:00:00.000Z', '2026-03-06T09:00:00.000Z', bob],
      ['2026-03-06T09:00:00.000Z', '2026-03-09T09:00:00.000Z', null],
    ]);
  });

  it('records collection state: successes move on, failures keep the point', async () => {
    const store = await createStore();
    expect(await store.sourceStates()).toEqual(new Map());
    await store.recordFailure('file', new Date('2026-03-01T00:00:00Z'), 'boom');
    expect((await store.sourceStates()).get('file')).toEqual({
      source: 'file',
      collectedUntil: undefined,
      lastSuccessAt: undefined,
      lastAttemptAt: new Date('2026-03-01T00:00:00Z'),
      lastError: 'boom',
      entityErrors: new Map(),
    });
    await store.recordSuccess(
      'file',
      new Date('2026-03-01T00:05:00Z'),
      new Date('2026-03-01T00:05:01Z'),
      new Map([[A, 'unknown service']]),
    );
    await store.recordFailure(
      'file',
      new Date('2026-03-01T00:10:00Z'),
      'again',
    );
    expect((await store.sourceStates()).get('file')).toEqual({
      source: 'file',
      collectedUntil: new Date('2026-03-01T00:05:00Z'),
      lastSuccessAt: new Date('2026-03-01T00:05:01Z'),
      lastAttemptAt: new Date('2026-03-01T00:10:00Z'),
      lastError: 'again',
      entityErrors: new Map([[A, 'unknown service']]),
    });
    await store.recordSuccess(
      'file',
      new Date('2026-03-01T00:15:00Z'),
      new Date('2026-03-01T00:15:00Z'),
    );
    const state = (await store.sourceStates()).get('file')!;
    expect(state.lastError).toBeUndefined();
    expect(state.entityErrors.size).toBe(0);
  });

  it('keeps a watermark per source and entity', async () => {
    const store = await createStore();
    await store.setWatermarks('file', [A, B], new Date('2026-03-01T00:00:00Z'));
    await store.setWatermarks('file', [A], new Date('2026-03-02T00:00:00Z'));
    await store.setWatermarks(
      'pagerduty',
      [B],
      new Date('2026-03-03T00:00:00Z'),
    );
    expect(await store.watermarks('file')).toEqual(
      new Map([
        [A, new Date('2026-03-02T00:00:00Z')],
        [B, new Date('2026-03-01T00:00:00Z')],
      ]),
    );
    expect(await store.watermarks('prometheus')).toEqual(new Map());
  });

  it('stores many rows at once: pages, turns and watermarks', async () => {
    const store = await createStore();
    const refs = Array.from(
      { length: 2500 },
      (_, i) => `component:default/s${i}`,
    );
    await store.upsertPages(
      'file',
      refs.map((entityRef, i) => ({
        id: `p${i}`,
        entityRef,
        at: new Date(Date.UTC(2026, 2, 1) + i * 1000).toISOString(),
        title: 'page',
      })),
    );
    await store.replaceTurns(
      'file',
      new Date(0),
      new Map(
        refs.map(ref => [
          ref,
          [
            {
              start: '2026-03-01T00:00:00Z',
              end: '2026-03-08T00:00:00Z',
              primary: null,
            },
          ],
        ]),
      ),
    );
    await store.setWatermarks('file', refs, new Date('2026-03-02T00:00:00Z'));
    const range = [new Date(0), new Date('2027-01-01T00:00:00Z')] as const;
    expect(await store.pages(...range)).toHaveLength(2500);
    expect(await store.turns(...range)).toHaveLength(2500);
    expect((await store.watermarks('file')).size).toBe(2500);
    const instants = await store.pageInstants(...range, refs.slice(0, 3));
    expect(instants).toEqual(
      new Map([
        [refs[0], [Date.UTC(2026, 2, 1)]],
        [refs[1], [Date.UTC(2026, 2, 1) + 1000]],
        [refs[2], [Date.UTC(2026, 2, 1) + 2000]],
      ]),
    );
  });

  it('prunes pages and turns older than the retention', async () => {
    const store = await createStore();
    await store.upsertPages('file', [
      { id: 'old', entityRef: A, at: '2026-01-01T00:00:00Z', title: 'old' },
      { id: 'new', entityRef: A, at: '2026-03-01T00:00:00Z', title: 'new' },
    ]);
    await store.replaceTurns(
      'file',
      new Date(0),
      new Map([
        [
          A,
          [
            {
              start: '2025-12-01T00:00:00Z',
              end: '2026-01-02T00:00:00Z',
              primary: null,
            },
            {
              start: '2026-02-01T00:00:00Z',
              end: '2026-03-02T00:00:00Z',
              primary: null,
            },
          ],
        ],
      ]),
    );
    expect(await store.prune(new Date('2026-02-01T00:00:00Z'))).toBe(1);
    const range = [new Date(0), new Date('2027-01-01T00:00:00Z')] as const;
    expect((await store.pages(...range)).map(p => p.id)).toEqual(['new']);
    expect(await store.turns(...range)).toHaveLength(1);
  });
});
