import {
  createServiceFactory,
  type SchedulerService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  type CampaignDetail,
  type CampaignSummary,
  calendarDateOf,
  type EntityReport,
  levelRank,
} from '@opsready/plugin-operability-common';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { operabilityPlugin } from '../plugin';
import { CAMPAIGN_TASK_ID } from './CampaignTask';

// Campaigns through the whole plugin: a catalog, a readiness cycle, the
// stored reports; the campaigns' counts must agree with the check results
// of the entity reports.

const databases = createTestDatabases();
const DAY = 86_400_000;
const today = Date.now();
const date = (offsetDays: number) => calendarDateOf(today + offsetDays * DAY);

function component(
  name: string,
  owner: string,
  options: { lifecycle?: string; runbook?: boolean; type?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      description: `${name} does things`,
      ...(options.runbook
        ? {
            annotations: {
              'operability.io/runbook': `https://runbooks/${name}`,
            },
          }
        : {}),
    },
    spec: {
      type: options.type ?? 'service',
      lifecycle: options.lifecycle ?? 'production',
      owner,
    },
  };
}

const team = (name: string, title: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', profile: { displayName: title }, children: [] },
});

const entities: Entity[] = [
  team('payments', 'Payments'),
  team('search', 'Search'),
  component('ledger', 'payments', { runbook: true }),
  component('checkout', 'payments'),
  component('billing', 'payments'),
  component('search-api', 'search'),
  component('search-ui', 'search', { type: 'website', runbook: true }),
  component('labs', 'search', { lifecycle: 'experimental' }),
  component('lib', 'search', { type: 'library' }),
];

const NAMES = entities
  .filter(e => e.kind === 'Component')
  .map(e => e.metadata.name);

const config = {
  operability: {
    readiness: {
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
    },
    rubric: {
      checks: [{ id: 'documentation.techdocs', enforcedFrom: date(60) }],
    },
    campaigns: [
      {
        id: 'runbooks',
        title: 'Every production service has a runbook',
        description: 'Incidents end sooner with a runbook.',
        target: { checks: ['documentation.runbook'] },
        filter: { kind: 'component', lifecycle: ['production'] },
        start: date(-3),
        deadline: date(30),
      },
      {
        id: 'bronze-everywhere',
        title: 'Every component at bronze',
        target: { level: 'bronze' },
        filter: { kind: 'component' },
        start: date(10),
        deadline: date(40),
      },
    ],
  },
};

