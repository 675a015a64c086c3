import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Fault, FaultServer, FaultServerRequest } from './faultServer';

/*
 * The sources of the fault matrix (faults/faultMatrix.test.ts), each with its
 * good answers: a Prometheus, an Alertmanager, a server of rule files (read
 * through the UrlReader), a PagerDuty, and a catalog whose streamEntities can
 * fail. The good payloads follow the module tests' fixtures: the rule file
 * and alertmanager.yml are the Prometheus module's src/__fixtures__, the API
 * envelopes those of its clients/faults.test.ts, and PagerDuty's shapes those
 * of the PagerDuty module's fake (src/__testUtils__/fakePagerDuty.ts).
 */

// The repository's plugins/ folder (tests run from source).
// eslint-disable-next-line no-restricted-syntax
const PLUGINS_DIR = resolve(__dirname, '../../..');
const PROMETHEUS_FIXTURES = resolve(
  PLUGINS_DIR,
  'operability-backend-module-prometheus/src/__fixtures__',
);

/** How long the `slow` fault waits before answering: far past every timeout below. */
export const SLOW_MS = 4000;
/** The timeouts the matrix runs with (config), in ms. */
export const TIMEOUTS = {
  /** operability.prometheus.requestTimeout, .alertmanager.requestTimeout, .pagerduty.requestTimeout */
  request: 500,
  /** operability.readiness.providerTimeout: bounds a fact provider's collection. */
  provider: 1500,
};

const PAGERDUTY_TOKEN = 'fault-matrix-token';

function json(body: unknown) {
  return { body: JSON.stringify(body) };
}

/** Prometheus: targets, a presence query, and `/api/v1/rules`. */
function prometheusAnswer(request: FaultServerRequest) {
  if (request.path === '/api/v1/targets') {
    return json({
      status: 'success',
      data: {
        activeTargets: [
          ...['10.0.0.1:8080', '10.0.0.2:8080'].map(instance => ({
            discoveredLabels: { __address__: instance },
            labels: { job: 'payments-api', instance },
            scrapeUrl: `http://${instance}/metrics`,
            lastError: '',
            health: 'up',
          })),
          {
            discoveredLabels: { __address__: '10.0.0.3:8080' },
            labels: { job: 'ledger', instance: '10.0.0.3:8080' },
            scrapeUrl: 'http://10.0.0.3:8080/metrics',
            lastError: '',
            health: 'up',
          },
        ],
        droppedTargets: [],
      },
    });
  }
  if (request.path === '/api/v1/query') {
    const series = (job: string) =>
      [
        'http_requests_total',
        'http_request_errors_total',
        'http_request_duration_seconds_bucket',
        'target_info',
      ].map(name => ({
        metric: { __name__: name, job },
        value: [1767225600, '1'],
      }));
    return json({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [...series('payments-api'), ...series('ledger')],
      },
    });
  }
  if (request.path === '/api/v1/rules') {
    return json({
      status: 'success',
      data: {
        groups: [
          {
            name: 'payments-api-availability',
            file: '/etc/prometheus/rules/payments-api.yml',
            rules: [
              {
                type: 'alerting',
                name: 'PaymentsApiTargetDown',
                query: 'up{job="payments-api"} == 0',
                duration: 300,
                labels: { severity: 'critical', team: 'payments' },
                annotations: {
                  runbook_url: 'https://runbooks.example.com/payments-api#down',
                },
                health: 'ok',
                alerts: [],
              },
            ],
          },
        ],
      },
    });
  }
  return { status: 404, body: '{"status":"error","error":"not found"}' };
}

/**
 * Prometheus's own partial answer: fewer entries, and `warnings` saying that
 * part of the data is missing.
 */
function prometheusPartial(good: string): string {
  const body = JSON.parse(good);
  for (const key of ['activeTargets', 'result', 'groups']) {
    if (Array.isArray(body.data?.[key])) {
      body.data[key] = body.data[key].slice(0, 1);
    }
  }
  body.warnings = ['remote read of store-2 failed: partial data returned'];
  return JSON.stringify(body);
}

