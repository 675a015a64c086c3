import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogStamp,
  CheckStatus,
  entityRefOf,
  STAMPED_ANNOTATIONS,
  withCatalogStamp,
} from '@opsready/plugin-operability-common';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import type { OperabilityStore } from '../database/OperabilityStore';
import { OnCallService } from '../oncall/OnCallService';
import { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import { ScheduleOnCallProvider } from '../oncall/ScheduleOnCallProvider';
import {
  CatalogSnapshot,
  SCORED_KINDS,
  Snapshot,
} from '../ownership/CatalogSnapshot';
import { buildOrgIndex } from '../ownership/orgIndex';
import { createTestDatabases } from '../__testUtils__/databases';
import { compileRubric, evaluate } from './evaluator/evaluate';
import { ReadinessCycle } from './ReadinessCycle';
import { defaultRubric } from './rubric/defaultRubric';

// The catalog module stamps each evaluated entity with what the backend
// computed, and the backend reads the stamped catalog on its next cycle. These
// tests run that loop: a stamp must never come back as a declaration.

const databases = createTestDatabases();

const user = (name: string, team: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { email: `${name}@example.com` }, memberOf: [team] },
  relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
});

const group = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'team', profile: { email: `${name}@example.com` } },
});

const schedule = (name: string, owner: string, primary: string[]): Entity => ({
  apiVersion: 'operability.io/v1alpha1',
  kind: 'Schedule',
  metadata: { name, namespace: 'default' },
  spec: {
    owner: `group:default/${owner}`,
    timeZone: 'Europe/Berlin',
    handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
    primary: primary.map(p => `user:default/${p}`),
    secondary: 'next-in-rotation',
  },
});

const system = (
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner: `group:default/${owner}` },
});

const service = (
  name: string,
  owner: string,
  systemName: string,
  lifecycle = 'production',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', description: name },
  spec: {
    type: 'service',
    lifecycle,
    owner: `group:default/${owner}`,
    system: systemName,
  },
});

const SCHEDULE_KEY = 'operability.io/on-call-schedule';
const searchPeople = ['s1', 's2', 's3', 's4', 's5', 's6'];
const recommendationsPeople = ['r1', 'r2', 'r3', 'r4'];
const paymentsPeople = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

/**
 * The demo's discovery System (examples/components/discovery.yaml): it
 * declares no schedule, and resolves its owner Group's. ranking-service, in
 * that System and owned by a Group without a schedule, must fail
 * on-call.schedule; search-api, owned by the Group with the schedule, passes.
 * payments-platform declares its own schedule, which ledger inherits.
 */
function demoCatalog(): Entity[] {
  return [
    group('search', { [SCHEDULE_KEY]: 'schedule:default/search-on-call' }),
    group('recommendations', {}),
    group('payments', {}),
    ...searchPeople.map(p => user(p, 'search')),
    ...recommendationsPeople.map(p => user(p, 'recommendations')),
    ...paymentsPeople.map(p => user(p, 'payments')),
    schedule('search-on-call', 'search', searchPeople),
    schedule('payments-on-call', 'payments', paymentsPeople),
    system('discovery', 'search'),
    system('payments-platform', 'payments', {
      [SCHEDULE_KEY]: 'schedule:default/payments-on-call',
    }),
    service('search-api', 'search', 'discovery'),
    service('ranking-service', 'recommendations', 'discovery', 'experimental'),
    service('ledger', 'payments', 'payments-platform'),
  ];
}

/**
 * The catalog as the backend reads it: what teams wrote, each entity with the
 * last stamps written on it as the catalog module writes them.
 */
function stampedCatalog() {
  const state = {
    sources: demoCatalog(),
    stamps: new Map<string, CatalogStamp>(),
  };
  const entities = () =>
    state.sources.map(e => {
      const stamp = state.stamps.get(entityRefOf(e));
      return stamp ? withCatalogStamp(e, stamp) : e;
    });
  let last: Snapshot | undefined;
  const snapshot = {
    async get(): Promise<Snapshot> {
      const all = entities();
      const scored = all.filter(e => SCORED_KINDS.includes(e.kind));
      last = {
        org: buildOrgIndex(
          all.filter(e => e.kind === 'Group'),
          all.filter(e => e.kind === 'User'),
        ),
        entities: scored,
        byRef: new Map(scored.map(e => [entityRefOf(e), e])),
        schedules: new Map(
          all.filter(e => e.kind === 'Schedule').map(e => [entityRefOf(e), e]),
        ),
        loadedAt: new Date(),
      };
      return last;
    },
    peek: () => last,
  } as unknown as CatalogSnapshot;
  return { state, entities, snapshot };
}

/**
 * The cycle as the plugin wires it (plugin.ts): on-call from the catalog's
 * schedules only, the default rubric, no fact providers.
 */
function cycleOf(
  store: OperabilityStore,
  snapshot: CatalogSnapshot,
  scheduleOnCall: ScheduleOnCall,
) {
  const rubric = compileRubric(defaultRubric());
  const clock = () => new Date('2026-03-02T10:00:00Z');
  return new ReadinessCycle({
    store,
    snapshot,
    onCall: new OnCallService({
      providers: [new ScheduleOnCallProvider({ scheduleOnCall, snapshot })],
      store,
      snapshot,
      logger: mockServices.logger.mock(),
      requestBudgetMs: 1_500,
      clock,
    }),
    factProviders: [],
    evaluate: (entity, facts, exemptions, now) =>
      evaluate(entity, facts, rubric, exemptions, now),
    logger: mockServices.logger.mock(),
    providerTimeoutMs: 30_000,
    historyRetentionMs: 365 * 86_400_000,
    clock,
  });
}

