import { readDurationFromConfig } from '@backstage/config';
import type { Config } from '@backstage/config';
import { DEFAULT_PAGERDUTY_BASE_URL } from './client/PagerDutyClient';

/** The settings of `operability.pagerduty`, durations in milliseconds. */
export interface PagerDutyModuleConfig {
  token: string;
  baseUrl: string;
  requestTimeoutMs: number;
  cacheTtlMs: number;
  servicesCacheTtlMs: number;
  maxRetryWaitMs: number;
}

/** Defaults, in milliseconds. */
export const PAGERDUTY_DEFAULTS = {
  baseUrl: DEFAULT_PAGERDUTY_BASE_URL,
  requestTimeoutMs: 10_000,
  cacheTtlMs: 60_000,
  servicesCacheTtlMs: 10 * 60_000,
  maxRetryWaitMs: 30_000,
} as const;

const ROOT = 'operability.pagerduty';

type HumanDuration = ReturnType<typeof readDurationFromConfig>;

/** Same arithmetic as `durationToMilliseconds` of `@backstage/types` (a year is 365 days, a month 30). */
export function humanDurationToMs(duration: HumanDuration): number {
  const {
    years = 0,
    months = 0,
    weeks = 0,
    days = 0,
    hours = 0,
    minutes = 0,
    seconds = 0,
    milliseconds = 0,
  } = duration;
  const totalDays = years * 365 + months * 30 + weeks * 7 + days;
  return (
    ((totalDays * 24 + hours) * 60 + minutes) * 60_000 +
    seconds * 1000 +
    milliseconds
  );
}

function invalid(key: string, detail: string): Error {
  return new Error(`Invalid config at '${ROOT}.${key}': ${detail}`);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function readDuration(
  pd: Config,
  key: string,
  defaultMs: number,
  options: { allowZero: boolean },
): number {
  if (!pd.has(key)) return defaultMs;
  let ms: number;
  try {
    ms = humanDurationToMs(readDurationFromConfig(pd, { key }));
  } catch (e) {
    throw invalid(
      key,
      `${message(
        e,
      )}; expected an ISO 8601 duration ('PT30S'), a string like '30s', or an object like { seconds: 30 }`,
    );
  }
  if (!Number.isFinite(ms) || ms < 0 || (!options.allowZero && ms === 0)) {
    throw invalid(
      key,
      `the duration must be ${options.allowZero ? 'zero or ' : ''}positive`,
    );
  }
  return ms;
}

/**
 * Reads `operability.pagerduty`; undefined when PagerDuty is not configured.
 * Every bad value throws an error that names its config path.
 */
export function readPagerDutyModuleConfig(
  config: Config,
): PagerDutyModuleConfig | undefined {
  if (!config.has(ROOT)) return undefined;
  let pd: Config;
  try {
    pd = config.getConfig(ROOT);
  } catch (e) {
    throw new Error(
      `Invalid config at '${ROOT}': ${message(e)}; expected an object`,
    );
  }

  // The token's value never appears in an error message.
  if (!pd.has('token')) {
    throw invalid('token', 'a PagerDuty REST API token is required');
  }
  const token = pd.getOptional('token');
  if (typeof token !== 'string' || token.trim() === '') {
    throw invalid('token', 'the token must be a non-empty string');
  }
  // It goes into an HTTP header: visible ASCII only.
  if ([...token].some(c => c.charCodeAt(0) < 0x21 || c.charCodeAt(0) > 0x7e)) {
    throw invalid(
      'token',
      'the token may only contain visible ASCII characters (no whitespace)',
    );
  }

  const rawBaseUrl = pd.getOptional('baseUrl') ?? PAGERDUTY_DEFAULTS.baseUrl;
  if (typeof rawBaseUrl !== 'string') {
    throw invalid('baseUrl', 'expected a string');
  }
  let url: URL;
  try {
    url = new URL(rawBaseUrl);
  } catch {
    throw invalid('baseUrl', `'${rawBaseUrl}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('baseUrl', `'${rawBaseUrl}' is not an http(s) URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalid(
      'baseUrl',
      'the URL must not carry credentials, a query or a fragment',
    );
  }

  return {
    token,
    baseUrl: rawBaseUrl.replace(/\/+$/, ''),
    requestTimeoutMs: readDuration(
      pd,
      'requestTimeout',
      PAGERDUTY_DEFAULTS.requestTimeoutMs,
      { allowZero: false },
    ),
    cacheTtlMs: readDuration(pd, 'cacheTtl', PAGERDUTY_DEFAULTS.cacheTtlMs, {
      allowZero: true,
    }),
    servicesCacheTtlMs: readDuration(
      pd,
      'servicesCacheTtl',
      PAGERDUTY_DEFAULTS.servicesCacheTtlMs,
      { allowZero: true },
    ),
    maxRetryWaitMs: readDuration(
      pd,
      'maxRetryWait',
      PAGERDUTY_DEFAULTS.maxRetryWaitMs,
      { allowZero: true },
    ),
  };
}
