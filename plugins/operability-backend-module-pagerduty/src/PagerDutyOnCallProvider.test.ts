import { PagerDutyClient } from './client/PagerDutyClient';
import {
  PagerDutyOnCallProvider,
  personOf,
  turnDuration,
} from './PagerDutyOnCallProvider';
import {
  captureLogger,
  component,
  FakePagerDuty,
  FakeOnCall,
  FakeSchedule,
  FakeService,
} from './__testUtils__/fakePagerDuty';

const TOKEN = 'pd-test-token-3f9a';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

jest.setTimeout(15_000);

describe('PagerDutyOnCallProvider', () => {
  let fake: FakePagerDuty;
  const t0 = Date.now();
  const bobEnd = iso(t0 + 6 * DAY);
  const pastAt = new Date(t0 - 30 * DAY);

  const services: FakeService[] = [
    {
      id: 'PSVCCHK',
      name: 'checkout',
      policyId: 'PEPCHK1',
      policyName: 'Checkout Escalation',
    },
    { id: 'PSVCPAY', name: 'payments', policyId: 'PEPPAY1' },
    {
      id: 'PSVCNOB',
      name: 'nobody',
      policyId: 'PEPNOB1',
      policyName: 'Empty Escalation',
    },
    { id: 'PSVCNEP', name: 'no policy', policyId: null },
  ];
  const oncalls: FakeOnCall[] = [
    // checkout: Bob is primary for the week; Alice's later entry on the same level loses
    {
      policyId: 'PEPCHK1',
      level: 1,
      userId: 'PUBOBBY',
      scheduleId: 'PSCHCK1',
      start: iso(t0 - DAY),
      end: bobEnd,
    },
    {
      policyId: 'PEPCHK1',
      level: 1,
      userId: 'PUALICE',
      scheduleId: 'PSCHCK2',
      start: iso(t0 - HOUR),
      end: iso(t0 + HOUR),
    },
    {
      policyId: 'PEPCHK1',
      level: 2,
      userId: 'PUCAROL',
      start: null,
      end: null,
    },
    // checkout a month ago: Alice
    {
      policyId: 'PEPCHK1',
      level: 1,
      userId: 'PUALICE',
      scheduleId: 'PSCHCK1',
      start: iso(pastAt.getTime() - DAY),
      end: iso(pastAt.getTime() + DAY),
    },
    // payments: Alice always, no secondary
    {
      policyId: 'PEPPAY1',
      level: 1,
      userId: 'PUALICE',
      start: null,
      end: null,
    },
  ];
  const users = [
    { id: 'PUALICE', name: 'Alice Adams', email: 'Alice.Adams@acme.com' },
    { id: 'PUBOBBY', name: 'Bob Brown', email: 'bob+pd@acme.com' },
    { id: 'PUCAROL', name: 'Carol Chen' },
    { id: 'PUERIN', name: 'Erin Ek', email: 'erin@acme.com' },
  ];
  // The schedules of checkout's first level (PSCHCK1 and PSCHCK2 above).
  const schedules: FakeSchedule[] = [
    {
      id: 'PSCHCK1',
      name: 'Checkout Primary',
      layers: [
        // Highest priority first: a daily overlay, then the weekly base.
        { id: 'PLDAILY', userIds: ['PUCAROL'], turnSeconds: 86_400 },
        {
          id: 'PLWEEKLY',
          userIds: ['PUALICE', 'PUBOBBY', 'PUCAROL'],
          turnSeconds: 604_800,
        },
      ],
    },
    {
      id: 'PSCHCK2',
      name: 'Checkout Cover',
      layers: [
        { id: 'PLCOVER', userIds: ['PUALICE'], turnSeconds: 43_200 },
        // Ended: Erin no longer takes turns.
        {
          id: 'PLOLD',
          userIds: ['PUERIN'],
          turnSeconds: 604_800,
          end: iso(t0 - 30 * DAY),
        },
      ],
    },
  ];

  beforeAll(async () => {
    fake = await FakePagerDuty.start({
      token: TOKEN,
      services,
      users,
      oncalls,
      schedules,
    });
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => {
    fake.reset();
    fake.services = services;
    fake.oncalls = oncalls;
    fake.schedules = schedules;
    fake.maxLimit = 100;
    fake.unauthorizedMessage = 'Unauthorized';
  });

  function setup(
    options: {
      token?: string;
      baseUrl?: string;
      cacheTtlMs?: number;
      servicesCacheTtlMs?: number;
      now?: () => Date;
      maxRetryWaitMs?: number;
    } = {},
  ) {
    const { logger, messages } = captureLogger();
    const provider = new PagerDutyOnCallProvider({
      client: new PagerDutyClient({
        token: options.token ?? TOKEN,
        baseUrl: options.baseUrl ?? fake.url,
        requestTimeoutMs: 200,
        maxRetryWaitMs: options.maxRetryWaitMs ?? 2_000,
      }),
      logger,
      cacheTtlMs: options.cacheTtlMs,
      servicesCacheTtlMs: options.servicesCacheTtlMs,
      now: options.now,
    });
    return { provider, messages };
  }

  it('maps level 1 to primary and level 2 to secondary, with until and people', async () => {
    const { provider } = setup();
    const before = Date.now();
    const answers = await provider.getOnCall({
      entities: [
        component('checkout-api', 'PSVCCHK'),
        component('payments-api', 'PSVCPAY'),
        component('no-pagerduty'),
      ],
      at: new Date(),
    });
    expect([...answers.keys()].sort()).toEqual([
      'component:default/checkout-api',
      'component:default/payments-api',
    ]);
    const checkout = answers.get('component:default/checkout-api')!;
    expect(checkout).toEqual({
      source: 'pagerduty',
      primary: {
        ref: 'user:default/bob-pd',
        title: 'Bob Brown',
        email: 'bob+pd@acme.com',
      },
      secondary: { ref: 'pagerduty-user:PUCAROL', title: 'Carol Chen' },
      // PagerDuty has no shadows.
      shadows: [],
      until: bobEnd,
      status: 'ok',
      asOf: expect.any(String),
      // PagerDuty's pages of the service, its policy and the primary's schedule.
      links: {
        service: 'https://acme.pagerduty.com/service-directory/PSVCCHK',
        escalationPolicy:
          'https://acme.pagerduty.com/escalation_policies/PEPCHK1',
        schedule: 'https://acme.pagerduty.com/schedules/PSCHCK1',
      },
    });
    expect(Date.parse(checkout.asOf)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(checkout.asOf)).toBeLessThanOrEqual(Date.now());
    expect(answers.get('component:default/payments-api')).toMatchObject({
      primary: {
        ref: 'user:default/alice.adams',
        title: 'Alice Adams',
        email: 'Alice.Adams@acme.com',
      },
      secondary: null,
      until: null,
      status: 'ok',
    });
  });

  it('asks /oncalls once for all the policies of many entities', async () => {
    const { provider } = setup();
    const answers = await provider.getOnCall({
      entities: [
        component('checkout-api', 'PSVCCHK'),
        component('checkout-worker', 'PSVCCHK'),
        component('payments-api', 'PSVCPAY'),
        component('empty', 'PSVCNOB'),
      ],
      at: new Date(),
    });
    expect(answers.size).toBe(4);
    expect(fake.requestsTo('/services')).toHaveLength(1);
    const oncallRequests = fake.requestsTo('/oncalls');
    expect(oncallRequests).toHaveLength(1);
    const [req] = oncallRequests;
    expect(req.query.getAll('escalation_policy_ids[]').sort()).toEqual([
      'PEPCHK1',
      'PEPNOB1',
      'PEPPAY1',
    ]);
    expect(req.query.getAll('include[]')).toEqual(['users']);
    expect(req.query.get('earliest')).toBe('true');
    expect(req.query.get('limit')).toBe('100');
    expect(req.query.has('since')).toBe(false);
    expect(req.query.has('until')).toBe(false);
    expect(req.headers.authorization).toBe(`Token token=${TOKEN}`);
    expect(req.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    expect(answers.get('component:default/checkout-worker')).toEqual(
      answers.get('component:default/checkout-api'),
    );
  });

  it('chunks /oncalls only past 100 escalation policies', async () => {
    const many = Array.from({ length: 150 }, (_, i) => ({
      id: `PS${i}`,
      name: `svc-${i}`,
      policyId: `PE${i}`,
    }));
    fake.services = many;
    fake.oncalls = many.map(s => ({
      policyId: s.policyId,
      level: 1,
      userId: 'PUALICE',
      start: null,
      end: null,
    }));
    const { provider } = setup();
    const answers = await provider.getOnCall({
      entities: many.map(s => component(s.name, s.id)),
      at: new Date(),
    });
    expect([...answers.values()].every(a => a.status === 'ok')).toBe(true);
    expect(answers.size).toBe(150);
    // 150 services at 100 per page
    expect(
      fake.requestsTo('/services').map(r => r.query.get('offset')),
    ).toEqual(['0', '100']);
    const oncallRequests = fake.requestsTo('/oncalls');
    expect(
      oncallRequests.map(r => r.query.getAll('escalation_policy_ids[]').length),
    ).toEqual([100, 50]);
  });

  it('follows pagination on /services and /oncalls', async () => {
    fake.maxLimit = 2; // PagerDuty hands out fewer than asked: 4 services → 2 pages, 5 entries → 3 pages
    fake.services = [
      ...services,
      { id: 'PSVCEXT', name: 'extra', policyId: 'PEPEXT1' },
    ];
    fake.oncalls = [
      ...oncalls,
      {
        policyId: 'PEPEXT1',
        level: 1,
        userId: 'PUBOBBY',
        start: null,
        end: null,
      },
      {
        policyId: 'PEPEXT1',
        level: 2,
        userId: 'PUALICE',
        start: null,
        end: null,
      },
    ];
    const { provider } = setup();
    const answers = await provider.getOnCall({
      entities: [
        component('checkout-api', 'PSVCCHK'),
        component('payments-api', 'PSVCPAY'),
        component('extra', 'PSVCEXT'),
      ],
      at: new Date(),
    });
    expect(
      fake.requestsTo('/services').map(r => r.query.get('offset')),
    ).toEqual(['0', '2', '4']);
    expect(fake.requestsTo('/oncalls').map(r => r.query.get('offset'))).toEqual(
      ['0', '2', '4'],
    );
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      primary: { ref: 'user:default/bob-pd' },
      secondary: { ref: 'pagerduty-user:PUCAROL' },
    });
    expect(answers.get('component:default/extra')).toMatchObject({
      primary: { ref: 'user:default/bob-pd' },
      secondary: { ref: 'user:default/alice.adams' },
      status: 'ok',
    });
  });

  it("answers 'none' when nobody is on call", async () => {
    const { provider } = setup();
    const answers = await provider.getOnCall({
      entities: [component('empty', 'PSVCNOB')],
      at: new Date(),
    });
    expect(answers.get('component:default/empty')).toMatchObject({
      source: 'pagerduty',
      primary: null,
      secondary: null,
      until: null,
      status: 'none',
      reason:
        'Nobody is on call in PagerDuty escalation policy Empty Escalation (PEPNOB1)',
    });
  });

  it('answers unknown for a service PagerDuty does not know, or one without a policy', async () => {
    const { provider } = setup();
    const answers = await provider.getOnCall({
      entities: [
        component('ghost', 'PXNOPE1'),
        component('no-policy', 'PSVCNEP'),
        component('checkout-api', 'PSVCCHK'),
      ],
      at: new Date(),
    });
    expect(answers.get('component:default/ghost')).toMatchObject({
      status: 'unknown',
      primary: null,
      secondary: null,
      reason: 'PagerDuty service PXNOPE1 not found',
    });
    expect(answers.get('component:default/no-policy')).toMatchObject({
      status: 'unknown',
      reason: 'PagerDuty service PSVCNEP has no escalation policy',
    });
    expect(answers.get('component:default/checkout-api')?.status).toBe('ok');
    expect(
      fake.requestsTo('/oncalls')[0].query.getAll('escalation_policy_ids[]'),
    ).toEqual(['PEPCHK1']);
  });

  it('refreshes the services list early when a service is missing from an older list', async () => {
    let now = Date.now();
    const { provider } = setup({ now: () => new Date(now) });
    await provider.getOnCall({
      entities: [component('late', 'PSVCLATE')],
      at: new Date(now),
    });
    fake.services = [
      ...services,
      { id: 'PSVCLATE', name: 'late', policyId: 'PEPPAY1' },
    ];
    // within a minute: the list is reused
    now += 30_000;
    const soon = await provider.getOnCall({
      entities: [component('late', 'PSVCLATE')],
      at: new Date(now),
    });
    expect(soon.get('component:default/late')?.status).toBe('unknown');
    expect(fake.requestsTo('/services')).toHaveLength(1);
    // after the on-call TTL: one refresh finds it
    now += 60_000;
    const later = await provider.getOnCall({
      entities: [component('late', 'PSVCLATE')],
      at: new Date(now),
    });
    expect(later.get('component:default/late')).toMatchObject({
      status: 'ok',
      primary: { ref: 'user:default/alice.adams' },
    });
    expect(fake.requestsTo('/services')).toHaveLength(2);
  });

  it('answers for an instant in the past with since and until, and does not cache it', async () => {
    const { provider } = setup();
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: pastAt,
    });
    const [req] = fake.requestsTo('/oncalls');
    expect(req.query.get('since')).toBe(pastAt.toISOString());
    expect(req.query.get('until')).toBe(
      new Date(pastAt.getTime() + 1000).toISOString(),
    );
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      primary: { ref: 'user:default/alice.adams' },
      secondary: { ref: 'pagerduty-user:PUCAROL' },
      until: iso(pastAt.getTime() + DAY),
      status: 'ok',
    });

    const now = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(fake.requestsTo('/oncalls')).toHaveLength(2);
    expect(now.get('component:default/checkout-api')?.primary?.ref).toBe(
      'user:default/bob-pd',
    );
  });

  it('reuses a "now" answer within the cache TTL and asks again after it', async () => {
    let now = Date.now();
    const { provider } = setup({ now: () => new Date(now) });
    const entities = [component('checkout-api', 'PSVCCHK')];
    const first = await provider.getOnCall({ entities, at: new Date(now) });
    expect(fake.requests).toHaveLength(2); // /services + /oncalls

    now += 30_000;
    const second = await provider.getOnCall({ entities, at: new Date(now) });
    expect(fake.requests).toHaveLength(2);
    expect(second).toEqual(first);

    now += 31_000; // past the default 1 min TTL; the services list stays (10 min)
    const third = await provider.getOnCall({ entities, at: new Date(now) });
    expect(fake.requestsTo('/oncalls')).toHaveLength(2);
    expect(fake.requestsTo('/services')).toHaveLength(1);
    expect(third.get('component:default/checkout-api')?.asOf).toBe(
      new Date(now).toISOString(),
    );
  });

  it('answers unknown with the reason on a bad token', async () => {
    const { provider, messages } = setup({ token: 'not-the-token' });
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      source: 'pagerduty',
      primary: null,
      secondary: null,
      until: null,
      status: 'unknown',
      reason:
        'PagerDuty answered 401: Unauthorized (check operability.pagerduty.token)',
    });
    expect(messages.filter(m => m.level === 'warn')).toHaveLength(1);
  });

  it('waits for Retry-After on a 429, then succeeds', async () => {
    const { provider } = setup();
    fake.rateLimit(1);
    const started = Date.now();
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requestsTo('/services')).toHaveLength(2);
    expect(answers.get('component:default/checkout-api')?.status).toBe('ok');
  });

  it('falls back to ratelimit-reset when Retry-After is absent', async () => {
    const { provider } = setup();
    fake.rateLimit(1, { 'ratelimit-reset': '1' });
    const started = Date.now();
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(answers.get('component:default/checkout-api')?.status).toBe('ok');
  });

  it('gives up after two retries on repeated 429s', async () => {
    const { provider } = setup();
    fake.rateLimit(5, { 'Retry-After': '0' });
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(fake.requests).toHaveLength(3);
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      status: 'unknown',
      reason:
        'PagerDuty answered 429: Rate Limit Exceeded (gave up after 2 retries)',
    });
  });

  it('does not sleep longer than the configured maximum wait', async () => {
    const { provider } = setup({ maxRetryWaitMs: 5_000 });
    fake.rateLimit(1, { 'Retry-After': '120' });
    const started = Date.now();
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(1);
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      status: 'unknown',
      reason:
        'PagerDuty rate limit: asked to wait 120 s before retrying, more than the configured maximum of 5 s',
    });
  });

  describe.each([
    [
      '503',
      () => {
        fake.failure = { mode: 'status', status: 503 };
      },
      () => 'PagerDuty answered 503: Service Unavailable',
    ],
    [
      '500 without PagerDuty’s message',
      () => {
        fake.failure = { mode: 'status', status: 500, message: '' };
      },
      () => 'PagerDuty answered 500: Internal Server Error',
    ],
    [
      'a timeout',
      () => {
        fake.failure = { mode: 'hang' };
      },
      (path: string) => `PagerDuty did not answer GET ${path} within 200 ms`,
    ],
    [
      'malformed JSON',
      () => {
        fake.failure = { mode: 'malformed' };
      },
      (path: string) =>
        `PagerDuty answered malformed JSON for GET ${path}: not JSON`,
    ],
    [
      'a wrong shape',
      () => {
        fake.failure = { mode: 'wrong-shape' };
      },
      (path: string) =>
        `PagerDuty answered malformed JSON for GET ${path}: '${path.slice(
          1,
        )}' is not a list`,
    ],
  ])('on %s', (_name, fail, reason) => {
    it('keeps the last good answer, marked unknown with the reason and its old asOf', async () => {
      let now = Date.now();
      const { provider, messages } = setup({ now: () => new Date(now) });
      const entities = [
        component('checkout-api', 'PSVCCHK'),
        component('payments-api', 'PSVCPAY'),
      ];
      const good = await provider.getOnCall({ entities, at: new Date(now) });
      const goodCheckout = good.get('component:default/checkout-api')!;
      expect(goodCheckout.status).toBe('ok');

      fail();
      now += 5 * 60_000; // the cached answer has expired
      const started = Date.now();
      const stale = await provider.getOnCall({ entities, at: new Date(now) });
      expect(Date.now() - started).toBeLessThan(3_000);
      const checkout = stale.get('component:default/checkout-api')!;
      expect(checkout).toEqual({
        ...goodCheckout,
        status: 'unknown',
        reason: expect.stringContaining(reason('/oncalls')),
      });
      expect(checkout.asOf).toBe(goodCheckout.asOf);
      expect(stale.get('component:default/payments-api')).toMatchObject({
        status: 'unknown',
        primary: { ref: 'user:default/alice.adams' },
      });
      const warnings = messages.filter(m => m.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].message).toContain(reason('/oncalls'));
    });

    it('answers unknown with nobody when there never was a good answer', async () => {
      const { provider } = setup();
      fail();
      const before = Date.now();
      const answers = await provider.getOnCall({
        entities: [component('checkout-api', 'PSVCCHK')],
        at: new Date(),
      });
      const checkout = answers.get('component:default/checkout-api')!;
      expect(checkout).toMatchObject({
        source: 'pagerduty',
        primary: null,
        secondary: null,
        until: null,
        status: 'unknown',
        reason: expect.stringContaining(reason('/services')),
      });
      expect(Date.parse(checkout.asOf)).toBeGreaterThanOrEqual(before - 1);
    });
  });

  it('keeps the last good answer when PagerDuty refuses connections', async () => {
    const own = await FakePagerDuty.start({
      token: TOKEN,
      services,
      users,
      oncalls,
    });
    let now = Date.now();
    const { provider } = setup({ baseUrl: own.url, now: () => new Date(now) });
    const entities = [component('checkout-api', 'PSVCCHK')];
    const good = await provider.getOnCall({ entities, at: new Date(now) });
    await own.stop();
    now += 5 * 60_000;
    const stale = await provider.getOnCall({ entities, at: new Date(now) });
    expect(stale.get('component:default/checkout-api')).toMatchObject({
      status: 'unknown',
      primary: { ref: 'user:default/bob-pd' },
      asOf: good.get('component:default/checkout-api')!.asOf,
      reason: expect.stringMatching(
        /^PagerDuty is unreachable \(GET \/oncalls\): .*ECONNREFUSED/,
      ),
    });
  });

  it('does not answer an instant in the past with the last good "now" answer', async () => {
    const { provider } = setup();
    const entities = [component('checkout-api', 'PSVCCHK')];
    await provider.getOnCall({ entities, at: new Date() });
    fake.failure = { mode: 'status', status: 503 };
    const answers = await provider.getOnCall({ entities, at: pastAt });
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      status: 'unknown',
      primary: null,
      secondary: null,
      reason: 'PagerDuty answered 503: Service Unavailable',
    });
  });

  it('never puts the token in a log message or a reason', async () => {
    const { provider, messages } = setup({ token: 'wrong-token-8c1e' });
    fake.unauthorizedMessage = 'Invalid token wrong-token-8c1e';
    const entities = [component('checkout-api', 'PSVCCHK')];
    const unauthorized = await provider.getOnCall({ entities, at: new Date() });

    const good = setup();
    await good.provider.getOnCall({ entities, at: new Date() });
    fake.failure = { mode: 'status', status: 503, message: `echo ${TOKEN}` };
    const failed = await good.provider.getOnCall({ entities, at: pastAt });
    fake.failure = { mode: 'hang' };
    await good.provider.getOnCall({ entities, at: pastAt });

    const reasons = [unauthorized, failed].map(
      a => a.get('component:default/checkout-api')!.reason,
    );
    expect(reasons[0]).toContain('Invalid token ***');
    expect(reasons[1]).toContain('echo ***');
    const logged = JSON.stringify([...messages, ...good.messages]);
    expect(messages.length + good.messages.length).toBeGreaterThanOrEqual(3);
    expect(logged).not.toContain('wrong-token-8c1e');
    expect(logged).not.toContain(TOKEN);
    expect(JSON.stringify(reasons)).not.toContain(TOKEN);
  });

  describe('rotations', () => {
    const entities = [
      component('checkout-api', 'PSVCCHK'),
      component('payments-api', 'PSVCPAY'),
    ];

    it("reads the people of the live layers of the first level, and the base layer's turn", async () => {
      const { provider } = setup();
      await provider.getOnCall({ entities, at: new Date() });
      const rotations = await provider.getRotations({ entities });
      // payments' first level is a user, not a schedule: no rotation to read.
      expect([...rotations.keys()]).toEqual(['component:default/checkout-api']);
      expect(rotations.get('component:default/checkout-api')).toEqual({
        // In the order of the layers: the daily overlay's Carol first.
        members: [
          { ref: 'pagerduty-user:PUCAROL', title: 'Carol Chen' },
          {
            ref: 'user:default/alice.adams',
            title: 'Alice Adams',
            email: 'Alice.Adams@acme.com',
          },
          {
            ref: 'user:default/bob-pd',
            title: 'Bob Brown',
            email: 'bob+pd@acme.com',
          },
        ],
        turn: 'P7D',
        source: 'pagerduty:schedule/PSCHCK1,PSCHCK2',
      });
      expect(
        fake.requests.map(r => r.path).filter(p => p !== '/oncalls'),
      ).toEqual([
        '/services',
        '/schedules/PSCHCK1',
        '/schedules/PSCHCK2',
        '/users',
      ]);
    });

    it('reuses schedules and users, and keeps them when PagerDuty fails', async () => {
      let now = Date.now();
      const { provider, messages } = setup({
        servicesCacheTtlMs: 10 * 60_000,
        now: () => new Date(now),
      });
      await provider.getOnCall({ entities, at: new Date(now) });
      const first = await provider.getRotations({ entities });
      fake.reset();
      expect(await provider.getRotations({ entities })).toEqual(first);
      expect(fake.requests).toEqual([]);

      now += 11 * 60_000;
      fake.failure = { mode: 'status', status: 503 };
      expect(await provider.getRotations({ entities })).toEqual(first);
      expect(fake.requestsTo('/users')).toHaveLength(1);
      expect(messages.at(-1)?.message).toMatch(
        /^PagerDuty rotations: PagerDuty answered 503/,
      );
    });

    it('says nothing rather than guess when the users list was never read, or a schedule is gone', async () => {
      const { provider } = setup();
      await provider.getOnCall({ entities, at: new Date() });
      fake.failure = { mode: 'status', status: 500 };
      await expect(provider.getRotations({ entities })).rejects.toThrow(
        /PagerDuty answered 500/,
      );

      fake.failure = undefined;
      fake.schedules = schedules.filter(x => x.id !== 'PSCHCK2');
      const rotations = await provider.getRotations({ entities });
      expect(rotations.size).toBe(0);
    });

    it('needs no on-call lookup first: it reads the services and the first levels itself', async () => {
      const { provider } = setup();
      const rotations = await provider.getRotations({ entities });
      expect([...rotations.keys()]).toEqual(['component:default/checkout-api']);
      expect(fake.requests.map(r => r.path)).toEqual([
        '/services',
        '/oncalls',
        '/schedules/PSCHCK1',
        '/schedules/PSCHCK2',
        '/users',
      ]);
      // An on-call lookup after it asks /oncalls for the answers, once.
      fake.reset();
      await provider.getOnCall({ entities, at: new Date() });
      expect(fake.requests.map(r => r.path)).toEqual(['/oncalls']);
    });

    it('throws when PagerDuty fails before it could tell the first levels', async () => {
      const { provider } = setup();
      fake.failure = { mode: 'status', status: 503 };
      await expect(provider.getRotations({ entities })).rejects.toThrow(
        /PagerDuty answered 503/,
      );
    });
  });

  it('never throws, even when the client does something unexpected', async () => {
    const { logger, messages } = captureLogger();
    const provider = new PagerDutyOnCallProvider({
      client: {
        listServices: async () => {
          throw new TypeError('boom');
        },
        listOnCalls: async () => [],
        getSchedule: async () => {
          throw new TypeError('boom');
        },
        listUsers: async () => [],
      },
      logger,
    });
    const answers = await provider.getOnCall({
      entities: [component('checkout-api', 'PSVCCHK')],
      at: new Date(),
    });
    expect(answers.get('component:default/checkout-api')).toMatchObject({
      status: 'unknown',
      reason: 'PagerDuty on-call lookup failed: boom',
    });
    expect(messages).toHaveLength(1);
  });
});

describe('personOf', () => {
  it.each([
    [
      { id: 'P1', name: 'Ann', email: 'Ann.Lee@x.io' },
      { ref: 'user:default/ann.lee', title: 'Ann', email: 'Ann.Lee@x.io' },
    ],
    [
      { id: 'P2', summary: 'Zoë', email: 'zoë+on call@x.io' },
      {
        ref: 'user:default/zo--on-call',
        title: 'Zoë',
        email: 'zoë+on call@x.io',
      },
    ],
    [
      { id: 'P3', summary: 'No Mail' },
      { ref: 'pagerduty-user:P3', title: 'No Mail' },
    ],
    [{ id: 'P4' }, { ref: 'pagerduty-user:P4' }],
  ])('maps %j', (user, person) => {
    expect(personOf(user)).toEqual(person);
  });
});

describe('turnDuration', () => {
  it.each([
    [604_800, 'P7D'],
    [86_400, 'P1D'],
    [43_200, 'PT12H'],
    [5_400, 'PT5400S'],
  ])('%d s is %s', (seconds, duration) => {
    expect(turnDuration(seconds)).toBe(duration);
  });
});
