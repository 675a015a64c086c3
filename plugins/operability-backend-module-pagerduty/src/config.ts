import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import type { Config } from '@backstage/config';
import { DEFAULT_PAGERDUTY_BASE_URL } from './client/PagerDutyClient';

/** How one PagerDuty account is reached. */
export type PagerDutyAuth =
  | { type: 'token'; token: string }
  | {
      type: 'oauth';
      clientId: string;
      clientSecret: string;
      subDomain: string;
      /** `us` or `eu` (PagerDuty's service regions). */
      region: string;
      /** The identity endpoint that issues client-credentials tokens. */
      tokenUrl: string;
    };

/** One PagerDuty account: where its API is and how to authenticate. */
export interface PagerDutyAccountSettings {
  /** `default` for a single account; else its id in `pagerDuty.accounts`. */
  id: string;
  baseUrl: string;
  auth: PagerDutyAuth;
  /** The config path the credentials came from, for error messages. */
  configPath: string;
}

/**
 * The PagerDuty settings, durations in milliseconds: from
 * `operability.pagerduty`, else from the PagerDuty plugin's own `pagerDuty`
 * (our keys override theirs).
 */
export interface PagerDutyModuleConfig {
  /** The accounts; the default one first. */
  accounts: PagerDutyAccountSettings[];
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
  oauthTokenUrl: 'https://identity.pagerduty.com/oauth/token',
} as const;

/** The REST API of PagerDuty's EU service region. */
const EU_BASE_URL = 'https://api.eu.pagerduty.com';

const ROOT = 'operability.pagerduty';
/** The PagerDuty plugin's own config (`@pagerduty/backstage-plugin-backend`). */
const PLUGIN_ROOT = 'pagerDuty';

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

function invalid(key: string, detail: string, root = ROOT): Error {
  return new Error(`Invalid config at '${root}.${key}': ${detail}`);
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

/** A secret or id: a non-empty string of visible ASCII, never echoed in errors. */
function readCredential(
  cfg: Config,
  key: string,
  root: string,
  what: string,
): string {
  if (!cfg.has(key)) throw invalid(key, `${what} is required`, root);
  const value = cfg.getOptional(key);
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(key, `the ${what} must be a non-empty string`, root);
  }
  // It goes into an HTTP header or form: visible ASCII only.
  if ([...value].some(c => c.charCodeAt(0) < 0x21 || c.charCodeAt(0) > 0x7e)) {
    throw invalid(
      key,
      `the ${what} may only contain visible ASCII characters (no whitespace)`,
      root,
    );
  }
  return value;
}

/** An http(s) URL without credentials, query or fragment; no trailing slash. */
function readUrl(
  cfg: Config,
  key: string,
  root: string,
  fallback: string,
): string {
  const raw = cfg.getOptional(key) ?? fallback;
  if (typeof raw !== 'string') throw invalid(key, 'expected a string', root);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(key, `'${raw}' is not a URL`, root);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(key, `'${raw}' is not an http(s) URL`, root);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw invalid(
      key,
      'the URL must not carry credentials, a query or a fragment',
      root,
    );
  }
  return raw.replace(/\/+$/, '');
}

function getObject(config: Config, path: string): Config {
  try {
    return config.getConfig(path);
  } catch (e) {
    throw new Error(
      `Invalid config at '${path}': ${message(e)}; expected an object`,
    );
  }
}

/**
 * One account of the PagerDuty plugin's config (`pagerDuty` itself, or an
 * entry of `pagerDuty.accounts`): `apiToken` or `oauth`, and `apiBaseUrl`.
 */
function readPluginAccount(
  cfg: Config,
  root: string,
  id: string,
  tokenUrl: string,
): PagerDutyAccountSettings {
  if (cfg.has('oauth')) {
    const oauthRoot = `${root}.oauth`;
    const oauth = getObject(cfg, 'oauth');
    const region = oauth.getOptional('region') ?? 'us';
    if (region !== 'us' && region !== 'eu') {
      throw invalid('region', "expected 'us' or 'eu'", oauthRoot);
    }
    const subDomain = readCredential(
      oauth,
      'subDomain',
      oauthRoot,
      'subdomain',
    );
    return {
      id,
      baseUrl: readUrl(
        cfg,
        'apiBaseUrl',
        root,
        region === 'eu' ? EU_BASE_URL : PAGERDUTY_DEFAULTS.baseUrl,
      ),
      auth: {
        type: 'oauth',
        clientId: readCredential(oauth, 'clientId', oauthRoot, 'client id'),
        clientSecret: readCredential(
          oauth,
          'clientSecret',
          oauthRoot,
          'client secret',
        ),
        subDomain,
        region,
        tokenUrl,
      },
      configPath: oauthRoot,
    };
  }
  if (!cfg.has('apiToken')) {
    throw invalid(
      'apiToken',
      'a PagerDuty REST API token (apiToken) or OAuth client (oauth) is required',
      root,
    );
  }
  return {
    id,
    baseUrl: readUrl(cfg, 'apiBaseUrl', root, PAGERDUTY_DEFAULTS.baseUrl),
    auth: {
      type: 'token',
      token: readCredential(cfg, 'apiToken', root, 'token'),
    },
    configPath: `${root}.apiToken`,
  };
}

