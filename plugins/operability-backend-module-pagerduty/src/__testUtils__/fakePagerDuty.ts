import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * A local stand-in for PagerDuty REST v2, on 127.0.0.1 and an ephemeral port.
 *
 * Speaks the documented shapes of `GET /services`, `GET /oncalls`,
 * `GET /schedules/{id}`, `GET /users` and `GET /incidents` (offset/limit/more
 * pagination up to PagerDuty's offset + limit ≤ 10,000,
 * repeated `escalation_policy_ids[]`, `since`/`until`, `include[]=users`,
 * 404 for an unknown schedule), checks `Authorization: Token token=…`,
 * records every request, and can be told to misbehave.
 *
 * With `oauth`, it is also PagerDuty's identity endpoint: `POST /oauth/token`
 * takes the client-credentials grant (form-encoded `grant_type`, `client_id`,
 * `client_secret`, `scope` naming `as_account-<region>.<subdomain>`) and
 * answers `{ access_token, token_type: 'bearer', expires_in, scope }`; the
 * REST routes then take `Authorization: Bearer <access_token>` as well.
 * `GET /services?include[]=integrations` lists each service's integrations
 * with their `integration_key`; services, policies and schedules carry
 * their `html_url`.
 */

export interface FakeUser {
  id: string;
  name: string;
  email?: string;
}

export interface FakeService {
  id: string;
  name: string;
  policyId: string | null;
  policyName?: string;
  /** Events API v2 integration keys of the service's integrations. */
  integrationKeys?: string[];
}

/** The OAuth client the fake's identity endpoint accepts. */
export interface FakeOAuthClient {
  clientId: string;
  clientSecret: string;
  /** The `as_account-<region>.<subdomain>` scope it must ask for. */
  account: string;
  /** Seconds an access token lives (default 3600). */
  expiresIn?: number;
}

export interface FakeOnCall {
  policyId: string;
  level: number;
  userId: string;
  scheduleId?: string;
  /** ISO instant; null = permanent */
  start: string | null;
  end: string | null;
}

/** A schedule layer: who takes turns, for how long, until when (null: open). */
export interface FakeScheduleLayer {
  id: string;
  userIds: string[];
  turnSeconds: number;
  end?: string | null;
}

export interface FakeSchedule {
  id: string;
  name: string;
  /** Highest priority first, as PagerDuty lists them. */
  layers: FakeScheduleLayer[];
}

/**
 * An incident. PagerDuty lists `acknowledgements` only while the incident is
 * acknowledged (empty when triggered or resolved), and sets `resolved_at`
 * and `last_status_change_at` when it is resolved.
 */
export interface FakeIncident {
  id: string;
  number: number;
  title: string;
  serviceId: string;
  /** ISO instant it was triggered. */
  createdAt: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  /** ISO instant of the (first) acknowledgement, when acknowledged. */
  acknowledgedAt?: string;
  /** ISO instant it was resolved, when resolved. */
  resolvedAt?: string;
  urgency?: 'high' | 'low';
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export type FakeFailure =
  | { mode: 'status'; status: number; message?: string }
  | { mode: 'hang' }
  /** Answers as usual, after `ms`. */
  | { mode: 'delay'; ms: number }
  | { mode: 'malformed' }
  | { mode: 'wrong-shape' };

export interface FakePagerDutyOptions {
  token: string;
  oauth?: FakeOAuthClient;
  services?: FakeService[];
  users?: FakeUser[];
  oncalls?: FakeOnCall[];
  schedules?: FakeSchedule[];
  incidents?: FakeIncident[];
  /** Largest page the fake hands out (PagerDuty: 100). */
  maxLimit?: number;
  /** Largest offset + limit the fake answers (PagerDuty: 10,000). */
  maxOffset?: number;
}

const REF_BASE = 'https://api.pagerduty.com';

export class FakePagerDuty {
  readonly token: string;
  services: FakeService[];
  users: FakeUser[];
  oncalls: FakeOnCall[];
  schedules: FakeSchedule[];
  incidents: FakeIncident[];
  maxLimit: number;
  maxOffset: number;
  /** Items appended to every `/incidents` answer, as they are (to send garbage). */
  extraIncidentItems: unknown[] = [];
  /** Every request, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Applies to every request until cleared. */
  failure?: FakeFailure;
  /** Message of the 401 answer (PagerDuty's is fixed; tests may change it). */
  unauthorizedMessage = 'Unauthorized';
  oauth?: FakeOAuthClient;
  /** Access tokens issued by `POST /oauth/token`, in order. */
  readonly accessTokens: string[] = [];
  /** Scopes asked for with each token. */
  readonly scopesAsked: string[] = [];

