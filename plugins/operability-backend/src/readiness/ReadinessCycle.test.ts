import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { Level } from '@opsready/plugin-operability-common';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type {
  FactProvider,
  OnCallProvider,
} from '@opsready/plugin-operability-node';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import type {
  CycleWriteBatch,
  OperabilityStore,
} from '../database/OperabilityStore';
import { OnCallService } from '../oncall/OnCallService';
import { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import { ScheduleOnCallProvider } from '../oncall/ScheduleOnCallProvider';
import type { CatalogSnapshot, Snapshot } from '../ownership/CatalogSnapshot';
import { buildOrgIndex } from '../ownership/orgIndex';
import { compileRubric, evaluate } from './evaluator/evaluate';
import { EntityEvaluator, ReadinessCycle } from './ReadinessCycle';
import { createTestDatabases } from '../__testUtils__/databases';

const databases = createTestDatabases();

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', description: 'a service' },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
});

function fakeSnapshot(entities: Entity[]) {
  const state: { entities: Entity[]; stale?: Snapshot['stale'] } = {
    entities,
  };
  const load = (): Snapshot => ({
    org: buildOrgIndex([], []),
    entities: state.entities,
    byRef: new Map(state.entities.map(e => [entityRefOf(e), e])),
    schedules: new Map(),
    loadedAt: new Date(),
    ...(state.stale ? { stale: state.stale } : {}),
  });
  const snapshot = {
    async get(): Promise<Snapshot> {
      return load();
    },
    peek: load,
  } as unknown as CatalogSnapshot;
  return { snapshot, state };
}

/** The on-call service as the plugin builds it: the given providers, then schedules. */
function onCallService(
  store: OperabilityStore,
  snapshot: CatalogSnapshot,
  providers: OnCallProvider[] = [],
  clock?: () => Date,
) {
  return new OnCallService({
    providers: [
      ...providers,
      new ScheduleOnCallProvider({
        scheduleOnCall: new ScheduleOnCall(),
        snapshot,
      }),
    ],
    store,
    snapshot,
    logger: mockServices.logger.mock(),
    requestBudgetMs: 1_500,
    clock,
  });
}

/** A provider whose answers the test sets, or makes fail. */
function controllableProvider() {
  const control: {
    value: number;
    fail?: string;
    /** Problems with single entities' inputs, by entity ref. */
    errors?: Map<string, string>;
  } = { value: 1 };
  const provider: FactProvider = {
    id: 'metrics',
    facts: [{ name: 'metrics.value', type: 'number', description: 'test' }],
    async collect({ entities }) {
      if (control.fail) throw new Error(control.fail);
      return {
        facts: new Map(
          entities.map(e => [
            entityRefOf(e),
            [
              {
                name: 'metrics.value',
                value: control.value,
                source: 'fake',
                collectedAt: new Date().toISOString(),
              },
            ],
          ]),
        ),
        errors: control.errors,
      };
    },
  };
  return { provider, control };
}

/** Score = the metric, or 0 when unknown; the evaluator's inputs are recorded. */
function recordingEvaluator() {
  const seen: { ref: string; facts: Map<string, any> }[] = [];
  const evaluateEntity: EntityEvaluator = (entity, facts, _exemptions, now) => {
    seen.push({ ref: entityRefOf(entity), facts: new Map(facts) });
    const metric = facts.get('metrics.value');
    const score = typeof metric?.value === 'number' ? metric.value : 0;
    const level: Level = score >= 50 ? 'silver' : 'none';
    return { score, level, evaluatedAt: now.toISOString(), checks: [] };
  };
  return { evaluateEntity, seen };
}

