/**
 * A small PagerDuty REST v2 client on Node's global `fetch`.
 *
 * It sends the token and the versioned Accept header, bounds every request in
 * time, follows `offset`/`limit`/`more` pagination, waits out 429s within a
 * configured limit, and turns every failure into a {@link PagerDutyError} whose
 * message never contains the token.
 */

/** Default API base URL. */
export const DEFAULT_PAGERDUTY_BASE_URL = 'https://api.pagerduty.com';

/** What went wrong, for callers that want to tell failures apart. */
export type PagerDutyErrorKind =
  | 'http'
  | 'rate-limited'
  | 'timeout'
  | 'network'
  | 'malformed'
  | 'too-many-pages';

/** A failed PagerDuty request. The message is fit to show and to log. */
export class PagerDutyError extends Error {
  override readonly name = 'PagerDutyError';
  readonly kind: PagerDutyErrorKind;
  /** HTTP status, when PagerDuty answered. */
  readonly status?: number;
  /** PagerDuty's own `error.message`, when the body had one. */
  readonly pagerDutyMessage?: string;
  /** PagerDuty's own `error.code`, when the body had one. */
  readonly code?: number;

  constructor(
    message: string,
    details: {
      kind: PagerDutyErrorKind;
      status?: number;
      pagerDutyMessage?: string;
      code?: number;
    },
  ) {
    super(message);
    this.kind = details.kind;
    this.status = details.status;
    this.pagerDutyMessage = details.pagerDutyMessage;
    this.code = details.code;
  }
}

/** A PagerDuty reference (`{id, type, summary, …}`). */
export interface PagerDutyReference {
  id: string;
  type?: string;
  summary?: string;
  /** PagerDuty's web page of the object. */
  html_url?: string;
}

/** A user as `/oncalls` returns it: a reference, or the full user with `include[]=users`. */
export interface PagerDutyUser extends PagerDutyReference {
  name?: string;
  email?: string;
}

/** One entry of `GET /oncalls`. `start`/`end` null means permanent. */
export interface PagerDutyOnCallEntry {
  escalation_policy: PagerDutyReference;
  escalation_level: number;
  schedule: PagerDutyReference | null;
  user: PagerDutyUser;
  start: string | null;
  end: string | null;
}

/** A service, reduced to what on-call needs. */
export interface PagerDutyService {
  id: string;
  name?: string;
  escalationPolicy: PagerDutyReference | null;
  /** PagerDuty's web page of the service. */
  htmlUrl?: string;
  /** The integration keys of its integrations (Events API), when listed. */
  integrationKeys?: string[];
}

/** A layer of a schedule, reduced to who takes turns and for how long. */
export interface PagerDutyScheduleLayer {
  id: string;
  /** ISO instant; null: the layer never ends. */
  end: string | null;
  rotationTurnLengthSeconds: number | null;
  users: PagerDutyReference[];
}

/** A schedule; `layers` come highest priority first, as PagerDuty returns them. */
export interface PagerDutySchedule {
  id: string;
  name?: string;
  layers: PagerDutyScheduleLayer[];
}

/**
 * An incident, reduced to what the on-call load needs. Times are ISO
 * instants as PagerDuty wrote them.
 */
export interface PagerDutyIncident {
  id: string;
  /** `incident_number`, when given. */
  number?: number;
  title: string;
  serviceId: string;
  createdAt: string;
  status: string;
  /** The first acknowledgement's `at`, when there is one. */
  acknowledgedAt?: string;
  /** `resolved_at`, else `last_status_change_at` of a resolved incident. */
  resolvedAt?: string;
  htmlUrl?: string;
  urgency?: string;
}