/** The rule files: one per service, the module's fixture for payments-api. */
function ruleFileAnswer(request: FaultServerRequest) {
  if (request.path === '/rules/payments-api.yaml') {
    return {
      contentType: 'text/yaml',
      body: readFileSync(
        resolve(PROMETHEUS_FIXTURES, 'prometheus-rules.yml'),
        'utf8',
      ),
    };
  }
  if (request.path === '/rules/ledger.yaml') {
    return {
      contentType: 'text/yaml',
      body: [
        'groups:',
        '  - name: ledger',
        '    rules:',
        '      - alert: LedgerDown',
        '        expr: up{job="ledger"} == 0',
        '        for: 5m',
        '        labels: { severity: critical, team: payments }',
        '        annotations:',
        '          runbook_url: https://runbooks.example.com/ledger#down',
        '',
      ].join('\n'),
    };
  }
  return { status: 404, contentType: 'text/plain', body: 'not found' };
}

/** A rule file with fields missing: its first alert has lost its `expr`. */
function ruleFilePartial(good: string): string {
  const lines = good.split('\n');
  const start = lines.findIndex(l => l.trim().startsWith('expr:'));
  // The expression may go on over indented lines (`expr: |`).
  let end = start + 1;
  const indent = lines[start].search(/\S/);
  while (end < lines.length && lines[end].search(/\S/) > indent) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

/** Alertmanager's `/api/v2/status` with the module's alertmanager.yml fixture. */
function alertmanagerAnswer(request: FaultServerRequest) {
  if (request.path === '/api/v2/status') {
    return json({
      cluster: { status: 'disabled', peers: [] },
      config: {
        original: readFileSync(
          resolve(PROMETHEUS_FIXTURES, 'alertmanager.yml'),
          'utf8',
        ),
      },
      uptime: '2026-01-01T00:00:00.000Z',
      versionInfo: { version: '0.28.1' },
    });
  }
  return { status: 404, body: '{"message":"not found"}' };
}

/** An answer whose running configuration is cut half-way (the YAML, inside valid JSON). */
function alertmanagerPartial(good: string): string {
  const body = JSON.parse(good);
  const original: string = body.config.original;
  body.config.original = original.slice(0, Math.floor(original.length / 2));
  return JSON.stringify(body);
}

const PD = 'https://api.pagerduty.com';
const PD_USERS = [
  { id: 'PALICE', name: 'Alice', email: 'alice@example.com' },
  { id: 'PBOB', name: 'Bob', email: 'bob@example.com' },
];

function pdUser(user: (typeof PD_USERS)[number]) {
  return {
    id: user.id,
    type: 'user',
    summary: user.name,
    self: `${PD}/users/${user.id}`,
    name: user.name,
    email: user.email,
    time_zone: 'Europe/Berlin',
  };
}

function pdPage(key: string, items: unknown[]) {
  return json({
    [key]: items,
    limit: 100,
    offset: 0,
    more: false,
    total: null,
  });
}

/** PagerDuty REST v2: one service, its policy's on-calls, their schedule, the users. */
function pagerDutyAnswer(request: FaultServerRequest) {
  if (request.headers.authorization !== `Token token=${PAGERDUTY_TOKEN}`) {
    return {
      status: 401,
      body: '{"error":{"message":"Unauthorized","code":2006}}',
    };
  }
  const policy = {
    id: 'PEPX',
    type: 'escalation_policy_reference',
    summary: 'Paged policy',
    self: `${PD}/escalation_policies/PEPX`,
  };
  const schedule = {
    id: 'PSCHED',
    type: 'schedule_reference',
    summary: 'Paged rotation',
    self: `${PD}/schedules/PSCHED`,
  };
  if (request.path === '/services') {
    return pdPage('services', [
      {
        id: 'PX',
        type: 'service',
        summary: 'Paged',
        self: `${PD}/services/PX`,
        name: 'Paged',
        status: 'active',
        escalation_policy: policy,
        teams: [],
        integrations: [],
      },
    ]);
  }
  if (request.path === '/oncalls') {
    return pdPage(
      'oncalls',
      PD_USERS.map((user, i) => ({
        escalation_policy: policy,
        escalation_level: i + 1,
        schedule,
        user: pdUser(user),
        start: null,
        end: null,
      })),
    );
  }
  if (request.path === '/users') {
    return pdPage('users', PD_USERS.map(pdUser));
  }
  if (request.path === '/schedules/PSCHED') {
    return json({
      schedule: {
        id: 'PSCHED',
        type: 'schedule',
        summary: 'Paged rotation',
        self: `${PD}/schedules/PSCHED`,
        name: 'Paged rotation',
        time_zone: 'Europe/Berlin',
        users: PD_USERS.map(pdUser),
        schedule_layers: [
          {
            id: 'PLAYER',
            name: 'Layer 1',
            start: '2026-01-05T09:00:00+01:00',
            end: null,
            rotation_virtual_start: '2026-01-05T09:00:00+01:00',
            rotation_turn_length_seconds: 604800,
            users: PD_USERS.map(user => ({ user: pdUser(user) })),
            restrictions: [],
            rendered_schedule_entries: [],
            rendered_coverage_percentage: null,
          },
        ],
        overrides_subschedule: null,
        final_schedule: null,
      },
    });
  }
  return {
    status: 404,
    body: '{"error":{"message":"Not Found","code":2100}}',
  };
}

/** A PagerDuty answer with entries that lack fields: on-calls without their user. */
function pagerDutyPartial(good: string): string {
  const body = JSON.parse(good);
  if (Array.isArray(body.oncalls)) {
    body.oncalls = body.oncalls.map(
      ({ user: _user, ...rest }: Record<string, unknown>) => rest,
    );
  }
  for (const key of ['services', 'users']) {
    if (Array.isArray(body[key])) {
      body[key] = body[key].map(
        ({ id: _id, ...rest }: Record<string, unknown>) => rest,
      );
    }
  }
  return JSON.stringify(body);
}

/**
 * A catalog whose `streamEntities` (what the plugin's snapshot reads) can be
 * switched to each fault; every other method answers from memory.
 */
export class FaultyCatalog {
  fault?: Fault;
  readonly service: CatalogService;

  constructor(entities: Entity[]) {
    const inner = catalogServiceMock({ entities });
    const stream = (
      request: Parameters<CatalogService['streamEntities']>[0],
      options: Parameters<CatalogService['streamEntities']>[1],
    ) => this.streamEntities(inner, request, options);
    this.service = new Proxy(inner, {
      get(target, prop) {
        if (prop === 'streamEntities') return stream;
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private async *streamEntities(
    inner: CatalogService,
    request: Parameters<CatalogService['streamEntities']>[0],
    options: Parameters<CatalogService['streamEntities']>[1],
  ): AsyncIterable<Entity[]> {
    const all: Entity[] = [];
    for await (const page of inner.streamEntities(request, options!)) {
      all.push(...page);
    }
    // Pages of two, so that a stream can break between pages.
    const pages: Entity[][] = [];
    for (let i = 0; i < all.length; i += 2) pages.push(all.slice(i, i + 2));
    switch (this.fault) {
      case 'down':
        throw new TypeError('fetch failed', {
          cause: Object.assign(
            new Error('connect ECONNREFUSED 127.0.0.1:7007'),
            { code: 'ECONNREFUSED' },
          ),
        });
      case 'slow':
        await new Promise(r => setTimeout(r, SLOW_MS));
        break;
      case '5xx':
        throw Object.assign(
          new Error(
            'Request failed with 503 Service Unavailable, catalog is unavailable',
          ),
          { name: 'ResponseError' },
        );
      case 'garbage':
        yield ['<html><body>Sign in</body></html>', null] as any;
        return;
      case 'truncated':
        yield pages[0] ?? [];
        throw new TypeError('terminated', {
          cause: Object.assign(new Error('other side closed'), {
            code: 'UND_ERR_SOCKET',
          }),
        });
      case 'partial':
        // Entities with fields missing: no metadata.name, no kind.
        yield all.map((e, i) =>
          i % 2
            ? ({ ...e, metadata: { ...e.metadata, name: undefined } } as any)
            : ({ ...e, kind: undefined } as any),
        );
        return;
      default:
        break;
    }
    for (const page of pages) yield page;
  }
}

/** The matrix's sources: four fault servers and the catalog. */
export interface FaultSources {
  prometheus: FaultServer;
  alertmanager: FaultServer;
  rules: FaultServer;
  pagerduty: FaultServer;
  catalog: FaultyCatalog;
  entities: Entity[];
  config: JsonObject;
  stop(): Promise<void>;
}

/**
 * The catalog of the matrix: payments-api's rule file on `rulesUrl`, ledger's
 * on `otherRulesUrl`.
 */
export function faultMatrixEntities(
  rulesUrl: string,
  otherRulesUrl: string,
): Entity[] {
  const user = (name: string, title: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {
      profile: { displayName: title, email: `${name}@example.com` },
      memberOf: ['payments'],
    },
    relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
  });
  const component = (
    name: string,
    annotations: Record<string, string>,
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      description: `The ${name} service`,
      annotations: {
        'backstage.io/managed-by-location': `url:${rulesUrl}/catalog/${name}.yaml`,
        'operability.io/runbook': `https://runbooks.example.com/${name}`,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
      system: 'payments-platform',
    },
  });
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'payments', namespace: 'default' },
      spec: {
        type: 'team',
        profile: { displayName: 'Payments', email: 'pay@example.com' },
        children: [],
      },
      relations: [
        { type: 'hasMember', targetRef: 'user:default/alice' },
        { type: 'hasMember', targetRef: 'user:default/bob' },
      ],
    },
    user('alice', 'Alice'),
    user('bob', 'Bob'),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'payments-platform',
        namespace: 'default',
        annotations: { 'operability.io/on-call-schedule': 'payments-on-call' },
      },
      spec: { owner: 'group:default/payments' },
    },
    {
      apiVersion: 'operability.io/v1alpha1',
      kind: 'Schedule',
      metadata: { name: 'payments-on-call', namespace: 'default' },
      spec: {
        owner: 'group:default/payments',
        timeZone: 'Europe/Berlin',
        handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
        primary: ['user:default/alice', 'user:default/bob'],
        secondary: 'next-in-rotation',
      },
    },
    component('payments-api', {
      'prometheus.io/job': 'payments-api',
      'operability.io/alert-rules': `url:${rulesUrl}/rules/payments-api.yaml`,
    }),
    component('ledger', {
      'prometheus.io/job': 'ledger',
      'operability.io/alert-rules': `url:${otherRulesUrl}/rules/ledger.yaml`,
    }),
    component('paged', { 'pagerduty.com/service-id': 'PX' }),
  ];
}

