import { PagerDutyClient, PagerDutyError } from './client/PagerDutyClient';
import { PagerDutyPageSource, primaryTurns } from './PagerDutyPageSource';
import {
  component,
  FakeIncident,
  FakePagerDuty,
} from './__testUtils__/fakePagerDuty';

const TOKEN = 'pd-pages-token';
const H = 3600_000;
const T0 = Date.parse('2026-11-02T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H).toISOString();

function incidents(serviceId: string, count: number, from = 1): FakeIncident[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${serviceId}-I${i + from}`,
    number: 1000 + i + from,
    title: `Incident ${i + from}`,
    serviceId,
    createdAt: at(i + from),
    status: 'triggered' as const,
  }));
}

describe('PagerDutyClient.listIncidents', () => {
  let fake: FakePagerDuty;
  beforeAll(async () => {
    fake = await FakePagerDuty.start({
      token: TOKEN,
      services: ['PA', 'PB', 'PC'].map(id => ({
        id,
        name: id,
        policyId: null,
      })),
      incidents: [
        ...incidents('PA', 7),
        ...incidents('PB', 3),
        ...incidents('PC', 2),
      ],
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    fake.maxLimit = 100;
    fake.maxOffset = 10_000;
    fake.extraIncidentItems = [];
  });

  const client = (
    options: Partial<ConstructorParameters<typeof PagerDutyClient>[0]> = {},
  ) =>
    new PagerDutyClient({
      token: TOKEN,
      baseUrl: fake.url,
      maxRetryWaitMs: 2000,
      ...options,
    });
  const window = { since: new Date(T0), until: new Date(T0 + 100 * H) };

  it('asks per batch of services with since and until, following offset paging', async () => {
    const list = await client({ pageSize: 3, idsPerRequest: 2 }).listIncidents({
      serviceIds: ['PA', 'PB', 'PC', 'PA'],
      ...window,
    });
    expect(list.map(i => i.id).sort()).toEqual(
      [...incidents('PA', 7), ...incidents('PB', 3), ...incidents('PC', 2)]
        .map(i => i.id)
        .sort(),
    );
    const requests = fake.requestsTo('/incidents');
    // PA+PB: 10 incidents in pages of 3 (4 requests); PC: 1 request.
    expect(requests).toHaveLength(5);
    expect(requests[0].query.getAll('service_ids[]')).toEqual(['PA', 'PB']);
    expect(requests[0].query.get('since')).toBe('2026-11-02T00:00:00.000Z');
    expect(requests[0].query.get('until')).toBe('2026-11-06T04:00:00.000Z');
    expect(requests[0].query.get('time_zone')).toBe('UTC');
    expect(requests.slice(0, 4).map(r => r.query.get('offset'))).toEqual([
      '0',
      '3',
      '6',
      '9',
    ]);
    expect(requests[4].query.getAll('service_ids[]')).toEqual(['PC']);
    expect(requests[0].headers.authorization).toBe(`Token token=${TOKEN}`);
  });

  it('reads the number, title, acknowledgement and resolution', async () => {
    fake.incidents.push(
      {
        id: 'ACK',
        number: 7,
        title: 'Acknowledged',
        serviceId: 'PC',
        createdAt: at(50),
        status: 'acknowledged',
        acknowledgedAt: at(50.1),
      },
      {
        id: 'RES',
        number: 8,
        title: 'Resolved',
        serviceId: 'PC',
        createdAt: at(60),
        status: 'resolved',
        acknowledgedAt: at(60.1),
        resolvedAt: at(61),
      },
    );
    try {
      const list = await client().listIncidents({
        serviceIds: ['PC'],
        since: new Date(T0 + 40 * H),
        until: new Date(T0 + 70 * H),
      });
      expect(list).toEqual([
        {
          id: 'ACK',
          number: 7,
          title: 'Acknowledged',
          serviceId: 'PC',
          createdAt: at(50),
          status: 'acknowledged',
          acknowledgedAt: at(50.1),
          htmlUrl: 'https://acme.pagerduty.com/incidents/ACK',
          urgency: 'high',
        },
        {
          // PagerDuty lists no acknowledgement once resolved.
          id: 'RES',
          number: 8,
          title: 'Resolved',
          serviceId: 'PC',
          createdAt: at(60),
          status: 'resolved',
          resolvedAt: at(61),
          htmlUrl: 'https://acme.pagerduty.com/incidents/RES',
          urgency: 'high',
        },
      ]);
    } finally {
      fake.incidents = fake.incidents.filter(
        i => !['ACK', 'RES'].includes(i.id),
      );
    }
  });

  it('splits a window with more incidents than offset paging reaches', async () => {
    fake.maxOffset = 4;
    const list = await client({ pageSize: 2, maxOffset: 4 }).listIncidents({
      serviceIds: ['PA'],
      ...window,
    });
    expect(list.map(i => i.id)).toEqual(incidents('PA', 7).map(i => i.id));
    // No request went past what PagerDuty answers.
    for (const r of fake.requestsTo('/incidents')) {
      expect(Number(r.query.get('offset')) + 2).toBeLessThanOrEqual(4);
    }
    const windows = new Set(
      fake.requestsTo('/incidents').map(r => r.query.get('since')),
    );
    expect(windows.size).toBeGreaterThan(1);
  });

  it('waits out a 429 with Retry-After, then goes on', async () => {
    fake.rateLimit(1, { 'Retry-After': '1' });
    const started = Date.now();
    const list = await client().listIncidents({
      serviceIds: ['PB'],
      ...window,
    });
    expect(list).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.requestsTo('/incidents')).toHaveLength(2);
  });

  it('fails on a 429 asking for longer than allowed, naming the wait', async () => {
    fake.rateLimit(1, { 'Retry-After': '120' });
    await expect(
      client().listIncidents({ serviceIds: ['PB'], ...window }),
    ).rejects.toMatchObject({
      kind: 'rate-limited',
      message: expect.stringMatching(/asked to wait 120 s/),
    });
  });

  it('fails on a 5xx with PagerDuty’s message', async () => {
    fake.failure = {
      mode: 'status',
      status: 503,
      message: 'Service Unavailable',
    };
    const error = await client()
      .listIncidents({ serviceIds: ['PB'], ...window })
      .catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyError);
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(error.message).toBe('PagerDuty answered 503: Service Unavailable');
  });

  it('fails on garbage: truncated JSON, a wrong shape, an incident without its fields', async () => {
    fake.failure = { mode: 'malformed' };
    await expect(
      client().listIncidents({ serviceIds: ['PB'], ...window }),
    ).rejects.toMatchObject({ kind: 'malformed' });
    fake.failure = { mode: 'wrong-shape' };
    await expect(
      client().listIncidents({ serviceIds: ['PB'], ...window }),
    ).rejects.toThrow("'incidents' is not a list");
    fake.failure = undefined;
    fake.extraIncidentItems = [
      { id: 'X', type: 'incident', created_at: 'soon' },
    ];
    await expect(
      client().listIncidents({ serviceIds: ['PB'], ...window }),
    ).rejects.toThrow(
      'an incident lacks its id, a created_at instant or its service',
    );
  });
});

describe('primaryTurns', () => {
  const since = new Date(T0);
  const until = new Date(T0 + 48 * H);
  const entry = (
    level: number,
    userId: string,
    start: string | null,
    end: string | null,
  ) => ({
    escalation_policy: { id: 'PEP' },
    escalation_level: level,
    schedule: null,
    user: { id: userId, name: userId, email: `${userId}@acme.com` },
    start,
    end,
  });

  it('takes level 1 in order, clipped to the window, the earlier of overlapping entries first', () => {
    expect(
      primaryTurns(
        [
          entry(2, 'sec', null, null),
          entry(1, 'bob', at(12), at(36)),
          entry(1, 'alice', at(-12), at(12)),
          // Overlaps bob's: from where bob's ends.
          entry(1, 'carol', at(30), at(60)),
        ],
        since,
        until,
      ),
    ).toEqual([
      {
        start: at(0),
        end: at(12),
        primary: {
          ref: 'user:default/alice',
          title: 'alice',
          email: 'alice@acme.com',
        },
      },
      {
        start: at(12),
        end: at(36),
        primary: {
          ref: 'user:default/bob',
          title: 'bob',
          email: 'bob@acme.com',
        },
      },
      {
        start: at(36),
        end: at(48),
        primary: {
          ref: 'user:default/carol',
          title: 'carol',
          email: 'carol@acme.com',
        },
      },
    ]);
  });

  it('gives a user named directly (no start, no end) the whole window', () => {
    expect(primaryTurns([entry(1, 'dan', null, null)], since, until)).toEqual([
      {
        start: at(0),
        end: at(48),
        primary: {
          ref: 'user:default/dan',
          title: 'dan',
          email: 'dan@acme.com',
        },
      },
    ]);
  });
});

describe('PagerDutyPageSource', () => {
  let fake: FakePagerDuty;
  beforeAll(async () => {
    fake = await FakePagerDuty.start({
      token: TOKEN,
      users: [
        { id: 'PU1', name: 'Alice', email: 'alice@acme.com' },
        { id: 'PU2', name: 'Bob', email: 'bob@acme.com' },
      ],
      services: [
        { id: 'PPAY', name: 'payments', policyId: 'PEP1' },
        { id: 'PNOEP', name: 'no policy', policyId: null },
      ],
      oncalls: [
        {
          policyId: 'PEP1',
          level: 1,
          userId: 'PU1',
          start: at(-24),
          end: at(24),
        },
        {
          policyId: 'PEP1',
          level: 1,
          userId: 'PU2',
          start: at(24),
          end: at(72),
        },
        {
          policyId: 'PEP1',
          level: 2,
          userId: 'PU2',
          start: at(-24),
          end: at(24),
        },
      ],
      incidents: [
        {
          id: 'I1',
          number: 1,
          title: 'Disk full',
          serviceId: 'PPAY',
          createdAt: at(3),
          status: 'acknowledged',
          acknowledgedAt: at(3.05),
        },
        {
          id: 'I2',
          number: 2,
          title: 'Latency',
          serviceId: 'PPAY',
          createdAt: at(30),
          status: 'resolved',
          resolvedAt: at(31),
        },
        {
          id: 'I3',
          number: 3,
          title: 'Quiet',
          serviceId: 'PNOEP',
          createdAt: at(5),
          status: 'triggered',
        },
      ],
    });
  });
  afterAll(() => fake.stop());

  it('collects incidents as pages with PagerDuty’s primary turns, one batch for all services', async () => {
    fake.reset();
    const source = new PagerDutyPageSource(
      new PagerDutyClient({ token: TOKEN, baseUrl: fake.url }),
    );
    const entities = [
      component('payments-api', 'PPAY'),
      component('payments-worker', 'PPAY'),
      component('quiet', 'PNOEP'),
      component('ghost', 'PGHOST'),
      component('plain'),
    ];
    expect(entities.map(e => source.covers(e))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    const batch = await source.collect({
      entities,
      since: new Date(T0),
      until: new Date(T0 + 48 * H),
    });
    expect(batch.pages).toEqual([
      {
        id: 'I1',
        entityRef: 'component:default/payments-api',
        at: at(3),
        title: '#1 Disk full',
        acknowledgedAt: at(3.05),
        url: 'https://acme.pagerduty.com/incidents/I1',
      },
      {
        id: 'I1',
        entityRef: 'component:default/payments-worker',
        at: at(3),
        title: '#1 Disk full',
        acknowledgedAt: at(3.05),
        url: 'https://acme.pagerduty.com/incidents/I1',
      },
      {
        id: 'I3',
        entityRef: 'component:default/quiet',
        at: at(5),
        title: '#3 Quiet',
        url: 'https://acme.pagerduty.com/incidents/I3',
      },
      {
        id: 'I2',
        entityRef: 'component:default/payments-api',
        at: at(30),
        title: '#2 Latency',
        resolvedAt: at(31),
        url: 'https://acme.pagerduty.com/incidents/I2',
      },
      {
        id: 'I2',
        entityRef: 'component:default/payments-worker',
        at: at(30),
        title: '#2 Latency',
        resolvedAt: at(31),
        url: 'https://acme.pagerduty.com/incidents/I2',
      },
    ]);
    const turns = [
      {
        start: at(0),
        end: at(24),
        primary: {
          ref: 'user:default/alice',
          title: 'Alice',
          email: 'alice@acme.com',
        },
      },
      {
        start: at(24),
        end: at(48),
        primary: {
          ref: 'user:default/bob',
          title: 'Bob',
          email: 'bob@acme.com',
        },
      },
    ];
    expect(batch.turns).toEqual(
      new Map([
        ['component:default/payments-api', turns],
        ['component:default/payments-worker', turns],
      ]),
    );
    expect(batch.errors).toEqual(
      new Map([['component:default/ghost', 'PagerDuty has no service PGHOST']]),
    );
    expect(fake.requestCounts()).toEqual({
      '/services': 1,
      '/incidents': 1,
      '/oncalls': 1,
    });
    const oncalls = fake.requestsTo('/oncalls')[0].query;
    expect(oncalls.getAll('escalation_policy_ids[]')).toEqual(['PEP1']);
    expect(oncalls.get('earliest')).toBeNull();
    expect(oncalls.get('since')).toBe(at(0));
    expect(
      fake.requestsTo('/incidents')[0].query.getAll('service_ids[]'),
    ).toEqual(['PPAY', 'PNOEP']);
  });

  it('fails the collection when PagerDuty fails', async () => {
    fake.reset();
    fake.failure = { mode: 'status', status: 500 };
    const source = new PagerDutyPageSource(
      new PagerDutyClient({ token: TOKEN, baseUrl: fake.url }),
    );
    await expect(
      source.collect({
        entities: [component('payments-api', 'PPAY')],
        since: new Date(T0),
        until: new Date(T0 + 48 * H),
      }),
    ).rejects.toThrow('PagerDuty answered 500');
    fake.failure = undefined;
  });
});