  private rateLimited = 0;
  private rateLimitHeaders: Record<string, string> = {};
  private readonly server: http.Server;
  private baseUrl = '';

  private constructor(options: FakePagerDutyOptions) {
    this.token = options.token;
    this.oauth = options.oauth;
    this.services = options.services ?? [];
    this.users = options.users ?? [];
    this.oncalls = options.oncalls ?? [];
    this.schedules = options.schedules ?? [];
    this.incidents = options.incidents ?? [];
    this.maxLimit = options.maxLimit ?? 100;
    this.maxOffset = options.maxOffset ?? 10_000;
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  static async start(options: FakePagerDutyOptions): Promise<FakePagerDuty> {
    const fake = new FakePagerDuty(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = fake.server.address() as AddressInfo;
    fake.baseUrl = `http://127.0.0.1:${port}`;
    return fake;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** The next `times` requests get a 429 with these headers (default `Retry-After: 1`). */
  rateLimit(
    times: number,
    headers: Record<string, string> = { 'Retry-After': '1' },
  ) {
    this.rateLimited = times;
    this.rateLimitHeaders = headers;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter(r => r.path === path);
  }

  reset() {
    this.requests.length = 0;
    this.failure = undefined;
    this.rateLimited = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
    });

    if (this.failure?.mode === 'hang') return; // never answers
    if (this.failure?.mode === 'delay') {
      const timer = setTimeout(
        () => this.answer(req, res, url),
        this.failure.ms,
      );
      res.on('close', () => clearTimeout(timer));
      return;
    }
    this.answer(req, res, url);
  }

  /** Counts of requests per path, e.g. `{ '/oncalls': 1 }`. */
  requestCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) counts[r.path] = (counts[r.path] ?? 0) + 1;
    return counts;
  }

  private answer(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) {
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      this.issueToken(req, res);
      return;
    }
    if (this.rateLimited > 0) {
      this.rateLimited--;
      this.error(res, 429, 'Rate Limit Exceeded', 2020, this.rateLimitHeaders);
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (
      req.headers.authorization !== `Token token=${this.token}` &&
      !(bearer && this.accessTokens.includes(bearer))
    ) {
      this.error(res, 401, this.unauthorizedMessage, 2006);
      return;
    }
    if (this.failure?.mode === 'status') {
      this.error(
        res,
        this.failure.status,
        this.failure.message ?? http.STATUS_CODES[this.failure.status] ?? '',
        2999,
      );
      return;
    }
    if (this.failure?.mode === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"oncalls": [ {"escalation_policy": ');
      return;
    }

    if (req.method === 'GET' && url.pathname === '/services') {
      const integrations = url.searchParams
        .getAll('include[]')
        .includes('integrations');
      this.page(
        res,
        url.searchParams,
        'services',
        this.services.map(s => this.service(s, integrations)),
      );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/oncalls') {
      this.page(
        res,
        url.searchParams,
        'oncalls',
        this.findOnCalls(url.searchParams),
      );
      return;
    }
    if (req.method === 'GET' && url.pathname === '/incidents') {
      const limit = Math.min(
        Number(url.searchParams.get('limit') ?? 25),
        this.maxLimit,
      );
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (offset + limit > this.maxOffset) {
        this.error(
          res,
          400,
          `Offset must be less than ${this.maxOffset - limit + 1}`,
          2001,
        );
        return;
      }
      this.page(res, url.searchParams, 'incidents', [
        ...this.findIncidents(url.searchParams).map(i => this.incident(i)),
        ...this.extraIncidentItems,
      ]);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/users') {
      this.page(
        res,
        url.searchParams,
        'users',
        this.users.map(u => ({
          id: u.id,
          type: 'user',
          summary: u.name,
          self: `${REF_BASE}/users/${u.id}`,
          name: u.name,
          ...(u.email ? { email: u.email } : {}),
          time_zone: 'Europe/Berlin',
        })),
      );
      return;
    }
    const scheduleId = url.pathname.match(/^\/schedules\/([^/]+)$/)?.[1];
    if (req.method === 'GET' && scheduleId) {
      const schedule = this.schedules.find(
        x => x.id === decodeURIComponent(scheduleId),
      );
      if (!schedule) {
        this.error(res, 404, 'Not Found', 2100);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ schedule: this.schedule(schedule) }));
      return;
    }
    this.error(res, 404, 'Not Found', 2100);
  }