describe.each(databases.eachSupportedId())(
  'ReadinessCycle (%s)',
  databaseId => {
    async function setup(entities: Entity[]) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseOperabilityStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const { snapshot, state } = fakeSnapshot(entities);
      const { provider, control } = controllableProvider();
      const { evaluateEntity, seen } = recordingEvaluator();
      const events = mockServices.events.mock();
      let now = new Date('2026-03-02T10:00:00Z');
      const cycle = new ReadinessCycle({
        store,
        snapshot,
        onCall: onCallService(store, snapshot, [], () => now),
        factProviders: [provider],
        evaluate: evaluateEntity,
        logger: mockServices.logger.mock(),
        events,
        providerTimeoutMs: 30_000,
        historyRetentionMs: 365 * 86_400_000,
        clock: () => now,
      });
      const history = (name: string) =>
        store.history(
          `component:default/${name}`,
          new Date(0),
          new Date('2030-01-01T00:00:00Z'),
        );
      return {
        knex,
        store,
        cycle,
        state,
        control,
        seen,
        events,
        history,
        setNow: (iso: string) => {
          now = new Date(iso);
        },
      };
    }

    it('stores reports and one history point per change, plus a daily point', async () => {
      const t = await setup([component('a'), component('b')]);
      t.control.value = 40;
      await t.cycle.run();
      expect((await t.store.getReport('component:default/a'))!.score).toBe(40);
      expect(await t.history('a')).toHaveLength(1);

      t.setNow('2026-03-02T10:05:00Z');
      await t.cycle.run();
      expect(await t.history('a')).toHaveLength(1); // no change

      t.control.value = 60;
      t.setNow('2026-03-02T10:10:00Z');
      await t.cycle.run();
      expect((await t.history('a')).map(p => [p.score, p.level])).toEqual([
        [40, 'none'],
        [60, 'silver'],
      ]);

      t.setNow('2026-03-03T00:01:00Z');
      await t.cycle.run();
      expect(await t.history('a')).toHaveLength(3); // first cycle of a new day
      t.setNow('2026-03-03T00:06:00Z');
      await t.cycle.run();
      expect(await t.history('a')).toHaveLength(3);
    });

    it('writes nothing again when nothing changed, but dates every report', async () => {
      const t = await setup([component('a'), component('b')]);
      await t.cycle.run();
      // What the cycle hands the store, batches included.
      const rows = { facts: 0, reports: 0, historyPoints: 0 };
      const count = (batch: CycleWriteBatch) => {
        rows.facts += batch.facts.length;
        rows.reports += batch.reports.length;
        rows.historyPoints += batch.historyPoints.length;
      };
      const realWrite = t.store.writeCycle.bind(t.store);
      jest.spyOn(t.store, 'writeCycle').mockImplementation(async write => {
        count(write);
        const batches = write.batches;
        return realWrite({
          ...write,
          batches: (async function* counted() {
            for await (const batch of batches ?? []) {
              count(batch);
              yield batch;
            }
          })(),
        });
      });
      t.setNow('2026-03-02T10:05:00Z');
      const summary = await t.cycle.run();
      expect(summary.reportsChanged).toBe(0);
      expect(rows).toEqual({ facts: 0, reports: 0, historyPoints: 0 });
      const report = await t.store.getReport('component:default/a');
      expect(report!.evaluatedAt).toEqual(new Date('2026-03-02T10:05:00Z'));
      expect(report!.readiness.evaluatedAt).toBe('2026-03-02T10:05:00.000Z');
    });

    it('does not serialise again a report whose inputs are the ones its stored hash was made from', async () => {
      const withEtag = (name: string, etag: string): Entity => {
        const entity = component(name);
        entity.metadata.etag = etag;
        return entity;
      };
      const t = await setup([]);
      const catalog = fakeSnapshot([withEtag('a', 'e1')]);
      // An evaluator whose message says how often it ran: a report that is
      // serialised again is written again.
      let evaluations = 0;
      const cycle = () =>
        new ReadinessCycle({
          store: t.store,
          snapshot: catalog.snapshot,
          onCall: onCallService(t.store, catalog.snapshot),
          factProviders: [controllableProvider().provider],
          evaluate: (_entity, _facts, _exemptions, now) => ({
            score: 10,
            level: 'none',
            evaluatedAt: now.toISOString(),
            checks: [
              {
                id: 'a.x',
                title: 'x',
                category: 'a',
                level: 'bronze',
                weight: 1,
                status: 'pass',
                message: `evaluation ${++evaluations}`,
                evidence: [],
              },
            ],
          }),
          logger: mockServices.logger.mock(),
          providerTimeoutMs: 30_000,
          historyRetentionMs: 365 * 86_400_000,
        });
      const message = async () =>
        (await t.store.getReport('component:default/a'))!.readiness.checks[0]
          .message;
      const running = cycle();
      expect((await running.run()).reportsChanged).toBe(1);
      expect(await message()).toBe('evaluation 1');
      // Same facts, same entity: confirmed from the memo, not rewritten.
      expect((await running.run()).reportsChanged).toBe(0);
      expect(await message()).toBe('evaluation 1');
      // The entity changed (its etag): serialised, hashed and written.
      catalog.state.entities = [withEtag('a', 'e2')];
      expect((await running.run()).reportsChanged).toBe(1);
      expect(await message()).toBe('evaluation 3');
      expect((await running.run()).reportsChanged).toBe(0);
      // Another process has no memo: it compares the hash of what it evaluated.
      expect((await cycle().run()).reportsChanged).toBe(1);
      expect(await message()).toBe('evaluation 5');
    });

    it('keeps the last good facts of a failing provider, marked stale with the reason', async () => {
      const t = await setup([component('a')]);
      t.control.value = 70;
      await t.cycle.run();
      t.control.fail = 'connection refused';
      t.setNow('2026-03-02T10:05:00Z');
      const summary = await t.cycle.run();
      expect(summary.failures).toEqual({ metrics: 'connection refused' });
      expect(summary.unknownFacts.metrics).toBe(1);
      const facts = t.seen[t.seen.length - 1].facts;
      expect(facts.get('metrics.value')).toMatchObject({
        value: 70,
        staleReason: 'connection refused',
      });
      // Catalog facts still come fresh.
      expect(facts.get('catalog.description')).toMatchObject({ value: true });
      expect(facts.get('catalog.description').staleReason).toBeUndefined();
      // The score did not drop: nothing already stored is lost.
      expect((await t.store.getReport('component:default/a'))!.score).toBe(70);
      const runs = await t.store.loadProviderRuns();
      expect(runs.find(r => r.provider === 'metrics')).toMatchObject({
        lastError: 'connection refused',
      });
    });

    it('keeps the last good facts across a restart (they are stored)', async () => {
      const t = await setup([component('a')]);
      t.control.value = 80;
      await t.cycle.run();
      const restarted = new ReadinessCycle({
        ...(t.cycle as any).options,
        factProviders: [
          {
            id: 'metrics',
            facts: [],
            collect: async () => Promise.reject(new Error('still down')),
          },
        ],
      });
      await restarted.run();
      expect(
        t.seen[t.seen.length - 1].facts.get('metrics.value'),
      ).toMatchObject({
        value: 80,
        staleReason: 'still down',
      });
    });

    it('does not rewrite a report only because a stale fact got older', async () => {
      const t = await setup([component('a')]);
      const rubric = compileRubric({
        checks: [
          {
            id: 'metrics.set',
            title: 'A metric is set',
            category: 'metrics',
            level: 'bronze',
            weight: 1,
            description: 'why',
            remediation: 'how',
            condition: { fact: 'metrics.value', operator: 'exists' },
          },
        ],
        maxFactAgeMs: 86_400_000,
      });
      const cycle = new ReadinessCycle({
        ...(t.cycle as any).options,
        evaluate: (entity, facts, exemptions, now) =>
          evaluate(entity, facts, rubric, exemptions, now),
      });
      await cycle.run();
      t.control.fail = 'connection refused';
      t.setNow('2026-03-02T10:05:00Z');
      // The check now says its fact is stale: a change.
      expect((await cycle.run()).reportsChanged).toBe(1);
      t.setNow('2026-03-02T10:10:00Z');
      // Only the age in its message grew: no change.
      expect((await cycle.run()).reportsChanged).toBe(0);
      const [check] = (await t.store.getReport('component:default/a'))!
        .readiness.checks;
      expect(check).toMatchObject({
        status: 'pass',
        message: expect.stringContaining('is from 5m ago because'),
        stale: {
          since: '2026-03-02T10:00:00.000Z',
          reason: 'connection refused',
        },
      });
    });

    it('leaves facts absent when a provider never delivered them', async () => {
      const t = await setup([component('a')]);
      t.control.fail = 'timeout';
      await t.cycle.run();
      expect(t.seen[0].facts.has('metrics.value')).toBe(false);
      expect((await t.store.getReport('component:default/a'))!.score).toBe(0);
    });

    it("shows a provider's problem with one entity on that entity's report until it is fixed", async () => {
      const t = await setup([component('a'), component('b')]);
      t.control.errors = new Map([
        [
          'component:default/a',
          'rules/a.yaml:3: bad indentation of a mapping entry',
        ],
      ]);
      await t.cycle.run();
      const a = await t.store.getReport('component:default/a');
      expect(a!.readiness.problems).toEqual([
        {
          provider: 'metrics',
          message: 'rules/a.yaml:3: bad indentation of a mapping entry',
        },
      ]);
      const b = await t.store.getReport('component:default/b');
      expect(b!.readiness.problems).toBeUndefined();

      t.control.errors = undefined;
      t.setNow('2026-03-02T10:05:00Z');
      const summary = await t.cycle.run();
      expect(summary.reportsChanged).toBe(1);
      const fixed = await t.store.getReport('component:default/a');
      expect(fixed!.readiness.problems).toBeUndefined();
    });

    it("keeps a failing provider's last success in its run", async () => {
      const t = await setup([component('a')]);
      await t.cycle.run();
      t.control.fail = 'connection refused';
      t.setNow('2026-03-02T10:05:00Z');
      await t.cycle.run();
      const runs = await t.store.loadProviderRuns();
      expect(runs.find(r => r.provider === 'metrics')).toEqual({
        provider: 'metrics',
        lastAttemptAt: new Date('2026-03-02T10:05:00Z'),
        lastSuccessAt: new Date('2026-03-02T10:00:00Z'),
        lastError: 'connection refused',
      });
      // After a restart during the outage, kept facts are still dated by it.
      t.setNow('2026-03-02T10:10:00Z');
      const restarted = new ReadinessCycle({ ...(t.cycle as any).options });
      await restarted.run();
      expect(
        t.seen[t.seen.length - 1].facts.get('metrics.value'),
      ).toMatchObject({
        collectedAt: '2026-03-02T10:00:00.000Z',
        staleReason: 'connection refused',
      });
    });

    it("keeps an entity's last good facts when its own input fails, stale since they were last good, across a restart too", async () => {
      const t = await setup([component('a'), component('b')]);
      t.control.value = 70;
      await t.cycle.run();
      const problem = 'rules/a.yaml cannot be read: HTTP 503';
      t.control.errors = new Map([['component:default/a', problem]]);
      t.control.value = 10;
      t.setNow('2026-03-02T10:05:00Z');
      await t.cycle.run();
      const factsOf = (ref: string) =>
        t.seen.filter(x => x.ref === ref).pop()!.facts;
      expect(factsOf('component:default/a').get('metrics.value')).toEqual({
        value: 70,
        source: 'fake',
        collectedAt: '2026-03-02T10:00:00.000Z',
        staleReason: problem,
      });
      expect(factsOf('component:default/b').get('metrics.value')).toMatchObject(
        { value: 10 },
      );
      expect(
        factsOf('component:default/b').get('metrics.value').staleReason,
      ).toBeUndefined();
      // Nothing lost: the score stays, the problem shows, the provider ran well.
      const a = (await t.store.getReport('component:default/a'))!;
      expect(a.score).toBe(70);
      expect(a.readiness.problems).toEqual([
        { provider: 'metrics', message: problem },
      ]);
      expect(await t.history('a')).toHaveLength(1);
      expect(
        (await t.store.loadProviderRuns()).find(r => r.provider === 'metrics'),
      ).toMatchObject({ lastError: null });

      // Still failing, after a restart: still stale since 10:00.
      t.setNow('2026-03-02T10:10:00Z');
      await new ReadinessCycle({ ...(t.cycle as any).options }).run();
      expect(factsOf('component:default/a').get('metrics.value')).toMatchObject(
        {
          value: 70,
          collectedAt: '2026-03-02T10:00:00.000Z',
        },
      );

      // Fixed: fresh facts again, the mark gone from the store.
      t.control.errors = undefined;
      t.setNow('2026-03-02T10:15:00Z');
      await t.cycle.run();
      expect(factsOf('component:default/a').get('metrics.value')).toMatchObject(
        { value: 10 },
      );
      const stored = (await t.store.loadFacts()).find(
        f => f.provider === 'metrics' && f.entityRef === 'component:default/a',
      );
      expect(stored!.staleSince).toBeUndefined();
    });

    it('takes a snapshot served after a failed catalog read as a failure of the catalog provider', async () => {
      const t = await setup([component('a')]);
      await t.cycle.run();
      const reason = 'Catalog read failed: timed out after 1500 ms';
      t.state.stale = { since: '2026-03-02T09:59:00.000Z', reason };
      t.setNow('2026-03-02T10:05:00Z');
      const summary = await t.cycle.run();
      expect(summary.failures).toEqual({ catalog: reason });
      expect(
        t.seen[t.seen.length - 1].facts.get('catalog.description'),
      ).toMatchObject({
        value: true,
        collectedAt: '2026-03-02T10:00:00.000Z',
        staleReason: reason,
      });
      expect(
        (await t.store.loadProviderRuns()).find(r => r.provider === 'catalog'),
      ).toEqual({
        provider: 'catalog',
        lastAttemptAt: new Date('2026-03-02T10:05:00Z'),
        lastSuccessAt: new Date('2026-03-02T10:00:00Z'),
        lastError: reason,
      });
    });

    it('publishes what changed, once per cycle or refresh, and nothing when nothing changed', async () => {
      const t = await setup([component('a'), component('b')]);
      t.control.value = 60;
      const first = await t.cycle.run();
      expect(t.events.publish).toHaveBeenCalledTimes(1);
      expect(t.events.publish).toHaveBeenLastCalledWith({
        topic: 'operability.readiness.changed',
        eventPayload: {
          cycleId: first.cycleId,
          at: '2026-03-02T10:00:00.000Z',
          changes: ['a', 'b'].map(name => ({
            entityRef: `component:default/${name}`,
            before: null,
            after: { score: 60, level: 'silver' },
            regressed: [],
            recovered: [],
            stale: false,
          })),
        },
      });
      expect(first.cycleId).toMatch(/^[0-9a-f-]{36}$/);

      t.setNow('2026-03-02T10:05:00Z');
      expect((await t.cycle.run()).changes).toBe(0);
      expect(t.events.publish).toHaveBeenCalledTimes(1);

      t.control.value = 30;
      t.setNow('2026-03-02T10:10:00Z');
      const refresh = await t.cycle.run({
        entityRefs: ['component:default/a'],
      });
      expect(t.events.publish).toHaveBeenCalledTimes(2);
      expect(t.events.publish).toHaveBeenLastCalledWith({
        topic: 'operability.readiness.changed',
        eventPayload: {
          cycleId: refresh.cycleId,
          at: '2026-03-02T10:10:00.000Z',
          changes: [
            {
              entityRef: 'component:default/a',
              before: { score: 60, level: 'silver' },
              after: { score: 30, level: 'none' },
              regressed: [],
              recovered: [],
              stale: false,
            },
          ],
        },
      });
      expect(refresh.cycleId).not.toBe(first.cycleId);
    });

    it('does not fail a cycle whose results are written when publishing fails', async () => {
      const t = await setup([component('a')]);
      t.events.publish.mockRejectedValueOnce(new Error('shutting down'));
      t.control.value = 50;
      await expect(t.cycle.run()).resolves.toMatchObject({ changes: 1 });
      expect((await t.store.getReport('component:default/a'))!.score).toBe(50);
    });

    /** An on-call provider for every entity, whose answers and rotations the test breaks. */
    function pagerProvider() {
      const control = { fail: false, rotationsFail: false, unknown: false };
      const provider: OnCallProvider = {
        id: 'pager',
        covers: () => true,
        getOnCall: async ({ entities }) => {
          if (control.fail) throw new Error('pager is down');
          return new Map(
            entities.map(e => [
              entityRefOf(e),
              control.unknown
                ? {
                    source: 'pager',
                    primary: null,
                    secondary: null,
                    until: null,
                    status: 'unknown' as const,
                    reason: 'pager answered 503',
                    asOf: '2026-03-02T10:05:00.000Z',
                  }
                : {
                    source: 'pager',
                    primary: { ref: 'user:default/ann', email: 'ann@x.io' },
                    secondary: { ref: 'user:default/bo', email: 'bo@x.io' },
                    until: null,
                    status: 'ok' as const,
                    asOf: '2026-03-02T10:00:00.000Z',
                  },
            ]),
          );
        },
        getRotations: async () => {
          if (control.rotationsFail) throw new Error('schedules unreadable');
          return new Map([
            [
              'component:default/a',
              {
                members: ['ann', 'bo', 'cy', 'di', 'ed', 'fi'].map(n => ({
                  ref: `user:default/${n}`,
                  email: `${n}@x.io`,
                })),
                turn: 'P7D',
                source: 'pagerduty:schedule/P1',
              },
            ],
          ]);
        },
      };
      return { provider, control };
    }

    /** A cycle of `t` whose on-call comes from `provider` (a new service: a restart). */
    function cycleWith(
      t: Awaited<ReturnType<typeof setup>>,
      provider: OnCallProvider,
    ) {
      const options = (t.cycle as any).options;
      return new ReadinessCycle({
        ...options,
        onCall: onCallService(
          t.store,
          options.snapshot,
          [provider],
          options.clock,
        ),
      });
    }

    it("takes rotation facts from an on-call provider's rotations, and keeps the last good ones, marked stale, when it fails", async () => {
      const t = await setup([component('a'), component('b')]);
      const { provider, control } = pagerProvider();
      const cycle = cycleWith(t, provider);
      await cycle.run();
      const factsOf = (ref: string) =>
        t.seen.filter(x => x.ref === ref).pop()!.facts;
      expect(
        factsOf('component:default/a').get('on-call.rotation-size'),
      ).toMatchObject({
        value: 6,
      });
      expect(
        factsOf('component:default/a').get('on-call.turn-hours'),
      ).toMatchObject({
        value: 168,
      });
      // b's rotation is not known: its rotation facts are absent (unknown).
      expect(factsOf('component:default/b').has('on-call.rotation-size')).toBe(
        false,
      );
      expect(
        factsOf('component:default/b').get('on-call.primary-and-secondary'),
      ).toMatchObject({ value: true });

      control.rotationsFail = true;
      t.setNow('2026-03-02T10:05:00Z');
      await cycle.run();
      expect(
        factsOf('component:default/a').get('on-call.rotation-size'),
      ).toMatchObject({
        value: 6,
        collectedAt: '2026-03-02T10:00:00.000Z',
        staleReason: 'pager could not read rotations: schedules unreadable',
      });
      expect(
        factsOf('component:default/a').get('on-call.covered'),
      ).toMatchObject({ value: true });
      expect(
        factsOf('component:default/a').get('on-call.covered').staleReason,
      ).toBeUndefined();
      // Never known, so nothing to keep.
      expect(factsOf('component:default/b').has('on-call.rotation-size')).toBe(
        false,
      );
    });

    it.each([
      [
        'throws',
        (c: { fail: boolean }) => (c.fail = true),
        'pager failed: pager is down',
      ],
      [
        'answers unknown',
        (c: { unknown: boolean }) => (c.unknown = true),
        'pager answered 503',
      ],
    ])(
      'keeps the last good on-call answer, marked stale, when the provider %s, across a restart too',
      async (_, breakIt, reason) => {
        const t = await setup([component('a')]);
        const { provider, control } = pagerProvider();
        await cycleWith(t, provider).run();
        breakIt(control);
        control.rotationsFail = true;
        t.setNow('2026-03-02T10:05:00Z');
        // A new service and cycle on the same store: a restarted backend.
        await cycleWith(t, provider).run();
        const facts = t.seen[t.seen.length - 1].facts;
        for (const name of [
          'on-call.covered',
          'on-call.source',
          'on-call.primary-and-secondary',
          'on-call.rotation-size',
        ]) {
          expect(facts.get(name)).toMatchObject({
            collectedAt: '2026-03-02T10:00:00.000Z',
            staleReason: expect.any(String),
          });
        }
        expect(facts.get('on-call.primary-and-secondary')).toMatchObject({
          value: true,
          staleReason: reason,
        });
        expect(facts.get('on-call.source')).toMatchObject({ value: 'pager' });
      },
    );

    it('asks the on-call providers beside the fact providers, not before them', async () => {
      const t = await setup([component('a')]);
      const order: string[] = [];
      const slow: OnCallProvider = {
        id: 'slow',
        covers: () => true,
        getOnCall: async () => {
          order.push('on-call asked');
          await new Promise(resolve => setTimeout(resolve, 50));
          order.push('on-call answered');
          return new Map();
        },
      };
      const options = (t.cycle as any).options;
      const provider = options.factProviders[0];
      const cycle = new ReadinessCycle({
        ...options,
        onCall: onCallService(t.store, options.snapshot, [slow]),
        factProviders: [
          {
            ...provider,
            collect: async (request: any) => {
              order.push('facts asked');
              return provider.collect(request);
            },
          },
        ],
      });
      await cycle.run();
      expect(order.indexOf('facts asked')).toBeLessThan(
        order.indexOf('on-call answered'),
      );
    });

    it('re-evaluates just the entities asked for, touching nothing else', async () => {
      const t = await setup([component('a'), component('b')]);
      t.control.value = 40;
      await t.cycle.run();
      const runsBefore = await t.store.loadProviderRuns();

      t.control.value = 60;
      t.setNow('2026-03-02T10:01:00Z');
      t.seen.length = 0;
      const summary = await t.cycle.run({
        entityRefs: ['component:default/a'],
      });
      expect(summary).toMatchObject({ scope: 'entities', entities: 1 });
      // Only 'a' was evaluated, with fresh facts; 'b' is as it was.
      expect(t.seen.map(s => s.ref)).toEqual(['component:default/a']);
      const a = (await t.store.getReport('component:default/a'))!;
      const b = (await t.store.getReport('component:default/b'))!;
      expect([a.score, a.evaluatedAt]).toEqual([
        60,
        new Date('2026-03-02T10:01:00Z'),
      ]);
      expect([b.score, b.evaluatedAt]).toEqual([
        40,
        new Date('2026-03-02T10:00:00Z'),
      ]);
      expect(await t.history('a')).toHaveLength(2);
      expect(await t.history('b')).toHaveLength(1);
      // No entity is taken for removed, no provider run recorded, no cycle
      // measured: a refresh says nothing of the rest of the catalog.
      expect(await t.store.loadProviderRuns()).toEqual(runsBefore);
      expect(await t.store.recentCycleRuns(10)).toHaveLength(1);
    });

    it('runs one cycle at a time in a process', async () => {
      const t = await setup([component('a')]);
      let inFlight = 0;
      let most = 0;
      const run = jest.spyOn(t.store, 'writeCycle');
      run.mockImplementation(async write => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise(r => setTimeout(r, 50));
        inFlight--;
        return (DatabaseOperabilityStore.prototype.writeCycle as any).call(
          t.store,
          write,
        );
      });
      await Promise.all([
        t.cycle.run(),
        t.cycle.run({ entityRefs: ['component:default/a'] }),
        t.cycle.run(),
      ]);
      expect(run).toHaveBeenCalledTimes(3);
      expect(most).toBe(1);
    });

    it('removes the report of an entity gone from the catalog', async () => {
      const t = await setup([component('a'), component('b')]);
      await t.cycle.run();
      t.state.entities = [component('a')];
      await t.cycle.run();
      expect(await t.store.getReport('component:default/b')).toBeUndefined();
      expect(await t.store.getReport('component:default/a')).toBeDefined();
    });

    it('leaves the previous results whole when a cycle fails while writing', async () => {
      const t = await setup([component('a')]);
      t.control.value = 30;
      await t.cycle.run();
      t.control.value = 90;
      const realWrite = t.store.writeCycle.bind(t.store);
      jest.spyOn(t.store, 'writeCycle').mockImplementationOnce(async write =>
        // A crash in the middle of the transaction: reading the history point
        // throws after the facts and reports were already written inside it.
        realWrite({
          ...write,
          historyPoints: [
            {
              get entityRef(): string {
                throw new Error('crash in the middle of the cycle');
              },
              time: new Date(),
              score: 1,
              level: 'none',
            },
          ],
        }),
      );
      await expect(t.cycle.run()).rejects.toThrow(
        'crash in the middle of the cycle',
      );
      expect((await t.store.getReport('component:default/a'))!.score).toBe(30);
      expect(await t.history('a')).toHaveLength(1);
      // The next cycle writes what the failed one could not.
      await t.cycle.run();
      expect((await t.store.getReport('component:default/a'))!.score).toBe(90);
      const stored = await t.store.loadFacts();
      expect(
        stored.find(f => f.provider === 'metrics')!.facts['metrics.value']
          .value,
      ).toBe(90);
    });
  },
);