describe.each(databases.eachSupportedId())(
  'stamps are outputs, never inputs (%s)',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseOperabilityStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const catalog = stampedCatalog();
      const scheduleOnCall = new ScheduleOnCall();
      const cycle = cycleOf(store, catalog.snapshot, scheduleOnCall);

      /** What `GET /v1/catalog-stamps` answers (service/router.ts). */
      async function catalogStamps(): Promise<CatalogStamp[]> {
        const current = await catalog.snapshot.get();
        return (await store.listReportSummaries()).map(row => {
          const entity = current.byRef.get(row.entityRef);
          const resolved = entity
            ? scheduleOnCall.scheduleOf(entity, current)
            : undefined;
          return {
            entityRef: row.entityRef,
            score: row.score,
            level: row.level,
            ownerTeam: row.ownerRef,
            ...(resolved ? { onCallSchedule: resolved.scheduleRef } : {}),
            ...(resolved?.inheritedFrom
              ? { onCallInheritedFrom: resolved.inheritedFrom }
              : {}),
          };
        });
      }

      /** The catalog module reads the stamps and the catalog reprocesses. */
      async function stamp() {
        catalog.state.stamps = new Map(
          (await catalogStamps()).map(s => [s.entityRef, s]),
        );
      }

      /** Every report's score, level and check statuses. */
      async function results() {
        const out: Record<
          string,
          { score: number; level: string; checks: Record<string, CheckStatus> }
        > = {};
        for (const row of await store.listReportSummaries()) {
          const report = (await store.getReport(row.entityRef))!;
          out[row.entityRef] = {
            score: report.score,
            level: report.level,
            checks: Object.fromEntries(
              report.readiness.checks.map(c => [c.id, c.status]),
            ),
          };
        }
        return out;
      }

      const onCallSchedule = async (name: string) =>
        (await results())[`component:default/${name}`].checks[
          'on-call.schedule'
        ];

      return { cycle, catalog, stamp, results, onCallSchedule };
    }

    it('scores the same before and after the catalog is stamped', async () => {
      const t = await setup();
      await t.cycle.run();
      const before = await t.results();
      expect(before['component:default/ranking-service'].checks).toMatchObject({
        'on-call.schedule': 'fail',
      });
      expect(before['component:default/search-api'].checks).toMatchObject({
        'on-call.schedule': 'pass',
      });
      expect(before['component:default/ledger'].checks).toMatchObject({
        'on-call.schedule': 'pass',
      });

      // Three rounds of stamping and evaluating: nothing moves.
      for (let round = 0; round < 3; round++) {
        await t.stamp();
        await t.cycle.run();
        expect(await t.results()).toEqual(before);
      }

      // The shape that matters: the System carries a stamped schedule, which
      // it resolved from its owner Group and does not declare.
      const discovery = t.catalog
        .entities()
        .find(e => e.metadata.name === 'discovery')!;
      expect(discovery.metadata.annotations).toMatchObject({
        [STAMPED_ANNOTATIONS.resolvedOnCallSchedule]:
          'schedule:default/search-on-call',
        [STAMPED_ANNOTATIONS.resolvedOnCallScheduleInheritedFrom]:
          'group:default/search',
      });
      expect(discovery.metadata.annotations?.[SCHEDULE_KEY]).toBeUndefined();
      const ranking = t.catalog
        .entities()
        .find(e => e.metadata.name === 'ranking-service')!;
      expect(
        ranking.metadata.annotations?.[
          STAMPED_ANNOTATIONS.resolvedOnCallSchedule
        ],
      ).toBeUndefined();
    });

    it('drops a removed schedule everywhere on the next cycle', async () => {
      const t = await setup();
      await t.cycle.run();
      await t.stamp();
      await t.cycle.run();
      await t.stamp();
      expect(await t.onCallSchedule('search-api')).toBe('pass');
      expect(await t.onCallSchedule('ledger')).toBe('pass');

      // The teams remove their declarations; the catalog reprocesses the
      // entities with the stamps it last read.
      t.catalog.state.sources = t.catalog.state.sources.map(e => {
        if (!['search', 'payments-platform'].includes(e.metadata.name)) {
          return e;
        }
        const { [SCHEDULE_KEY]: _removed, ...rest } =
          e.metadata.annotations ?? {};
        return { ...e, metadata: { ...e.metadata, annotations: rest } };
      });

      for (let round = 0; round < 2; round++) {
        await t.cycle.run();
        for (const name of ['search-api', 'ranking-service', 'ledger']) {
          expect({ name, status: await t.onCallSchedule(name) }).toEqual({
            name,
            status: 'fail',
          });
        }
        await t.stamp();
        for (const entity of t.catalog.entities()) {
          const annotations = entity.metadata.annotations ?? {};
          expect({
            ref: entityRefOf(entity),
            declared: annotations[SCHEDULE_KEY],
            resolved: annotations[STAMPED_ANNOTATIONS.resolvedOnCallSchedule],
          }).toEqual({
            ref: entityRefOf(entity),
            declared: undefined,
            resolved: undefined,
          });
        }
      }
    });
  },
);