  private userRef(id: string) {
    return {
      id,
      type: 'user_reference',
      summary: this.users.find(u => u.id === id)?.name ?? id,
      self: `${REF_BASE}/users/${id}`,
      html_url: `https://acme.pagerduty.com/users/${id}`,
    };
  }

  private schedule(s: FakeSchedule) {
    const userIds = [...new Set(s.layers.flatMap(l => l.userIds))];
    return {
      id: s.id,
      type: 'schedule',
      summary: s.name,
      self: `${REF_BASE}/schedules/${s.id}`,
      name: s.name,
      time_zone: 'Europe/Berlin',
      users: userIds.map(id => this.userRef(id)),
      schedule_layers: s.layers.map(layer => ({
        id: layer.id,
        name: `Layer ${layer.id}`,
        start: '2026-01-05T09:00:00+01:00',
        end: layer.end ?? null,
        rotation_virtual_start: '2026-01-05T09:00:00+01:00',
        rotation_turn_length_seconds: layer.turnSeconds,
        users: layer.userIds.map(id => ({ user: this.userRef(id) })),
        restrictions: [],
        rendered_schedule_entries: [],
        rendered_coverage_percentage: null,
      })),
      overrides_subschedule: null,
      final_schedule: null,
    };
  }

  private page(
    res: http.ServerResponse,
    query: URLSearchParams,
    key: string,
    all: unknown[],
  ) {
    const limit = Math.min(Number(query.get('limit') ?? 25), this.maxLimit);
    const offset = Number(query.get('offset') ?? 0);
    const items = all.slice(offset, offset + limit);
    const body =
      this.failure?.mode === 'wrong-shape'
        ? { [key]: 'nope' }
        : {
            [key]: items,
            limit,
            offset,
            more: offset + items.length < all.length,
            total: null,
          };
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private findOnCalls(query: URLSearchParams): unknown[] {
    const policyIds = new Set(query.getAll('escalation_policy_ids[]'));
    const includeUsers = query.getAll('include[]').includes('users');
    const since = query.get('since');
    const until = query.get('until');
    const now = Date.now();
    const from = since ? Date.parse(since) : now;
    const to = until ? Date.parse(until) : now;
    const overlaps = (o: FakeOnCall) => {
      const start = o.start === null ? -Infinity : Date.parse(o.start);
      const end = o.end === null ? Infinity : Date.parse(o.end);
      return since || until
        ? start < to && end > from
        : start <= now && end > now;
    };
    return this.oncalls
      .filter(o => policyIds.size === 0 || policyIds.has(o.policyId))
      .filter(overlaps)
      .map(o => {
        const service = this.services.find(s => s.policyId === o.policyId);
        const user = this.users.find(u => u.id === o.userId);
        const userRef = {
          id: o.userId,
          type: 'user_reference',
          summary: user?.name ?? o.userId,
          self: `${REF_BASE}/users/${o.userId}`,
          html_url: `https://acme.pagerduty.com/users/${o.userId}`,
        };
        return {
          escalation_policy: {
            id: o.policyId,
            type: 'escalation_policy_reference',
            summary: service?.policyName ?? `Policy ${o.policyId}`,
            self: `${REF_BASE}/escalation_policies/${o.policyId}`,
          },
          escalation_level: o.level,
          schedule: o.scheduleId
            ? {
                id: o.scheduleId,
                type: 'schedule_reference',
                summary: `Schedule ${o.scheduleId}`,
                self: `${REF_BASE}/schedules/${o.scheduleId}`,
                html_url: `https://acme.pagerduty.com/schedules/${o.scheduleId}`,
              }
            : null,
          user:
            includeUsers && user
              ? {
                  ...userRef,
                  type: 'user',
                  name: user.name,
                  ...(user.email ? { email: user.email } : {}),
                  time_zone: 'Europe/Berlin',
                }
              : userRef,
          start: o.start,
          end: o.end,
        };
      });
  }

  /** Incidents of the asked services created in [since, until), oldest first (default: the last 30 days). */
  private findIncidents(query: URLSearchParams): FakeIncident[] {
    const serviceIds = new Set(query.getAll('service_ids[]'));
    const until = query.get('until')
      ? Date.parse(query.get('until')!)
      : Date.now();
    const since = query.get('since')
      ? Date.parse(query.get('since')!)
      : until - 30 * 86_400_000;
    return this.incidents
      .filter(i => serviceIds.size === 0 || serviceIds.has(i.serviceId))
      .filter(i => {
        const t = Date.parse(i.createdAt);
        return t >= since && t < until;
      })
      .sort(
        (a, b) =>
          Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
          a.number - b.number,
      );
  }

  private incident(i: FakeIncident) {
    const service = this.services.find(s => s.id === i.serviceId);
    let lastChange = i.createdAt;
    if (i.status === 'resolved' && i.resolvedAt) lastChange = i.resolvedAt;
    if (i.status === 'acknowledged' && i.acknowledgedAt) {
      lastChange = i.acknowledgedAt;
    }
    const user = this.users[0]?.id ?? 'PUSER01';
    return {
      id: i.id,
      type: 'incident',
      summary: `[#${i.number}] ${i.title}`,
      self: `${REF_BASE}/incidents/${i.id}`,
      html_url: `https://acme.pagerduty.com/incidents/${i.id}`,
      incident_number: i.number,
      title: i.title,
      description: i.title,
      created_at: i.createdAt,
      updated_at: lastChange,
      status: i.status,
      incident_key: `key-${i.id}`,
      service: {
        id: i.serviceId,
        type: 'service_reference',
        summary: service?.name ?? i.serviceId,
        self: `${REF_BASE}/services/${i.serviceId}`,
        html_url: `https://acme.pagerduty.com/service-directory/${i.serviceId}`,
      },
      assignments:
        i.status === 'resolved'
          ? []
          : [
              {
                at: i.createdAt,
                assignee: this.userRef(user),
              },
            ],
      assigned_via: 'escalation_policy',
      last_status_change_at: lastChange,
      resolved_at: i.status === 'resolved' ? i.resolvedAt ?? null : null,
      first_trigger_log_entry: {
        id: `R${i.id}`,
        type: 'trigger_log_entry_reference',
        self: `${REF_BASE}/log_entries/R${i.id}`,
        html_url: `https://acme.pagerduty.com/incidents/${i.id}/log_entries/R${i.id}`,
      },
      alert_counts: {
        all: 1,
        triggered: i.status === 'resolved' ? 0 : 1,
        resolved: i.status === 'resolved' ? 1 : 0,
      },
      is_mergeable: true,
      escalation_policy: service?.policyId
        ? {
            id: service.policyId,
            type: 'escalation_policy_reference',
            summary: service.policyName ?? `Policy ${service.policyId}`,
            self: `${REF_BASE}/escalation_policies/${service.policyId}`,
          }
        : null,
      teams: [],
      pending_actions: [],
      // Listed only while acknowledged (PagerDuty's schema).
      acknowledgements:
        i.status === 'acknowledged' && i.acknowledgedAt
          ? [{ at: i.acknowledgedAt, acknowledger: this.userRef(user) }]
          : [],
      basic_alert_grouping: null,
      alert_grouping: null,
      last_status_change_by: this.userRef(user),
      priority: null,
      urgency: i.urgency ?? 'high',
      resolve_reason: null,
      incidents_responders: [],
      responder_requests: [],
      subscriber_requests: [],
    };
  }

  private service(s: FakeService, includeIntegrations = false) {
    return {
      id: s.id,
      type: 'service',
      summary: s.name,
      self: `${REF_BASE}/services/${s.id}`,
      html_url: `https://acme.pagerduty.com/service-directory/${s.id}`,
      name: s.name,
      status: 'active',
      escalation_policy: s.policyId
        ? {
            id: s.policyId,
            type: 'escalation_policy_reference',
            summary: s.policyName ?? `Policy ${s.policyId}`,
            self: `${REF_BASE}/escalation_policies/${s.policyId}`,
            html_url: `https://acme.pagerduty.com/escalation_policies/${s.policyId}`,
          }
        : null,
      teams: [],
      // References unless `include[]=integrations` asks for the objects.
      integrations: (s.integrationKeys ?? []).map((key, i) =>
        includeIntegrations
          ? {
              id: `${s.id}I${i}`,
              type: 'events_api_v2_inbound_integration',
              summary: 'Events API v2',
              name: 'Events API v2',
              integration_key: key,
              self: `${REF_BASE}/services/${s.id}/integrations/${s.id}I${i}`,
            }
          : {
              id: `${s.id}I${i}`,
              type: 'events_api_v2_inbound_integration_reference',
              summary: 'Events API v2',
              self: `${REF_BASE}/services/${s.id}/integrations/${s.id}I${i}`,
            },
      ),
    };
  }

  /** `POST /oauth/token`: the client-credentials grant, form-encoded. */
  private issueToken(req: http.IncomingMessage, res: http.ServerResponse) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (
        req.headers['content-type'] !== 'application/x-www-form-urlencoded' ||
        form.get('grant_type') !== 'client_credentials'
      ) {
        json(400, { error: 'unsupported_grant_type' });
        return;
      }
      const oauth = this.oauth;
      if (
        !oauth ||
        form.get('client_id') !== oauth.clientId ||
        form.get('client_secret') !== oauth.clientSecret
      ) {
        json(401, {
          error: 'invalid_client',
          error_description: 'Client authentication failed',
        });
        return;
      }
      const scope = form.get('scope') ?? '';
      if (!scope.split(' ').includes(`as_account-${oauth.account}`)) {
        json(400, {
          error: 'invalid_scope',
          error_description: `scope must name as_account-${oauth.account}`,
        });
        return;
      }
      const token = `pdus+${this.accessTokens.length + 1}`;
      this.accessTokens.push(token);
      this.scopesAsked.push(scope);
      json(200, {
        access_token: token,
        token_type: 'bearer',
        expires_in: oauth.expiresIn ?? 3600,
        scope,
      });
    });
  }

  private error(
    res: http.ServerResponse,
    status: number,
    message: string,
    code: number,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message, code, errors: [] } }));
  }
}

/** A logged message, as {@link captureLogger} keeps it. */
export interface LoggedMessage {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta?: unknown;
}

/** A LoggerService that keeps what it is told. */
export function captureLogger(): {
  logger: LoggerService;
  messages: LoggedMessage[];
} {
  const messages: LoggedMessage[] = [];
  const make = (): LoggerService => ({
    error: (message, meta) => messages.push({ level: 'error', message, meta }),
    warn: (message, meta) => messages.push({ level: 'warn', message, meta }),
    info: (message, meta) => messages.push({ level: 'info', message, meta }),
    debug: (message, meta) => messages.push({ level: 'debug', message, meta }),
    child: () => make(),
  });
  return { logger: make(), messages };
}

/** A catalog Component annotated with a PagerDuty service id. */
export function component(name: string, serviceId?: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(serviceId
        ? { annotations: { 'pagerduty.com/service-id': serviceId } }
        : {}),
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}