/** The calls the on-call provider makes; the client implements it, tests may fake it. */
export interface PagerDutyApi {
  listServices(): Promise<PagerDutyService[]>;
  /** `GET /schedules/{id}`: its layers and their people. */
  getSchedule(id: string): Promise<PagerDutySchedule>;
  /** `GET /users`, every page: ids, names and emails, to tie people to the catalog. */
  listUsers(): Promise<PagerDutyUser[]>;
  listOnCalls(request: {
    escalationPolicyIds: string[];
    since?: Date;
    until?: Date;
    /** One entry per policy, level and user (default); false: every span. */
    earliest?: boolean;
  }): Promise<PagerDutyOnCallEntry[]>;
  /** `GET /incidents` of these services created in [since, until), every page. */
  listIncidents?(request: {
    serviceIds: string[];
    since: Date;
    until: Date;
  }): Promise<PagerDutyIncident[]>;
}

/**
 * An OAuth client of a PagerDuty app with scoped OAuth: the client-credentials
 * grant of PagerDuty's identity endpoint, for the account named by region and
 * subdomain (`as_account-<region>.<subDomain>`), read-only scopes.
 */
export interface PagerDutyOAuthClient {
  clientId: string;
  clientSecret: string;
  subDomain: string;
  region: string;
  /** Default https://identity.pagerduty.com/oauth/token */
  tokenUrl?: string;
}

/** The scopes asked for: what on-call, rotations and pages read. */
export const PAGERDUTY_OAUTH_SCOPES = [
  'services.read',
  'escalation_policies.read',
  'oncalls.read',
  'schedules.read',
  'users.read',
  'incidents.read',
];

/** Options of {@link PagerDutyClient}. */
export interface PagerDutyClientOptions {
  /** A REST API token (`Authorization: Token token=…`); or `oauth`. */
  token?: string;
  /** An OAuth client (`Authorization: Bearer …`), instead of a token. */
  oauth?: PagerDutyOAuthClient;
  /** The config path of the credentials, named when PagerDuty refuses them. */
  credentialsConfigPath?: string;
  /** Default https://api.pagerduty.com */
  baseUrl?: string;
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /** Longest wait for a 429 before a retry; a longer ask fails instead. Default 30 s. */
  maxRetryWaitMs?: number;
  /** Retries after a 429. Default 2. */
  maxRetries?: number;
  /** Pages followed per list before giving up. Default 50. */
  maxPages?: number;
  /** Items asked per page (PagerDuty's maximum is 100). Default 100. */
  pageSize?: number;
  /** Escalation policy ids per `/oncalls` request, service ids per `/incidents` request. Default 100. */
  idsPerRequest?: number;
  /**
   * How far offset paging goes before a time window is split in two
   * (PagerDuty answers no further than offset + limit = 10,000). Default 10,000.
   */
  maxOffset?: number;
}

type QueryParams = Array<[string, string]>;

const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** Seconds from `Retry-After` (seconds or an HTTP date), else from `ratelimit-reset`. */
function retryWaitMs(headers: Headers): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return Number(reset) * 1000;
  return undefined;
}

/** An error's message; duck-typed, as errors from fetch may come from another realm. */
function messageOf(e: unknown): string {
  if (isObject(e)) {
    const { message } = e as { message?: unknown };
    if (typeof message === 'string' && message) return message;
  }
  return String(e);
}

/** The useful part of a fetch failure: its cause (`connect ECONNREFUSED …`), else itself. */
function networkDetail(e: unknown): string {
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  if (cause && typeof cause === 'object') {
    const { code, message, errors } = cause as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
    };
    if (typeof message === 'string' && message) return message;
    if (Array.isArray(errors) && errors.length > 0) {
      return messageOf(errors[0]);
    }
    if (typeof code === 'string') return code;
  }
  return messageOf(e);
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

function isReference(value: unknown): value is PagerDutyReference {
  return isObject(value) && typeof value.id === 'string';
}

function toUser(value: unknown): PagerDutyUser | undefined {
  if (!isReference(value)) return undefined;
  const record = value as unknown as Record<string, unknown>;
  const text = (t: unknown) => (typeof t === 'string' ? t : undefined);
  return {
    id: value.id,
    type: text(record.type),
    summary: text(record.summary),
    name: text(record.name),
    email: text(record.email),
  };
}

