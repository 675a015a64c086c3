import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { Level } from '@opsready/plugin-operability-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseOperabilityStore } from '../database/DatabaseOperabilityStore';
import type { CheckStatusIds, ReportRow } from '../database/OperabilityStore';
import { buildOrgIndex } from '../ownership/orgIndex';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import type { Rubric } from '../readiness/types';
import { DatabaseCampaignStore } from './CampaignStore';
import { CampaignService } from './CampaignService';
import { CampaignTask } from './CampaignTask';
import type { Campaign } from './types';

const databases = createTestDatabases();

const rubric: Rubric = {
  maxFactAgeMs: 1,
  checks: ['alerting.runbooks', 'documentation.runbook'].map(id => ({
    id,
    title: id,
    category: 'x',
    level: 'silver',
    weight: 2,
    description: '',
    remediation: '',
    evaluator: id,
  })),
};

const campaign: Campaign = {
  id: 'runbooks',
  title: 'Runbooks everywhere',
  target: { checks: ['alerting.runbooks'] },
  filter: { kind: ['Component'] },
  start: '2027-01-04',
  deadline: '2027-01-31',
};

const EVERYONE = { key: 'all', all: true, canSee: () => true };

function entity(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

function report(
  name: string,
  owner: string,
  statuses: CheckStatusIds,
  at: Date,
): ReportRow {
  const level: Level = 'bronze';
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    name,
    title: null,
    type: 'service',
    lifecycle: 'production',
    systemRef: null,
    ownerRef: `group:default/${owner}`,
    ownerDeclared: `group:default/${owner}`,
    score: 50,
    level,
    failedChecks: statuses.fail ?? [],
    checkStatuses: statuses,
    readiness: { score: 50, level, evaluatedAt: '', checks: [] },
    hash: `h-${name}-${JSON.stringify(statuses)}`,
    evaluatedAt: at,
    historyAt: at,
  };
}

