import { mockServices } from '@backstage/backend-test-utils';
import { createHash } from 'crypto';
import type { Entity } from '@backstage/catalog-model';
import type { Level } from '@opsready/plugin-operability-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import type { CheckStatusIds, ReportRow } from '../database/OperabilityStore';
import { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { buildOrgIndex } from '../ownership/orgIndex';
import { DatabasePageStore } from '../pages/PageStore';
import { DEFAULT_WORKING_HOURS } from '../pages/workingHours';
import type { ReportedCheck } from './buildHandoffReport';
import { DatabaseHandoffStore } from './HandoffStore';
import { HandoffTask, type HandoffTaskOptions } from './HandoffTask';
import { pagesReaderOf } from './PagesReader';

// The task on a real database, with a clock the test sets: each hand-off is
// reported once, to the incoming primary and secondary, whichever replica
// runs and however often.

const databases = createTestDatabases();

const SCHEDULE = 'schedule:default/payments-on-call';
const user = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { profile: { displayName: title }, memberOf: ['payments'] },
});
const users = [
  user('alice', 'Alice'),
  user('bob', 'Bob'),
  user('carol', 'Carol'),
];
const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'operability.io/on-call-schedule': 'payments-on-call' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
});
const entities = [component('payments-api'), component('ledger')];
const scheduleEntity: Entity = {
  apiVersion: 'operability.io/v1alpha1',
  kind: 'Schedule',
  metadata: {
    name: 'payments-on-call',
    namespace: 'default',
    title: 'Payments',
  },
  spec: {
    owner: 'group:default/payments',
    timeZone: 'UTC',
    // Mondays 09:00 UTC: Alice from 2 March, Bob from 9 March, Carol from 16.
    handoff: { start: '2026-03-02T09:00', turn: 'P1W' },
    primary: ['alice', 'bob', 'carol'],
  },
};
const snapshot: Snapshot = {
  org: buildOrgIndex([], users),
  entities,
  byRef: new Map(
    entities.map(e => [`component:default/${e.metadata.name}`, e]),
  ),
  schedules: new Map([[SCHEDULE, scheduleEntity]]),
  loadedAt: new Date(0),
};

const checks = new Map<string, ReportedCheck>([
  ['ownership.owner', { title: 'Has an owner', level: 'bronze' }],
  ['alerting.runbooks', { title: 'Alerts have runbooks', level: 'silver' }],
]);

function report(
  name: string,
  level: Level,
  statuses: CheckStatusIds,
  at: Date,
): ReportRow {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    name,
    title: null,
    type: 'service',
    lifecycle: 'production',
    systemRef: null,
    ownerRef: 'group:default/payments',
    ownerDeclared: 'group:default/payments',
    score: 50,
    level,
    failedChecks: statuses.fail ?? [],
    checkStatuses: statuses,
    readiness: { score: 50, level, evaluatedAt: '', checks: [] },
    hash: createHash('sha256')
      .update(`${name} ${level} ${JSON.stringify(statuses)}`)
      .digest('hex'),
    evaluatedAt: at,
    historyAt: at,
  };
}