function toOnCallEntry(value: unknown): PagerDutyOnCallEntry | undefined {
  if (
    !isObject(value) ||
    !isReference(value.escalation_policy) ||
    typeof value.escalation_level !== 'number' ||
    !isReference(value.user)
  ) {
    return undefined;
  }
  const time = (t: unknown) => (typeof t === 'string' ? t : null);
  return {
    escalation_policy: value.escalation_policy,
    escalation_level: value.escalation_level,
    schedule: isReference(value.schedule) ? value.schedule : null,
    user: toUser(value.user)!,
    start: time(value.start),
    end: time(value.end),
  };
}

function toService(value: unknown): PagerDutyService | undefined {
  if (!isReference(value)) return undefined;
  const record = value as unknown as Record<string, unknown>;
  return {
    id: value.id,
    name:
      typeof record.name === 'string'
        ? record.name
        : (value.summary as string | undefined),
    escalationPolicy: isReference(record.escalation_policy)
      ? {
          id: record.escalation_policy.id,
          summary: record.escalation_policy.summary,
          ...(typeof record.escalation_policy.html_url === 'string'
            ? { html_url: record.escalation_policy.html_url }
            : {}),
        }
      : null,
    ...(typeof record.html_url === 'string'
      ? { htmlUrl: record.html_url }
      : {}),
    ...(Array.isArray(record.integrations)
      ? {
          integrationKeys: record.integrations.flatMap(i =>
            isObject(i) && typeof i.integration_key === 'string'
              ? [i.integration_key]
              : [],
          ),
        }
      : {}),
  };
}

function toIncident(value: unknown): PagerDutyIncident | undefined {
  if (!isReference(value)) return undefined;
  const r = value as unknown as Record<string, unknown>;
  const text = (t: unknown) =>
    typeof t === 'string' && t !== '' ? t : undefined;
  const createdAt = text(r.created_at);
  if (!createdAt || Number.isNaN(Date.parse(createdAt))) return undefined;
  if (!isReference(r.service)) return undefined;
  const acks = Array.isArray(r.acknowledgements)
    ? r.acknowledgements
        .map(a => (isObject(a) ? text(a.at) : undefined))
        .filter(
          (a): a is string => a !== undefined && !Number.isNaN(Date.parse(a)),
        )
        .sort((a, b) => Date.parse(a) - Date.parse(b))
    : [];
  const status = text(r.status) ?? 'triggered';
  const resolvedAt =
    text(r.resolved_at) ??
    (status === 'resolved' ? text(r.last_status_change_at) : undefined);
  return {
    id: value.id,
    ...(typeof r.incident_number === 'number'
      ? { number: r.incident_number }
      : {}),
    title: text(r.title) ?? text(r.summary) ?? value.id,
    serviceId: r.service.id,
    createdAt,
    status,
    ...(acks[0] ? { acknowledgedAt: acks[0] } : {}),
    ...(resolvedAt ? { resolvedAt } : {}),
    ...(text(r.html_url) ? { htmlUrl: text(r.html_url) } : {}),
    ...(text(r.urgency) ? { urgency: text(r.urgency) } : {}),
  };
}

/** Thrown inside `listIncidents` when a window has more than `maxOffset` incidents. */
class WindowTooLarge extends Error {}

function toSchedule(value: unknown): PagerDutySchedule | undefined {
  if (!isReference(value)) return undefined;
  const record = value as unknown as Record<string, unknown>;
  if (!Array.isArray(record.schedule_layers)) return undefined;
  const layers: PagerDutyScheduleLayer[] = [];
  for (const layer of record.schedule_layers) {
    if (!isObject(layer) || typeof layer.id !== 'string') return undefined;
    const users = Array.isArray(layer.users) ? layer.users : [];
    layers.push({
      id: layer.id,
      end: typeof layer.end === 'string' ? layer.end : null,
      rotationTurnLengthSeconds:
        typeof layer.rotation_turn_length_seconds === 'number'
          ? layer.rotation_turn_length_seconds
          : null,
      // Each entry is `{ user: <reference> }`.
      users: users.flatMap(entry =>
        isObject(entry) && isReference(entry.user) ? [entry.user] : [],
      ),
    });
  }
  return {
    id: value.id,
    name: typeof record.name === 'string' ? record.name : value.summary,
    layers,
  };
}