describe.each(databases.eachSupportedId())('CampaignTask (%s)', databaseId => {
  let store: DatabaseOperabilityStore;
  let campaignStore: DatabaseCampaignStore;
  let now: Date;
  const send = jest.fn(async () => {});
  const entities = [
    entity('ledger', 'payments'),
    entity('checkout', 'payments'),
    entity('search-api', 'search'),
    entity('docs-site', 'docs'),
  ];
  const snapshot = {
    async get(): Promise<Snapshot> {
      return {
        org: buildOrgIndex([], []),
        entities,
        byRef: new Map(
          entities.map(e => [`component:default/${e.metadata.name}`, e]),
        ),
        schedules: new Map(),
        loadedAt: new Date(0),
      };
    },
  };
  let service: CampaignService;
  let task: CampaignTask;

  async function writeReports(
    at: Date,
    statuses: Record<string, [string, CheckStatusIds]>,
  ) {
    await store.writeCycle({
      facts: [],
      providerRuns: [],
      reports: Object.entries(statuses).map(([name, [owner, s]]) =>
        report(name, owner, s, at),
      ),
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
    campaignStore = await DatabaseCampaignStore.create({ database });
    service = new CampaignService({
      campaigns: [campaign],
      rubric,
      store,
      campaignStore,
      snapshot,
      now: () => now,
    });
    task = new CampaignTask({
      campaigns: service,
      campaignStore,
      notifications: { send },
      logger: mockServices.logger.mock(),
      now: () => now,
    });
  });

  beforeEach(() => send.mockClear());

  it('before the start: no point, no notice', async () => {
    now = new Date('2027-01-03T12:00:00Z');
    await writeReports(now, {
      ledger: ['payments', { fail: ['alerting.runbooks'] }],
      checkout: ['payments', { unknown: ['alerting.runbooks'] }],
      'search-api': ['search', { fail: ['alerting.runbooks'] }],
      'docs-site': ['docs', { pass: ['alerting.runbooks'] }],
    });
    await task.run();
    expect(send).not.toHaveBeenCalled();
    expect(
      await campaignStore.burndown('runbooks', '2027-01-01', '2027-12-31'),
    ).toEqual([]);
    expect((await service.get('runbooks', EVERYONE)).burndown).toEqual([]);
  });

  it('on the first day: the day’s point, and one start notice per team with open services', async () => {
    now = new Date('2027-01-04T06:00:00Z');
    await task.run();
    expect(
      await campaignStore.burndown('runbooks', '2027-01-01', '2027-12-31'),
    ).toEqual([
      { campaignId: 'runbooks', date: '2027-01-04', total: 4, remaining: 3 },
    ]);
    expect(send).toHaveBeenCalledTimes(2);
    const calls = send.mock.calls as unknown as [any][];
    const byTeam = Object.fromEntries(
      calls.map(([o]) => [o.recipients.entityRef, o.payload]),
    );
    expect(Object.keys(byTeam).sort()).toEqual([
      'group:default/payments',
      'group:default/search',
    ]);
    expect(byTeam['group:default/payments']).toMatchObject({
      title: 'Campaign started: Runbooks everywhere',
      scope: 'operability:campaign:runbooks:group:default/payments',
      topic: 'operability',
      severity: 'normal',
      link: '/operability?campaign=runbooks',
    });
    expect(byTeam['group:default/payments'].description).toContain(
      '2 services of your team have until 2027-01-31',
    );
    expect(byTeam['group:default/payments'].description).toContain(
      'checkout (alerting.runbooks); ledger (alerting.runbooks)',
    );
  });

  it('again the same day: the point is replaced, nothing is sent twice', async () => {
    now = new Date('2027-01-04T18:00:00Z');
    await writeReports(now, {
      ledger: ['payments', { pass: ['alerting.runbooks'] }],
    });
    await task.run();
    expect(send).not.toHaveBeenCalled();
    expect(
      await campaignStore.burndown('runbooks', '2027-01-01', '2027-12-31'),
    ).toEqual([
      { campaignId: 'runbooks', date: '2027-01-04', total: 4, remaining: 2 },
    ]);
  });

  it('a week later: a weekly notice; the burndown has a point per recorded day, today’s live', async () => {
    now = new Date('2027-01-05T12:00:00Z');
    await task.run();
    expect(send).not.toHaveBeenCalled();
    now = new Date('2027-01-11T06:00:00Z');
    await writeReports(now, {
      checkout: ['payments', { pass: ['alerting.runbooks'] }],
    });
    await task.run();
    expect(send).toHaveBeenCalledTimes(1); // payments is done
    const [[weekly]] = send.mock.calls as unknown as [any][];
    expect(weekly.recipients.entityRef).toBe('group:default/search');
    expect(weekly.payload.title).toBe(
      'Campaign: Runbooks everywhere, 21 days left',
    );
    const detail = await service.get('runbooks', EVERYONE);
    expect(detail).toMatchObject({
      state: 'active',
      total: 4,
      done: 3,
      burndown: [
        { date: '2027-01-04', remaining: 2 },
        { date: '2027-01-05', remaining: 2 },
        { date: '2027-01-11', remaining: 1 },
      ],
    });
    expect(detail.teams).toEqual([
      { ref: 'group:default/search', total: 1, done: 0 },
      { ref: 'group:default/docs', total: 1, done: 1 },
      { ref: 'group:default/payments', total: 2, done: 2 },
    ]);
  });

  it('a failed send is tried again on the next run', async () => {
    now = new Date('2027-01-18T06:00:00Z');
    send.mockRejectedValueOnce(new Error('notifications down'));
    await task.run();
    expect(send).toHaveBeenCalledTimes(1);
    now = new Date('2027-01-18T07:00:00Z');
    await task.run();
    expect(send).toHaveBeenCalledTimes(2);
    now = new Date('2027-01-18T08:00:00Z');
    await task.run();
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('after the deadline: one deadline notice, high, and no more points', async () => {
    now = new Date('2027-02-01T06:00:00Z');
    await task.run();
    await task.run();
    expect(send).toHaveBeenCalledTimes(1);
    const [[deadline]] = send.mock.calls as unknown as [any][];
    expect(deadline.payload).toMatchObject({
      title: 'Campaign deadline passed: Runbooks everywhere',
      severity: 'high',
      scope: 'operability:campaign:runbooks:group:default/search',
    });
    const detail = await service.get('runbooks', EVERYONE);
    expect(detail.state).toBe('ended');
    expect(detail.burndown.map(p => p.date)).toEqual([
      '2027-01-04',
      '2027-01-05',
      '2027-01-11',
      '2027-01-18',
    ]);
  });

  it('a caller who may not read everything gets only what they can read, and only today’s point', async () => {
    now = new Date('2027-01-20T12:00:00Z');
    const payments = {
      key: 'p',
      all: false,
      canSee: (ref: string) =>
        ref.includes('ledger') ||
        ref.includes('checkout') ||
        ref === 'group:default/payments',
    };
    const detail = await service.get('runbooks', payments);
    expect(detail).toMatchObject({
      total: 2,
      done: 2,
      teams: [{ ref: 'group:default/payments', total: 2, done: 2 }],
      burndown: [{ date: '2027-01-20', remaining: 0 }],
    });
    const page = await service.services('runbooks', { limit: 50 }, payments);
    expect(page.items.map(i => i.entityRef)).toEqual([
      'component:default/checkout',
      'component:default/ledger',
    ]);
  });
});
