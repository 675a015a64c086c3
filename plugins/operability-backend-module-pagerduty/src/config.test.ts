import { ConfigReader } from '@backstage/config';
import { humanDurationToMs, readPagerDutyModuleConfig } from './config';

const read = (pagerduty: unknown) =>
  readPagerDutyModuleConfig(
    new ConfigReader({ operability: { pagerduty } } as any),
  );

describe('readPagerDutyModuleConfig', () => {
  it('is undefined when operability.pagerduty is absent', () => {
    expect(readPagerDutyModuleConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readPagerDutyModuleConfig(new ConfigReader({ operability: {} })),
    ).toBeUndefined();
  });

  it('applies the defaults', () => {
    expect(read({ token: 'abc' })).toEqual({
      accounts: [
        {
          id: 'default',
          baseUrl: 'https://api.pagerduty.com',
          auth: { type: 'token', token: 'abc' },
          configPath: 'operability.pagerduty.token',
        },
      ],
      requestTimeoutMs: 10_000,
      cacheTtlMs: 60_000,
      servicesCacheTtlMs: 600_000,
      maxRetryWaitMs: 30_000,
    });
  });

  it('reads durations as objects, ISO strings and ms strings', () => {
    expect(
      read({
        token: 'abc',
        baseUrl: 'https://api.eu.pagerduty.com/',
        requestTimeout: { seconds: 5 },
        cacheTtl: 'PT2M',
        servicesCacheTtl: '1h',
        maxRetryWait: { minutes: 1, seconds: 30 },
      }),
    ).toEqual({
      accounts: [
        {
          id: 'default',
          baseUrl: 'https://api.eu.pagerduty.com',
          auth: { type: 'token', token: 'abc' },
          configPath: 'operability.pagerduty.token',
        },
      ],
      requestTimeoutMs: 5_000,
      cacheTtlMs: 120_000,
      servicesCacheTtlMs: 3_600_000,
      maxRetryWaitMs: 90_000,
    });
    expect(read({ token: 'abc', cacheTtl: { seconds: 0 } })?.cacheTtlMs).toBe(
      0,
    );
  });

  it.each([
    [{}, 'token', 'is required'],
    [{ token: '' }, 'token', 'non-empty'],
    [{ token: 42 }, 'token', 'non-empty string'],
    [{ token: 'a b' }, 'token', 'whitespace'],
    [{ token: 't', baseUrl: '::' }, 'baseUrl', 'is not a URL'],
    [{ token: 't', baseUrl: 'ftp://pd' }, 'baseUrl', 'http(s)'],
    [{ token: 't', baseUrl: 'https://u:p@pd' }, 'baseUrl', 'credentials'],
    [{ token: 't', baseUrl: 7 }, 'baseUrl', 'expected a string'],
    [{ token: 't', requestTimeout: 'soon' }, 'requestTimeout', 'duration'],
    [
      { token: 't', requestTimeout: { seconds: 0 } },
      'requestTimeout',
      'positive',
    ],
    [{ token: 't', requestTimeout: 5000 }, 'requestTimeout', 'duration'],
    [{ token: 't', cacheTtl: { secs: 1 } }, 'cacheTtl', 'Needs one or more'],
    [{ token: 't', servicesCacheTtl: 'P1X' }, 'servicesCacheTtl', 'duration'],
    [{ token: 't', maxRetryWait: { seconds: -1 } }, 'maxRetryWait', 'positive'],
  ])('rejects %j naming operability.pagerduty.%s', (pd, key, detail) => {
    expect(() => read(pd)).toThrow(
      `Invalid config at 'operability.pagerduty.${key}': `,
    );
    expect(() => read(pd)).toThrow(detail);
  });

  it('rejects a non-object naming operability.pagerduty', () => {
    expect(() => read('yes')).toThrow(
      "Invalid config at 'operability.pagerduty'",
    );
  });

  it('never echoes the token in an error', () => {
    expect(() => read({ token: 'secret value' })).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('secret'),
      }),
    );
  });
});