/** Renew an OAuth token this long before PagerDuty says it expires. */
const TOKEN_RENEWAL_MARGIN_MS = 60_000;

/** PagerDuty REST v2 client. */
export class PagerDutyClient implements PagerDutyApi {
  private readonly token: string;
  private readonly oauth?: PagerDutyOAuthClient;
  private readonly credentialsConfigPath: string;
  /** The OAuth access token, kept until shortly before it expires. */
  private accessToken?: { value: string; expiresAt: number };
  private accessTokenInFlight?: Promise<string>;
  private readonly baseUrl: string;
  private readonly requestTimeoutMs: number;
  private readonly maxRetryWaitMs: number;
  private readonly maxRetries: number;
  private readonly maxPages: number;
  private readonly pageSize: number;
  private readonly idsPerRequest: number;
  private readonly maxOffset: number;

  constructor(options: PagerDutyClientOptions) {
    this.token = options.token ?? '';
    this.oauth = options.oauth;
    if (!this.token && !this.oauth) {
      throw new Error('PagerDutyClient needs a token or an OAuth client');
    }
    this.credentialsConfigPath =
      options.credentialsConfigPath ?? 'operability.pagerduty.token';
    this.baseUrl = (options.baseUrl ?? DEFAULT_PAGERDUTY_BASE_URL).replace(
      /\/+$/,
      '',
    );
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.maxPages = options.maxPages ?? 50;
    this.pageSize = options.pageSize ?? 100;
    this.idsPerRequest = options.idsPerRequest ?? 100;
    this.maxOffset = options.maxOffset ?? 10_000;
  }

  /**
   * `GET /services?include[]=integrations`, every page: each service with its
   * escalation policy, web page and integration keys (so that an entity's
   * `pagerduty.com/integration-key` finds its service).
   */
  async listServices(): Promise<PagerDutyService[]> {
    const items = await this.getAll(
      '/services',
      [['include[]', 'integrations']],
      'services',
    );
    return items.map(item => {
      const service = toService(item);
      if (!service) {
        throw this.malformed('/services', 'a service has no id');
      }
      return service;
    });
  }

  /** `GET /schedules/{id}`. */
  async getSchedule(id: string): Promise<PagerDutySchedule> {
    const path = `/schedules/${encodeURIComponent(id)}`;
    const body = await this.get(path, []);
    const schedule = toSchedule(body.schedule);
    if (!schedule) {
      throw this.malformed(path, "'schedule' has no id or no schedule_layers");
    }
    return schedule;
  }

  /**
   * `GET /users`, every page. An account's users can outnumber `maxPages`
   * pages; PagerDuty's offset paging ends at 10,000 items anyway, so up to
   * that many are read.
   */
  async listUsers(): Promise<PagerDutyUser[]> {
    const items = await this.getAll(
      '/users',
      [],
      'users',
      Math.max(this.maxPages, Math.ceil(10_000 / this.pageSize)),
    );
    return items.map(item => {
      const user = toUser(item);
      if (!user) throw this.malformed('/users', 'a user has no id');
      return user;
    });
  }

