import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PagerDutyClient, PagerDutyError } from './PagerDutyClient';
import { FakePagerDuty } from '../__testUtils__/fakePagerDuty';

const TOKEN = 'client-test-token';

jest.setTimeout(15_000);

describe('PagerDutyClient', () => {
  let fake: FakePagerDuty;

  beforeAll(async () => {
    fake = await FakePagerDuty.start({
      token: TOKEN,
      services: Array.from({ length: 250 }, (_, i) => ({
        id: `PS${i}`,
        name: `svc-${i}`,
        policyId: i % 2 ? `PE${i}` : null,
      })),
      users: [{ id: 'PU1', name: 'Ann Lee', email: 'ann@x.io' }],
      oncalls: [
        { policyId: 'PE1', level: 1, userId: 'PU1', start: null, end: null },
      ],
      schedules: [
        {
          id: 'PSCH1',
          name: 'Primary',
          layers: [{ id: 'PL1', userIds: ['PU1'], turnSeconds: 604_800 }],
        },
      ],
    });
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => fake.reset());

  const client = (
    options: Partial<{ baseUrl: string; maxPages: number }> = {},
  ) =>
    new PagerDutyClient({
      token: TOKEN,
      baseUrl: `${fake.url}/`,
      requestTimeoutMs: 200,
      ...options,
    });

  it('lists every service across pages of 100', async () => {
    const list = await client().listServices();
    expect(list).toHaveLength(250);
    expect(list[1]).toEqual({
      id: 'PS1',
      name: 'svc-1',
      escalationPolicy: {
        id: 'PE1',
        summary: 'Policy PE1',
        html_url: 'https://acme.pagerduty.com/escalation_policies/PE1',
      },
      htmlUrl: 'https://acme.pagerduty.com/service-directory/PS1',
      integrationKeys: [],
    });
    expect(list[0].escalationPolicy).toBeNull();
    expect(
      fake.requests.map(r => [
        r.path,
        r.query.get('offset'),
        r.query.get('limit'),
      ]),
    ).toEqual([
      ['/services', '0', '100'],
      ['/services', '100', '100'],
      ['/services', '200', '100'],
    ]);
  });

  it('sends the token and the versioned Accept header', async () => {
    await client().listOnCalls({ escalationPolicyIds: ['PE1'] });
    expect(fake.requests[0].headers).toMatchObject({
      authorization: `Token token=${TOKEN}`,
      accept: 'application/vnd.pagerduty+json;version=2',
    });
  });

  it('returns on-call entries with users included', async () => {
    const entries = await client().listOnCalls({
      escalationPolicyIds: ['PE1', 'PE1', 'PE3'],
    });
    expect(entries).toEqual([
      {
        escalation_policy: {
          id: 'PE1',
          type: 'escalation_policy_reference',
          summary: 'Policy PE1',
          self: expect.any(String),
        },
        escalation_level: 1,
        schedule: null,
        user: {
          id: 'PU1',
          type: 'user',
          summary: 'Ann Lee',
          name: 'Ann Lee',
          email: 'ann@x.io',
        },
        start: null,
        end: null,
      },
    ]);
    // duplicate ids are sent once
    expect(fake.requests[0].query.getAll('escalation_policy_ids[]')).toEqual([
      'PE1',
      'PE3',
    ]);
  });

  it('reads a schedule with its layers, and the users with their emails', async () => {
    expect(await client().getSchedule('PSCH1')).toEqual({
      id: 'PSCH1',
      name: 'Primary',
      layers: [
        {
          id: 'PL1',
          end: null,
          rotationTurnLengthSeconds: 604_800,
          users: [expect.objectContaining({ id: 'PU1', summary: 'Ann Lee' })],
        },
      ],
    });
    expect(await client().listUsers()).toEqual([
      expect.objectContaining({
        id: 'PU1',
        name: 'Ann Lee',
        email: 'ann@x.io',
      }),
    ]);
    await expect(client().getSchedule('PNOPE')).rejects.toMatchObject({
      kind: 'http',
      status: 404,
    });
  });

  it('reads every user even past the page bound of other lists', async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({
      id: `PU${i}`,
      name: `User ${i}`,
    }));
    const saved = fake.users;
    fake.users = many;
    try {
      const small = new PagerDutyClient({
        token: TOKEN,
        baseUrl: fake.url,
        requestTimeoutMs: 200,
        maxPages: 2,
        pageSize: 1,
      });
      expect((await small.listUsers()).map(u => u.id)).toEqual(
        many.map(u => u.id),
      );
      await expect(small.listServices()).rejects.toThrow(
        'PagerDuty GET /services has more than 2 pages; stopped there',
      );
    } finally {
      fake.users = saved;
    }
  });

  it('refuses a schedule without layers as malformed', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ schedule: { id: 'PSCH1', name: 'x' } }));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(
        client({ baseUrl: `http://127.0.0.1:${port}` }).getSchedule('PSCH1'),
      ).rejects.toThrow(
        "PagerDuty answered malformed JSON for GET /schedules/PSCH1: 'schedule' has no id or no schedule_layers",
      );
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });

  it('stops after the page bound with a clear error', async () => {
    const error = await client({ maxPages: 2 })
      .listServices()
      .catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyError);
    expect(error.kind).toBe('too-many-pages');
    expect(error.message).toBe(
      'PagerDuty GET /services has more than 2 pages; stopped there',
    );
    expect(fake.requests).toHaveLength(2);
  });

  it('carries the status and PagerDuty’s message on an HTTP error', async () => {
    const error = await client({ baseUrl: `${fake.url}/nowhere` })
      .listServices()
      .catch(e => e);
    expect(error).toBeInstanceOf(PagerDutyError);
    expect(error).toMatchObject({
      kind: 'http',
      status: 404,
      pagerDutyMessage: 'Not Found',
      code: 2100,
      message: 'PagerDuty answered 404: Not Found',
    });
  });

  it('uses the status text when the error body is not PagerDuty’s', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>bad gateway</html>');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const error = await new PagerDutyClient({
        token: TOKEN,
        baseUrl: `http://127.0.0.1:${port}`,
      })
        .listServices()
        .catch(e => e);
      expect(error).toMatchObject({
        status: 502,
        message: 'PagerDuty answered 502: Bad Gateway',
      });
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });

  it('times out a request that hangs', async () => {
    fake.failure = { mode: 'hang' };
    const started = Date.now();
    const error = await client()
      .listServices()
      .catch(e => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({
      kind: 'timeout',
      message: 'PagerDuty did not answer GET /services within 200 ms',
    });
  });

  it('reports a refused connection', async () => {
    const server = http.createServer();
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    await new Promise(r => server.close(r));
    const error = await new PagerDutyClient({
      token: TOKEN,
      baseUrl: `http://127.0.0.1:${port}`,
    })
      .listServices()
      .catch(e => e);
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(
      /^PagerDuty is unreachable \(GET \/services\): .*ECONNREFUSED/,
    );
  });
});