describe("the PagerDuty plugin's own config", () => {
  const readAll = (data: Record<string, unknown>) =>
    readPagerDutyModuleConfig(new ConfigReader(data as any));

  it('reads pagerDuty.apiToken and pagerDuty.apiBaseUrl when operability.pagerduty is absent', () => {
    expect(
      readAll({
        pagerDuty: {
          apiToken: 'plugin-token',
          apiBaseUrl: 'https://api.eu.pagerduty.com',
        },
      })?.accounts,
    ).toEqual([
      {
        id: 'default',
        baseUrl: 'https://api.eu.pagerduty.com',
        auth: { type: 'token', token: 'plugin-token' },
        configPath: 'pagerDuty.apiToken',
      },
    ]);
  });

  it('reads pagerDuty.oauth (EU region: the EU API by default)', () => {
    expect(
      readAll({
        pagerDuty: {
          oauth: {
            clientId: 'cid',
            clientSecret: 'csecret',
            subDomain: 'acme',
            region: 'eu',
          },
        },
      })?.accounts,
    ).toEqual([
      {
        id: 'default',
        baseUrl: 'https://api.eu.pagerduty.com',
        auth: {
          type: 'oauth',
          clientId: 'cid',
          clientSecret: 'csecret',
          subDomain: 'acme',
          region: 'eu',
          tokenUrl: 'https://identity.pagerduty.com/oauth/token',
        },
        configPath: 'pagerDuty.oauth',
      },
    ]);
  });

  it('reads pagerDuty.accounts, the default one first', () => {
    const accounts = readAll({
      pagerDuty: {
        accounts: [
          { id: 'us', apiToken: 'us-token' },
          {
            id: 'eu',
            isDefault: true,
            apiBaseUrl: 'https://api.eu.pagerduty.com',
            eventsBaseUrl: 'https://events.eu.pagerduty.com/v2',
            oauth: { clientId: 'c', clientSecret: 's', subDomain: 'acme-eu' },
          },
        ],
      },
    })?.accounts;
    expect(accounts?.map(a => [a.id, a.baseUrl, a.auth.type])).toEqual([
      ['eu', 'https://api.eu.pagerduty.com', 'oauth'],
      ['us', 'https://api.pagerduty.com', 'token'],
    ]);
    expect(accounts?.[0].auth).toMatchObject({ region: 'us' });
  });

  it('lets our own keys override theirs', () => {
    const settings = readAll({
      operability: {
        pagerduty: {
          baseUrl: 'http://127.0.0.1:9999',
          cacheTtl: { seconds: 5 },
          oauthTokenUrl: 'http://127.0.0.1:9999/oauth/token',
        },
      },
      pagerDuty: {
        oauth: { clientId: 'c', clientSecret: 's', subDomain: 'acme' },
      },
    });
    expect(settings?.cacheTtlMs).toBe(5_000);
    expect(settings?.accounts[0]).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999',
      auth: { tokenUrl: 'http://127.0.0.1:9999/oauth/token' },
    });
    // Our token wins over theirs.
    expect(
      readAll({
        operability: { pagerduty: { token: 'ours' } },
        pagerDuty: { apiToken: 'theirs' },
      })?.accounts.map(a => a.auth),
    ).toEqual([{ type: 'token', token: 'ours' }]);
  });

  it.each([
    [{}, "'pagerDuty.apiToken'", 'is required'],
    [{ apiToken: 'a b' }, "'pagerDuty.apiToken'", 'whitespace'],
    [
      { apiToken: 't', apiBaseUrl: 'ftp://x' },
      "'pagerDuty.apiBaseUrl'",
      'http(s)',
    ],
    [
      { oauth: { clientId: 'c', subDomain: 'acme' } },
      "'pagerDuty.oauth.clientSecret'",
      'is required',
    ],
    [
      {
        oauth: {
          clientId: 'c',
          clientSecret: 's',
          subDomain: 'a',
          region: 'ap',
        },
      },
      "'pagerDuty.oauth.region'",
      "'us' or 'eu'",
    ],
    [{ accounts: [] }, "'pagerDuty.accounts'", 'empty'],
    [{ accounts: [{ apiToken: 't' }] }, "'pagerDuty.accounts[0].id'", 'id'],
    [
      {
        accounts: [
          { id: 'a', apiToken: 't' },
          { id: 'a', apiToken: 't' },
        ],
      },
      "'pagerDuty.accounts[1].id'",
      'used twice',
    ],
    [
      {
        accounts: [
          { id: 'a', isDefault: true, apiToken: 't' },
          { id: 'b', isDefault: true, apiToken: 't' },
        ],
      },
      "'pagerDuty.accounts'",
      'more than one',
    ],
    [{ accounts: [{ id: 'a' }] }, "'pagerDuty.accounts[0].apiToken'", 'oauth'],
  ])('rejects pagerDuty %j naming %s', (pagerDuty, path, detail) => {
    expect(() => readAll({ pagerDuty })).toThrow(`Invalid config at ${path}`);
    expect(() => readAll({ pagerDuty })).toThrow(detail);
  });

  it('never echoes a secret in an error', () => {
    expect(() =>
      readAll({
        pagerDuty: {
          oauth: { clientId: 'c', clientSecret: 'top secret', subDomain: 'a' },
        },
      }),
    ).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('top') }),
    );
  });
});

describe('humanDurationToMs', () => {
  it('counts like @backstage/types', () => {
    expect(
      humanDurationToMs({
        years: 1,
        months: 1,
        weeks: 1,
        days: 1,
        hours: 1,
        minutes: 1,
        seconds: 1,
        milliseconds: 1,
      }),
    ).toBe(((((365 + 30 + 7 + 1) * 24 + 1) * 60 + 1) * 60 + 1) * 1000 + 1);
  });
});