  /**
   * `GET /oncalls` for the given escalation policies (at most 100 ids per
   * request), with users included and the earliest entry per policy, level and
   * user; every page. Without `since`/`until` PagerDuty answers for now.
   */
  async listOnCalls(request: {
    escalationPolicyIds: string[];
    since?: Date;
    until?: Date;
    earliest?: boolean;
  }): Promise<PagerDutyOnCallEntry[]> {
    const ids = [...new Set(request.escalationPolicyIds)];
    const entries: PagerDutyOnCallEntry[] = [];
    for (const ids100 of chunk(ids, this.idsPerRequest)) {
      const params: QueryParams = [
        ...ids100.map(
          id => ['escalation_policy_ids[]', id] as [string, string],
        ),
        ['include[]', 'users'],
      ];
      if (request.earliest !== false) params.push(['earliest', 'true']);
      if (request.since) params.push(['since', request.since.toISOString()]);
      if (request.until) params.push(['until', request.until.toISOString()]);
      const items = await this.getAll('/oncalls', params, 'oncalls');
      for (const item of items) {
        const entry = toOnCallEntry(item);
        if (!entry) {
          throw this.malformed(
            '/oncalls',
            'an entry lacks its escalation policy, level or user',
          );
        }
        entries.push(entry);
      }
    }
    return entries;
  }

  /**
   * `GET /incidents` for the given services (at most `idsPerRequest` ids
   * per request) created in [since, until), every page, times in UTC. A
   * window with more incidents than offset paging reaches (10,000) is split
   * in two and each half asked on its own.
   */
  async listIncidents(request: {
    serviceIds: string[];
    since: Date;
    until: Date;
  }): Promise<PagerDutyIncident[]> {
    const ids = [...new Set(request.serviceIds)];
    const out: PagerDutyIncident[] = [];
    for (const ids100 of chunk(ids, this.idsPerRequest)) {
      out.push(
        ...(await this.incidentsIn(
          ids100,
          request.since.getTime(),
          request.until.getTime(),
        )),
      );
    }
    return out;
  }

  private async incidentsIn(
    serviceIds: string[],
    since: number,
    until: number,
  ): Promise<PagerDutyIncident[]> {
    try {
      return await this.incidentsPaged(serviceIds, since, until);
    } catch (e) {
      if (!(e instanceof WindowTooLarge) || until - since <= 60_000) {
        if (e instanceof WindowTooLarge) {
          throw new PagerDutyError(
            `PagerDuty GET /incidents has more than ${this.maxOffset} incidents in one minute; stopped there`,
            { kind: 'too-many-pages' },
          );
        }
        throw e;
      }
      const mid = since + Math.floor((until - since) / 2);
      return [
        ...(await this.incidentsIn(serviceIds, since, mid)),
        ...(await this.incidentsIn(serviceIds, mid, until)),
      ];
    }
  }

  private async incidentsPaged(
    serviceIds: string[],
    since: number,
    until: number,
  ): Promise<PagerDutyIncident[]> {
    const path = '/incidents';
    const params: QueryParams = [
      ...serviceIds.map(id => ['service_ids[]', id] as [string, string]),
      ['since', new Date(since).toISOString()],
      ['until', new Date(until).toISOString()],
      ['time_zone', 'UTC'],
    ];
    const out: PagerDutyIncident[] = [];
    let offset = 0;
    for (;;) {
      if (offset + this.pageSize > this.maxOffset) throw new WindowTooLarge();
      const body = await this.get(path, [
        ...params,
        ['limit', String(this.pageSize)],
        ['offset', String(offset)],
      ]);
      const list = body.incidents;
      if (!Array.isArray(list)) {
        throw this.malformed(path, "'incidents' is not a list");
      }
      for (const item of list) {
        const incident = toIncident(item);
        if (!incident) {
          throw this.malformed(
            path,
            'an incident lacks its id, a created_at instant or its service',
          );
        }
        // PagerDuty's `until` is exclusive, but be sure of it here.
        const at = Date.parse(incident.createdAt);
        if (at >= since && at < until) out.push(incident);
      }
      if (body.more !== true) return out;
      if (list.length === 0) {
        throw this.malformed(path, "'more' is true on an empty page");
      }
      offset += list.length;
    }
  }