describe.each(databases.eachSupportedId())('HandoffTask (%s)', databaseId => {
  let store: DatabaseOperabilityStore;
  let handoffs: DatabaseHandoffStore;
  let pages: DatabasePageStore;
  let now: Date;
  const send = jest.fn(async (_options: any) => {});
  let options: HandoffTaskOptions;

  async function writeReports(at: Date, rows: ReportRow[]) {
    await store.writeCycle({
      facts: [],
      providerRuns: [],
      reports: rows,
      historyPoints: [],
      removedEntityRefs: [],
      historyCutoff: new Date(0),
      evaluatedAt: at,
    });
  }

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    store = await DatabaseOperabilityStore.create({ database });
    handoffs = await DatabaseHandoffStore.create({ database });
    pages = await DatabasePageStore.create({ database });
    options = {
      store: handoffs,
      snapshot: { get: async () => snapshot },
      scheduleOnCall: new ScheduleOnCall(),
      reports: store,
      pages: pagesReaderOf(pages),
      workingHours: DEFAULT_WORKING_HOURS,
      checks,
      readyLevel: 'bronze',
      notifications: { send },
      logger: mockServices.logger.mock(),
      now: () => now,
    };
  });

  beforeEach(() => send.mockClear());

  it('first sees the schedule mid-shift: notes where it stands, reports nothing', async () => {
    now = new Date('2026-03-04T12:00:00Z');
    await writeReports(now, [
      report(
        'payments-api',
        'silver',
        { pass: ['ownership.owner', 'alerting.runbooks'] },
        now,
      ),
      report(
        'ledger',
        'none',
        { fail: ['ownership.owner'], pass: ['alerting.runbooks'] },
        now,
      ),
    ]);
    await new HandoffTask(options).run();
    expect(send).not.toHaveBeenCalled();
    const cursor = (await handoffs.loadCursors()).get(SCHEDULE)!;
    expect(cursor.handedOffAt).toEqual(now);
    expect(cursor.baseline.entities['component:default/payments-api']).toEqual({
      level: 'silver',
      fail: [],
      ok: ['ownership.owner', 'alerting.runbooks'],
    });
  });

  it('before the hand-off: nothing', async () => {
    now = new Date('2026-03-09T08:59:00Z');
    await new HandoffTask(options).run();
    expect(send).not.toHaveBeenCalled();
  });

  it('at the hand-off: one report, to the incoming primary and secondary, with the shift’s pages and regressions', async () => {
    // Alice's week: a page on Saturday (off-hours) and one on Thursday at 10:00.
    await pages.upsertPages('file', [
      {
        id: 'p1',
        entityRef: 'component:default/ledger',
        at: '2026-03-07T03:00:00Z',
        title: 'Disk full',
      },
      {
        id: 'p2',
        entityRef: 'component:default/payments-api',
        at: '2026-03-05T10:00:00Z',
        title: 'Latency',
      },
      // Before the shift, and in Bob's: not Alice's.
      {
        id: 'p0',
        entityRef: 'component:default/ledger',
        at: '2026-03-01T10:00:00Z',
        title: 'Old',
      },
      {
        id: 'p3',
        entityRef: 'component:default/ledger',
        at: '2026-03-09T09:01:00Z',
        title: 'New',
      },
    ]);
    await pages.recordSuccess(
      'file',
      new Date('2026-03-09T09:02:00Z'),
      new Date('2026-03-09T09:02:00Z'),
    );
    const evaluated = new Date('2026-03-09T08:30:00Z');
    await writeReports(evaluated, [
      report(
        'payments-api',
        'bronze',
        { pass: ['ownership.owner'], fail: ['alerting.runbooks'] },
        evaluated,
      ),
      report(
        'ledger',
        'none',
        { fail: ['ownership.owner'], pass: ['alerting.runbooks'] },
        evaluated,
      ),
    ]);

    now = new Date('2026-03-09T09:03:00Z');
    // Two replicas' runs at once: one report, one notification.
    await Promise.all([
      new HandoffTask(options).run(),
      new HandoffTask(options).run(),
    ]);
    expect(send).toHaveBeenCalledTimes(1);
    const [{ recipients, payload }] = send.mock.calls[0];
    expect(recipients).toEqual({
      type: 'entity',
      entityRef: ['user:default/bob', 'user:default/carol'],
    });
    expect(payload).toEqual({
      title: 'On-call hand-off: Payments',
      description:
        'Bob is primary, Carol secondary from Mon 9 Mar 09:00 to Mon 16 Mar 09:00 (UTC). ' +
        'Last shift (Alice, Mon 2 Mar 09:00 – Mon 9 Mar 09:00): 2 pages, 1 off-hours. ' +
        'Regressed during it: payments-api (Alerts have runbooks). ' +
        'Not ready (below bronze): ledger (none).',
      link: '/catalog/default/schedule/payments-on-call',
      severity: 'normal',
      topic: 'operability',
      scope: `operability:handoff:${SCHEDULE}:2026-03-09T09:00:00.000Z`,
    });

    const listed = await handoffs.list(SCHEDULE, new Date(0), now, 10);
    expect(listed).toHaveLength(1);
    expect(listed[0].notifiedAt).toEqual(now);
    expect(listed[0].report.regressions.since).toBe('2026-03-04T12:00:00.000Z');
    expect(listed[0].report.pages!.items.map(p => p.title)).toEqual([
      'Disk full',
      'Latency',
    ]);
  });

  it('runs again, restarted: nothing twice', async () => {
    now = new Date('2026-03-09T09:08:00Z');
    await new HandoffTask(options).run();
    now = new Date('2026-03-12T09:08:00Z');
    await new HandoffTask(options).run();
    expect(send).not.toHaveBeenCalled();
  });

  it('a failed send is tried again on the next run, once it goes through', async () => {
    // Bob's week ends; the notifications backend is down at Carol's hand-off.
    send.mockRejectedValueOnce(new Error('notifications backend down'));
    now = new Date('2026-03-16T09:01:00Z');
    await new HandoffTask(options).run();
    expect(send).toHaveBeenCalledTimes(1);
    let listed = await handoffs.list(SCHEDULE, new Date(0), now, 10);
    expect(listed.map(l => [l.report.at, l.notifiedAt])).toEqual([
      ['2026-03-16T09:00:00.000Z', null],
      ['2026-03-09T09:00:00.000Z', new Date('2026-03-09T09:03:00Z')],
    ]);
    // Compared with the states at Bob's hand-off: nothing regressed since.
    expect(listed[0].report.regressions).toEqual({
      since: '2026-03-09T09:03:00.000Z',
      items: [],
    });
    expect(listed[0].report.incoming.primary.ref).toBe('user:default/carol');
    expect(listed[0].report.pages!.total).toBe(1);

    now = new Date('2026-03-16T09:06:00Z');
    await new HandoffTask(options).run();
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1][0].payload.scope).toBe(
      `operability:handoff:${SCHEDULE}:2026-03-16T09:00:00.000Z`,
    );
    listed = await handoffs.list(SCHEDULE, new Date(0), now, 10);
    expect(listed[0].notifiedAt).toEqual(now);

    now = new Date('2026-03-16T09:11:00Z');
    await new HandoffTask(options).run();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('after a long outage: only the hand-off in force, not the ones missed', async () => {
    now = new Date('2026-04-08T10:00:00Z');
    await new HandoffTask(options).run();
    expect(send).toHaveBeenCalledTimes(1);
    const listed = await handoffs.list(SCHEDULE, new Date(0), now, 10);
    expect(listed.map(l => l.report.at)).toEqual([
      '2026-04-06T09:00:00.000Z',
      '2026-03-16T09:00:00.000Z',
      '2026-03-09T09:00:00.000Z',
    ]);
  });
});