describe.each(databases.eachSupportedId())('campaigns (%s)', databaseId => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  // The mock scheduler as an instance (typed as the service, it has its
  // factory too): the test runs the campaigns task when it wants.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory;
  };
  const api = '/api/operability';
  const get = (path: string) => request(backend.server).get(`${api}${path}`);
  const reports = new Map<string, EntityReport>();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        operabilityPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({
          knex: await databases.init(databaseId),
        }),
        mockServices.rootConfig.factory({ data: config }),
        scheduler.factory(),
      ],
    });
    // The cycle ran at start-up; the campaigns task waits a minute: now.
    await scheduler.triggerTask(CAMPAIGN_TASK_ID);
    for (const name of NAMES) {
      const res = await get(`/v1/entities/component/default/${name}`);
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
      reports.set(`component:default/${name}`, res.body);
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  /** From the entity reports' check results: who is in scope, and done. */
  function expected(
    inScope: (r: EntityReport) => boolean,
    isDone: (r: EntityReport) => boolean,
  ) {
    const scoped = [...reports.values()].filter(inScope);
    return {
      total: scoped.length,
      done: scoped.filter(isDone).length,
      open: scoped
        .filter(r => !isDone(r))
        .map(r => r.entityRef)
        .sort(),
    };
  }
  const production = (r: EntityReport) =>
    entities.find(e => `component:default/${e.metadata.name}` === r.entityRef)
      ?.spec?.lifecycle === 'production';
  const runbookMet = (r: EntityReport) =>
    ['pass', 'exempt', 'not-applicable'].includes(
      r.readiness!.checks.find(c => c.id === 'documentation.runbook')!.status,
    );

  it('lists the campaigns with counts that agree with the entity reports', async () => {
    const res = await get('/v1/campaigns');
    expect(res.status).toBe(200);
    const items = res.body.items as CampaignSummary[];
    expect(items.map(c => [c.id, c.state])).toEqual([
      ['runbooks', 'active'],
      ['bronze-everywhere', 'upcoming'],
    ]);
    const runbooks = expected(production, runbookMet);
    expect(items[0]).toEqual({
      id: 'runbooks',
      title: 'Every production service has a runbook',
      description: 'Incidents end sooner with a runbook.',
      start: date(-3),
      deadline: date(30),
      state: 'active',
      target: { checks: ['documentation.runbook'] },
      total: runbooks.total,
      done: runbooks.done,
    });
    // The fixture: six production components, two with runbooks, and a
    // library, to which the runbook check does not apply: done as well.
    expect([runbooks.total, runbooks.done]).toEqual([6, 3]);
    const bronze = expected(
      () => true,
      r => levelRank(r.readiness!.level) >= levelRank('bronze'),
    );
    expect(items[1]).toMatchObject({
      total: bronze.total,
      done: bronze.done,
      target: { level: 'bronze' },
    });
    expect(bronze.total).toBe(NAMES.length);
  });

  it('gives teams and the burndown of a campaign', async () => {
    const res = await get('/v1/campaigns/runbooks');
    expect(res.status).toBe(200);
    const detail = res.body as CampaignDetail;
    expect(detail.teams).toEqual([
      { ref: 'group:default/payments', title: 'Payments', total: 3, done: 1 },
      { ref: 'group:default/search', title: 'Search', total: 3, done: 2 },
    ]);
    expect(detail.burndown).toEqual([
      { date: date(0), remaining: detail.total - detail.done },
    ]);
    const upcoming = await get('/v1/campaigns/bronze-everywhere');
    expect(upcoming.body).toMatchObject({ state: 'upcoming', burndown: [] });
  });

  it('lists the services, open ones first, with what fails; filters by owner and done; pages', async () => {
    const { open } = expected(production, runbookMet);
    const all = await get('/v1/campaigns/runbooks/services');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(6);
    expect(
      all.body.items.filter((i: any) => !i.done).map((i: any) => i.entityRef),
    ).toEqual(open);
    expect(all.body.items[0]).toEqual({
      entityRef: 'component:default/billing',
      owner: 'group:default/payments',
      done: false,
      failing: ['documentation.runbook'],
    });

    const payments = await get(
      '/v1/campaigns/runbooks/services?owner=payments&done=false',
    );
    expect(payments.body.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/billing',
      'component:default/checkout',
    ]);
    const done = await get('/v1/campaigns/runbooks/services?done=true');
    expect(done.body.items.every((i: any) => i.done && !i.failing.length)).toBe(
      true,
    );

    const first = await get('/v1/campaigns/runbooks/services?limit=2');
    expect(first.body).toMatchObject({ total: 6, nextCursor: '2' });
    const rest = await get('/v1/campaigns/runbooks/services?limit=2&cursor=4');
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeUndefined();
  });

  it('puts the campaigns an entity is in on its report', async () => {
    expect(reports.get('component:default/checkout')!.campaigns).toEqual([
      {
        id: 'runbooks',
        title: 'Every production service has a runbook',
        deadline: date(30),
        done: false,
        failing: ['documentation.runbook'],
      },
      expect.objectContaining({ id: 'bronze-everywhere' }),
    ]);
    expect(
      reports.get('component:default/labs')!.campaigns!.map(c => c.id),
    ).toEqual(['bronze-everywhere']);
  });

  it('shows a check announced for later as upcoming, out of score and level', async () => {
    const ledger = reports.get('component:default/ledger')!;
    const techdocs = ledger.readiness!.checks.find(
      c => c.id === 'documentation.techdocs',
    )!;
    expect(techdocs).toMatchObject({
      status: 'fail',
      upcoming: true,
      enforcedFrom: date(60),
    });
    const checks = await get('/v1/checks');
    expect(
      checks.body.items.find((c: any) => c.id === 'documentation.techdocs'),
    ).toMatchObject({ enforcedFrom: date(60) });
  });

  it.each([
    ['/v1/campaigns/Not_An_Id', "path parameter 'id'"],
    ['/v1/campaigns?x=1', "unknown query parameter 'x'"],
    ['/v1/campaigns/runbooks/services?done=maybe', "query parameter 'done'"],
    ['/v1/campaigns/runbooks/services?limit=0', "query parameter 'limit'"],
    ['/v1/campaigns/runbooks/services?cursor=-1', "query parameter 'cursor'"],
    ['/v1/campaigns/runbooks/services?owner=', "query parameter 'owner'"],
  ])('answers 400 to %s, naming the field', async (path, field) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(field);
  });

  it('answers 404 to a campaign that is not configured', async () => {
    expect((await get('/v1/campaigns/nope')).status).toBe(404);
    expect((await get('/v1/campaigns/nope/services')).status).toBe(404);
  });
});

describe('campaign notifications through the notifications service', () => {
  it('sends the start notice to each team with open services, once', async () => {
    const send = jest.fn(async () => {});
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(): ServiceFactory;
    };
    const backend = await startTestBackend({
      features: [
        operabilityPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
        mockServices.rootConfig.factory({
          data: {
            operability: {
              ...config.operability,
              notifications: { enabled: true },
            },
          },
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send }),
        }),
        scheduler.factory(),
      ],
    });
    try {
      await scheduler.triggerTask(CAMPAIGN_TASK_ID);
      await scheduler.triggerTask(CAMPAIGN_TASK_ID);
      const calls = send.mock.calls as unknown as [NotificationSendOptions][];
      const campaignCalls = calls.filter(([o]) =>
        o.payload.scope?.startsWith('operability:campaign:'),
      );
      expect(
        campaignCalls.map(([o]) => [o.recipients, o.payload.scope]),
      ).toEqual([
        [
          { type: 'entity', entityRef: 'group:default/payments' },
          'operability:campaign:runbooks:group:default/payments',
        ],
        [
          { type: 'entity', entityRef: 'group:default/search' },
          'operability:campaign:runbooks:group:default/search',
        ],
      ]);
    } finally {
      await backend.stop();
    }
  });
});