  /** Follows `offset`/`limit`/`more` until `more` is false, at most `maxPages` pages. */
  private async getAll(
    path: string,
    params: QueryParams,
    key: string,
    maxPages = this.maxPages,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let offset = 0;
    for (let page = 0; page < maxPages; page++) {
      const body = await this.get(path, [
        ...params,
        ['limit', String(this.pageSize)],
        ['offset', String(offset)],
      ]);
      const list = body[key];
      if (!Array.isArray(list)) {
        throw this.malformed(path, `'${key}' is not a list`);
      }
      items.push(...list);
      if (body.more !== true) return items;
      if (list.length === 0) {
        throw this.malformed(path, "'more' is true on an empty page");
      }
      offset += list.length;
    }
    throw new PagerDutyError(
      `PagerDuty GET ${path} has more than ${maxPages} pages; stopped there`,
      { kind: 'too-many-pages' },
    );
  }

  /** One GET, retried on 429 within the configured limits. */
  private async get(
    path: string,
    params: QueryParams,
  ): Promise<Record<string, unknown>> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of params) url.searchParams.append(name, value);

    for (let attempt = 0; ; attempt++) {
      let response: Awaited<ReturnType<PagerDutyClient['fetchText']>>;
      try {
        response = await this.fetchText(path, url);
      } catch (e) {
        // A kept-alive connection the server has just closed fails at once;
        // a GET is safe to repeat, so one immediate retry on a fresh one.
        if (e instanceof PagerDutyError && e.kind === 'network') {
          response = await this.fetchText(path, url);
        } else {
          throw e;
        }
      }
      if (response.status === 429) {
        const error = this.httpError(response);
        if (attempt >= this.maxRetries) {
          throw new PagerDutyError(
            `${error.message} (gave up after ${this.maxRetries} ${
              this.maxRetries === 1 ? 'retry' : 'retries'
            })`,
            {
              kind: 'rate-limited',
              status: 429,
              pagerDutyMessage: error.pagerDutyMessage,
              code: error.code,
            },
          );
        }
        const wait = retryWaitMs(response.headers) ?? 1000;
        if (wait > this.maxRetryWaitMs) {
          throw new PagerDutyError(
            `PagerDuty rate limit: asked to wait ${formatSeconds(
              wait,
            )} before retrying, more than the configured maximum of ${formatSeconds(
              this.maxRetryWaitMs,
            )}`,
            {
              kind: 'rate-limited',
              status: 429,
              pagerDutyMessage: error.pagerDutyMessage,
              code: error.code,
            },
          );
        }
        await sleep(wait);
        continue;
      }
      if (response.status < 200 || response.status >= 300) {
        throw this.httpError(response);
      }
      let body: unknown;
      try {
        body = JSON.parse(response.text);
      } catch (e) {
        throw this.malformed(path, `not JSON (${messageOf(e)})`);
      }
      if (!isObject(body)) {
        throw this.malformed(path, 'not a JSON object');
      }
      return body;
    }
  }

  private async fetchText(
    path: string,
    url: URL,
  ): Promise<{
    status: number;
    statusText: string;
    headers: Headers;
    text: string;
  }> {
    const authorization = await this.authorization();
    const signal = AbortSignal.timeout(this.requestTimeoutMs);
    try {
      const response = await fetch(url, {
        method: 'GET',
        headers: {
          Authorization: authorization,
          Accept: 'application/vnd.pagerduty+json;version=2',
        },
        signal,
      });
      // The body is read under the same signal, so a stalled body also times out.
      const text = await response.text();
      return {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        text,
      };
    } catch (e) {
      if (signal.aborted) {
        throw new PagerDutyError(
          `PagerDuty did not answer GET ${path} within ${formatMs(
            this.requestTimeoutMs,
          )}`,
          { kind: 'timeout' },
        );
      }
      throw new PagerDutyError(
        this.redact(
          `PagerDuty is unreachable (GET ${path}): ${networkDetail(e)}`,
        ),
        { kind: 'network' },
      );
    }
  }

  private httpError(response: {
    status: number;
    statusText: string;
    text: string;
  }): PagerDutyError {
    let pagerDutyMessage: string | undefined;
    let code: number | undefined;
    try {
      const body = JSON.parse(response.text);
      if (isObject(body) && isObject(body.error)) {
        if (typeof body.error.message === 'string') {
          pagerDutyMessage = this.redact(body.error.message);
        }
        if (typeof body.error.code === 'number') code = body.error.code;
      }
    } catch {
      // not PagerDuty's error shape; fall back to the status text
    }
    const what = pagerDutyMessage || this.redact(response.statusText);
    let message = `PagerDuty answered ${response.status}${
      what ? `: ${what}` : ''
    }`;
    if (response.status === 401 || response.status === 403) {
      message += ` (check ${this.credentialsConfigPath})`;
      // A token PagerDuty refuses is asked for again next time.
      this.accessToken = undefined;
    }
    return new PagerDutyError(message, {
      kind: 'http',
      status: response.status,
      pagerDutyMessage,
      code,
    });
  }

  private malformed(path: string, detail: string): PagerDutyError {
    return new PagerDutyError(
      this.redact(
        `PagerDuty answered malformed JSON for GET ${path}: ${detail}`,
      ),
      { kind: 'malformed' },
    );
  }

  /** Belt and braces: no message leaves the client with a secret in it. */
  private redact(text: string): string {
    let redacted = text;
    for (const secret of [
      this.token,
      this.oauth?.clientSecret,
      this.accessToken?.value,
    ]) {
      if (secret) redacted = redacted.split(secret).join('***');
    }
    return redacted;
  }

  /** The Authorization header: the token, or a (cached) OAuth access token. */
  private async authorization(): Promise<string> {
    if (!this.oauth) return `Token token=${this.token}`;
    const kept = this.accessToken;
    if (kept && kept.expiresAt > Date.now()) return `Bearer ${kept.value}`;
    if (!this.accessTokenInFlight) {
      this.accessTokenInFlight = this.requestAccessToken(this.oauth).finally(
        () => {
          this.accessTokenInFlight = undefined;
        },
      );
    }
    return `Bearer ${await this.accessTokenInFlight}`;
  }

  /** `POST` the client-credentials grant to PagerDuty's identity endpoint. */
  private async requestAccessToken(oauth: PagerDutyOAuthClient) {
    const tokenUrl =
      oauth.tokenUrl ?? 'https://identity.pagerduty.com/oauth/token';
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: oauth.clientId,
      client_secret: oauth.clientSecret,
      scope: [
        `as_account-${oauth.region}.${oauth.subDomain}`,
        ...PAGERDUTY_OAUTH_SCOPES,
      ].join(' '),
    });
    const signal = AbortSignal.timeout(this.requestTimeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body,
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (e) {
      throw new PagerDutyError(
        signal.aborted
          ? `PagerDuty's identity endpoint did not answer within ${formatMs(
              this.requestTimeoutMs,
            )}`
          : this.redact(
              `PagerDuty's identity endpoint is unreachable: ${networkDetail(
                e,
              )}`,
            ),
        { kind: signal.aborted ? 'timeout' : 'network' },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status < 200 || status >= 300) {
      const { error_description: description, error } = isObject(parsed)
        ? parsed
        : {};
      let detail = '';
      if (typeof description === 'string') detail = description;
      else if (typeof error === 'string') detail = error;
      throw new PagerDutyError(
        this.redact(
          `PagerDuty's identity endpoint refused the OAuth client (${status}${
            detail ? `: ${detail}` : ''
          }; check ${this.credentialsConfigPath})`,
        ),
        { kind: 'http', status },
      );
    }
    if (!isObject(parsed) || typeof parsed.access_token !== 'string') {
      throw new PagerDutyError(
        "PagerDuty's identity endpoint answered without an access_token",
        { kind: 'malformed' },
      );
    }
    const expiresIn =
      typeof parsed.expires_in === 'number' && parsed.expires_in > 0
        ? parsed.expires_in * 1000
        : 3_600_000;
    this.accessToken = {
      value: parsed.access_token,
      expiresAt:
        Date.now() +
        Math.max(expiresIn - TOKEN_RENEWAL_MARGIN_MS, expiresIn / 2),
    };
    return parsed.access_token;
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : formatSeconds(ms);
}