/** The accounts of the PagerDuty plugin's `pagerDuty`, the default first. */
function readPluginAccounts(
  config: Config,
  tokenUrl: string,
): PagerDutyAccountSettings[] {
  const pd = getObject(config, PLUGIN_ROOT);
  if (!pd.has('accounts')) {
    return [readPluginAccount(pd, PLUGIN_ROOT, 'default', tokenUrl)];
  }
  let list: Config[];
  try {
    list = pd.getConfigArray('accounts');
  } catch (e) {
    throw new Error(
      `Invalid config at '${PLUGIN_ROOT}.accounts': ${message(
        e,
      )}; expected a list of accounts`,
    );
  }
  if (list.length === 0) {
    throw new Error(
      `Invalid config at '${PLUGIN_ROOT}.accounts': the list is empty`,
    );
  }
  const accounts: PagerDutyAccountSettings[] = [];
  let defaultIndex = 0;
  let defaults = 0;
  list.forEach((cfg, i) => {
    const root = `${PLUGIN_ROOT}.accounts[${i}]`;
    const id = cfg.getOptional('id');
    if (typeof id !== 'string' || !/^[A-Za-z0-9._-]+$/.test(id)) {
      throw invalid(
        'id',
        'each account needs an id of letters, digits, ".", "_" or "-"',
        root,
      );
    }
    if (accounts.some(a => a.id === id)) {
      throw invalid('id', `the id '${id}' is used twice`, root);
    }
    const isDefault = cfg.getOptional('isDefault');
    if (isDefault !== undefined && typeof isDefault !== 'boolean') {
      throw invalid('isDefault', 'expected true or false', root);
    }
    if (isDefault) {
      defaultIndex = i;
      defaults++;
    }
    accounts.push(readPluginAccount(cfg, root, id, tokenUrl));
  });
  if (defaults > 1) {
    throw new Error(
      `Invalid config at '${PLUGIN_ROOT}.accounts': more than one account has isDefault: true`,
    );
  }
  const [first] = accounts.splice(defaultIndex, 1);
  return [first, ...accounts];
}

/**
 * Reads the PagerDuty settings; undefined when PagerDuty is not configured.
 *
 * Credentials come from `operability.pagerduty.token` when it is set, else
 * from the PagerDuty plugin's own config (`pagerDuty.apiToken`,
 * `pagerDuty.oauth`, `pagerDuty.accounts`, `pagerDuty.apiBaseUrl`), so a site
 * that runs that plugin adds no second secret. `operability.pagerduty`'s other
 * keys (durations, `baseUrl`) override either. Every bad value throws an
 * error that names its config path.
 */
export function readPagerDutyModuleConfig(
  config: Config,
): PagerDutyModuleConfig | undefined {
  const ours = config.has(ROOT);
  const theirs = config.has(PLUGIN_ROOT);
  if (!ours && !theirs) return undefined;
  const pd = ours ? getObject(config, ROOT) : new ConfigReader({}, ROOT);
  const tokenUrl = readUrl(
    pd,
    'oauthTokenUrl',
    ROOT,
    PAGERDUTY_DEFAULTS.oauthTokenUrl,
  );

  let accounts: PagerDutyAccountSettings[];
  if (pd.has('token') || !theirs) {
    // The token's value never appears in an error message.
    if (!pd.has('token')) {
      throw invalid(
        'token',
        `a PagerDuty REST API token is required (or the PagerDuty plugin's ${PLUGIN_ROOT}.apiToken, ${PLUGIN_ROOT}.oauth or ${PLUGIN_ROOT}.accounts)`,
      );
    }
    accounts = [
      {
        id: 'default',
        baseUrl: readUrl(pd, 'baseUrl', ROOT, PAGERDUTY_DEFAULTS.baseUrl),
        auth: {
          type: 'token',
          token: readCredential(pd, 'token', ROOT, 'token'),
        },
        configPath: `${ROOT}.token`,
      },
    ];
  } else {
    accounts = readPluginAccounts(config, tokenUrl);
    if (pd.has('baseUrl')) {
      accounts[0] = {
        ...accounts[0],
        baseUrl: readUrl(pd, 'baseUrl', ROOT, PAGERDUTY_DEFAULTS.baseUrl),
      };
    }
  }

  return {
    accounts,
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
