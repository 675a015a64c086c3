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
      token: 'abc',
      baseUrl: 'https://api.pagerduty.com',
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
      token: 'abc',
      baseUrl: 'https://api.eu.pagerduty.com',
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