/** Starts every source with its good answers, and the config that points the backend at them. */
export async function startFaultSources(): Promise<FaultSources> {
  const prometheus = await FaultServer.start({
    name: 'Prometheus',
    good: prometheusAnswer,
    partial: prometheusPartial,
    slowMs: SLOW_MS,
  });
  const alertmanager = await FaultServer.start({
    name: 'Alertmanager',
    good: alertmanagerAnswer,
    partial: alertmanagerPartial,
    slowMs: SLOW_MS,
  });
  // payments-api's rule file is on a server that fails; ledger's on another.
  const rules = await FaultServer.start({
    name: 'rule files',
    good: ruleFileAnswer,
    partial: ruleFilePartial,
    slowMs: SLOW_MS,
  });
  const otherRules = await FaultServer.start({
    name: 'other rule files',
    good: ruleFileAnswer,
  });
  const pagerduty = await FaultServer.start({
    name: 'PagerDuty',
    good: pagerDutyAnswer,
    partial: pagerDutyPartial,
    slowMs: SLOW_MS,
  });
  const entities = faultMatrixEntities(rules.url, otherRules.url);
  const catalog = new FaultyCatalog(entities);
  const request = { milliseconds: TIMEOUTS.request };
  const config: JsonObject = {
    backend: {
      reading: {
        allow: [rules, otherRules].map(server => ({
          host: new URL(server.url).host,
        })),
      },
    },
    operability: {
      readiness: {
        // No initial delay: the test scheduler runs a cycle at start-up.
        schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
        providerTimeout: { milliseconds: TIMEOUTS.provider },
      },
      prometheus: {
        instances: [{ name: 'main', url: prometheus.url }],
        requestTimeout: request,
      },
      alertmanager: { url: alertmanager.url, requestTimeout: request },
      pagerduty: {
        token: PAGERDUTY_TOKEN,
        baseUrl: pagerduty.url,
        requestTimeout: request,
        cacheTtl: { seconds: 0 },
        servicesCacheTtl: { seconds: 0 },
        maxRetryWait: { seconds: 0 },
      },
    },
  };
  return {
    prometheus,
    alertmanager,
    rules,
    pagerduty,
    catalog,
    entities,
    config,
    async stop() {
      await Promise.all(
        [prometheus, alertmanager, rules, otherRules, pagerduty].map(s =>
          s.stop(),
        ),
      );
    },
  };
}
