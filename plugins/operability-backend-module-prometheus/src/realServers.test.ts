/**
 * Tests against the real Prometheus and Alertmanager binaries (Debian
 * packages `prometheus`, `prometheus-alertmanager`; amtool comes with the
 * latter). Both run on 127.0.0.1 on ephemeral ports with temporary storage;
 * Prometheus scrapes a small metrics endpoint served here. Without the
 * binaries the suite is skipped with a printed reason — unless
 * OPSREADY_REQUIRE_BINARIES is set (CI sets it), where it fails.
 */
import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import {
  ALERTING_FACTS,
  AlertRoutesFact,
  AlertRuleFact,
  FactBatch,
  INSTRUMENTATION_FACTS,
} from '@opsready/plugin-operability-node';
import { parseAlertmanagerConfig } from './alertmanager/config';
import { resolveReceivers } from './alertmanager/routing';
import { AlertmanagerClient } from './clients/AlertmanagerClient';
import { PrometheusClient } from './clients/PrometheusClient';
import { AlertmanagerFactProvider } from './providers/AlertmanagerFactProvider';
import { AlertRulesFactProvider } from './providers/AlertRulesFactProvider';
import { PrometheusFactProvider } from './providers/PrometheusFactProvider';
import { AlertRuleCollector } from './rules/AlertRuleCollector';
import { RuleFileReader } from './rules/RuleFileReader';
import {
  DEFAULT_GOLDEN_SIGNALS,
  GoldenSignalMatcher,
} from './signals/goldenSignals';
import {
  BINARIES,
  close,
  freePort,
  getJson,
  listen,
  realBinariesGate,
  Running,
  startBinary,
  stopBinary,
  waitFor,
} from './__testUtils__/binaries';
import { component } from './__testUtils__/demo';

const execFileAsync = promisify(execFile);
const FIXTURES = join(__dirname, '__fixtures__');
const AM_FIXTURE = join(FIXTURES, 'alertmanager.yml');

const PAYMENTS_METRICS = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",method="GET"} 42
http_requests_total{code="500",method="GET"} 1
# HELP http_request_duration_seconds Latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 40
http_request_duration_seconds_bucket{le="0.5"} 42
http_request_duration_seconds_bucket{le="+Inf"} 43
http_request_duration_seconds_sum 3.2
http_request_duration_seconds_count 43
# HELP target_info Target metadata
# TYPE target_info gauge
target_info{service_name="payments-api",service_version="1.2.3"} 1
`;

// OpenTelemetry semantic conventions (stable), no target_info.
const STOREFRONT_METRICS = `# TYPE http_server_request_duration_seconds histogram
http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",le="0.5"} 7
http_server_request_duration_seconds_bucket{http_request_method="GET",http_response_status_code="200",le="+Inf"} 8
http_server_request_duration_seconds_sum{http_request_method="GET",http_response_status_code="200"} 1.5
http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="200"} 8
`;

const gate = realBinariesGate(['prometheus', 'alertmanager', 'amtool']);
(gate.run ? describe : describe.skip)(
  'against the real Prometheus and Alertmanager',
  () => {
    jest.setTimeout(30_000);
    let dir: string;
    let metrics: Server;
    let prometheus: Running | undefined;
    let alertmanager: Running | undefined;
    let promUrl: string;
    let amUrl: string;

    const entities = [
      component('payments-api', {
        'prometheus.io/job': 'payments-api',
        'pagerduty.com/service-id': 'PPAY',
      }),
      component('storefront-web', {
        'prometheus.io/service-label': 'service=storefront-web',
      }),
      component('checkout', { 'prometheus.io/job': 'checkout' }),
      component('ghost', { 'prometheus.io/job': 'ghost' }),
    ];

    let promClient: PrometheusClient;
    let collector: AlertRuleCollector;
    let prometheusProvider: PrometheusFactProvider;
    let rulesProvider: AlertRulesFactProvider;
    let routesProvider: AlertmanagerFactProvider;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'operability-prom-'));
      metrics = createServer((req, res) => {
        const pages: Record<string, string> = {
          '/metrics/payments': PAYMENTS_METRICS,
          '/metrics/storefront': STOREFRONT_METRICS,
        };
        const body = pages[req.url ?? ''];
        if (!body) {
          res.writeHead(404).end();
          return;
        }
        res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
          .end(body);
      });
      const metricsPort = await listen(metrics);
      const [promPort, amPort, deadPort] = await Promise.all([
        freePort(),
        freePort(),
        freePort(),
      ]);
      writeFileSync(
        join(dir, 'rules.yml'),
        readFileSync(join(FIXTURES, 'prometheus-rules.yml')),
      );
      writeFileSync(join(dir, 'alertmanager.yml'), readFileSync(AM_FIXTURE));
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ['${join(dir, 'rules.yml')}']
scrape_configs:
  - job_name: payments-api
    metrics_path: /metrics/payments
    static_configs:
      - targets: ['127.0.0.1:${metricsPort}', '127.0.0.1:${deadPort}']
  - job_name: storefront
    metrics_path: /metrics/storefront
    static_configs:
      - targets: ['127.0.0.1:${metricsPort}']
        labels:
          service: storefront-web
`,
      );
      promUrl = `http://127.0.0.1:${promPort}`;
      amUrl = `http://127.0.0.1:${amPort}`;
      prometheus = startBinary(
        BINARIES.prometheus,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        dir,
      );
      alertmanager = startBinary(
        BINARIES.alertmanager,
        [
          `--config.file=${join(dir, 'alertmanager.yml')}`,
          `--storage.path=${join(dir, 'amdata')}`,
          `--web.listen-address=127.0.0.1:${amPort}`,
          '--cluster.listen-address=',
        ],
        dir,
      );
      await Promise.all([
        waitFor(
          'Prometheus: targets scraped, rules loaded, metrics stored',
          async () => {
            const targets = await getJson(
              `${promUrl}/api/v1/targets?state=active`,
            );
            const scraped = targets.data.activeTargets.filter(
              (t: any) => t.health !== 'unknown',
            ).length;
            if (scraped < 3) return false;
            const rules = await getJson(`${promUrl}/api/v1/rules`);
            if (rules.data.groups.length < 3) return false;
            const q = await getJson(
              `${promUrl}/api/v1/query?query=${encodeURIComponent(
                'count(target_info{job="payments-api"}) + count(http_server_request_duration_seconds_count)',
              )}`,
            );
            return q.data.result.length > 0;
          },
          15_000,
          () => prometheus!.output(),
        ),
        waitFor(
          'Alertmanager ready',
          async () => (await fetch(`${amUrl}/-/ready`)).ok,
          10_000,
          () => alertmanager!.output(),
        ),
      ]);

      promClient = new PrometheusClient({
        name: 'lab',
        url: promUrl,
        timeoutMs: 5000,
      });
      collector = new AlertRuleCollector({
        clients: [promClient],
        fileReader: new RuleFileReader(),
      });
      prometheusProvider = new PrometheusFactProvider({
        clients: [promClient],
        signals: new GoldenSignalMatcher(DEFAULT_GOLDEN_SIGNALS),
        maxQueryLength: 1 << 16,
      });
      rulesProvider = new AlertRulesFactProvider(collector);
      const amClient = new AlertmanagerClient({ url: amUrl, timeoutMs: 5000 });
      routesProvider = new AlertmanagerFactProvider({
        config: { description: amUrl, load: () => amClient.getConfig() },
        collector,
        pagingReceivers: [],
        pagerDutyServices: { 'payments-pagerduty': 'PPAY' },
      });
    });

    afterAll(async () => {
      await Promise.all([stopBinary(prometheus), stopBinary(alertmanager)]);
      if (metrics) await close(metrics);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const get = (batch: FactBatch, name: string, fact: string) =>
      batch.facts.get(`component:default/${name}`)?.find(f => f.name === fact);

    it('finds scrape targets, the share up, golden signals and target_info', async () => {
      const batch = await prometheusProvider.collect({ entities });
      const count = get(
        batch,
        'payments-api',
        INSTRUMENTATION_FACTS.targetsCount,
      )!;
      expect(count.value).toBe(2);
      expect(count.source).toBe(promUrl);
      expect(count.evidence![0].text).toBe(
        '2 scrape targets with job="payments-api", 1 up',
      );
      expect(count.evidence![1].text).toMatch(/is down: .*connection refused/);
      expect(
        get(batch, 'payments-api', INSTRUMENTATION_FACTS.targetsUpRatio)!.value,
      ).toBe(0.5);
      const signals = get(
        batch,
        'payments-api',
        INSTRUMENTATION_FACTS.goldenSignals,
      )!;
      expect(signals.value).toEqual([
        'requests',
        'errors',
        'latency-histogram',
      ]);
      expect(signals.evidence!.map(e => e.text)).toEqual(
        expect.arrayContaining([
          'requests: http_requests_total',
          'errors: http_requests_total with a status label',
          'latency-histogram: http_request_duration_seconds_bucket',
        ]),
      );
      expect(
        get(batch, 'payments-api', INSTRUMENTATION_FACTS.targetInfo)!.value,
      ).toBe(true);

      // Identified by service="storefront-web"; OpenTelemetry names.
      expect(
        get(batch, 'storefront-web', INSTRUMENTATION_FACTS.targetsCount)!.value,
      ).toBe(1);
      expect(
        get(batch, 'storefront-web', INSTRUMENTATION_FACTS.targetsUpRatio)!
          .value,
      ).toBe(1);
      expect(
        get(batch, 'storefront-web', INSTRUMENTATION_FACTS.goldenSignals)!
          .value,
      ).toEqual(['requests', 'errors', 'latency-histogram']);
      expect(
        get(batch, 'storefront-web', INSTRUMENTATION_FACTS.targetInfo)!.value,
      ).toBe(false);

      // Unknown to Prometheus: zero targets, nothing exported.
      expect(
        get(batch, 'ghost', INSTRUMENTATION_FACTS.targetsCount)!.value,
      ).toBe(0);
      expect(
        get(batch, 'ghost', INSTRUMENTATION_FACTS.goldenSignals)!.value,
      ).toEqual([]);
      expect(
        get(batch, 'ghost', INSTRUMENTATION_FACTS.targetsUpRatio)!.evidence,
      ).toEqual([
        {
          kind: 'targets',
          text: 'no scrape target with job="ghost"',
          source: promUrl,
        },
      ]);
      expect(
        get(batch, 'storefront-web', INSTRUMENTATION_FACTS.targetInfo)!
          .evidence![0].text,
      ).toBe('no target_info with service="storefront-web"');
    });

    it('selects alerting rules from /api/v1/rules by PromQL, labels and never by != / !~', async () => {
      const batch = await rulesProvider.collect({ entities });
      const rules = get(batch, 'payments-api', ALERTING_FACTS.rules)!
        .value as AlertRuleFact[];
      expect(rules.map(r => r.alert).sort()).toEqual([
        'PaymentsApiByLabelOnly',
        'PaymentsApiErrorBudgetBurn',
        'PaymentsApiHighErrorRate',
      ]);
      expect(
        rules.find(r => r.alert === 'PaymentsApiHighErrorRate'),
      ).toMatchObject({
        severity: 'critical',
        forSeconds: 300,
        burnRate: false,
        runbookUrl: 'https://runbooks.example.com/payments-api#errors',
        group: 'payments-api',
        file: join(dir, 'rules.yml'),
      });
      expect(
        rules.find(r => r.alert === 'PaymentsApiErrorBudgetBurn'),
      ).toMatchObject({
        burnRate: true,
        forSeconds: 120,
      });
      const storefront = get(batch, 'storefront-web', ALERTING_FACTS.rules)!
        .value as AlertRuleFact[];
      expect(storefront.map(r => r.alert)).toEqual(['StorefrontDown']);
      // checkout is only in negative matchers.
      expect(get(batch, 'checkout', ALERTING_FACTS.rules)!.value).toEqual([]);
      expect(get(batch, 'checkout', ALERTING_FACTS.rules)!.evidence).toEqual([
        {
          kind: 'rules',
          text: 'no alerting rule selects job="checkout"',
          source: `prometheus lab (${promUrl})`,
        },
      ]);
    });

    it('routes the alerts with the running config from /api/v2/status (secrets masked)', async () => {
      const status = await getJson(`${amUrl}/api/v2/status`);
      expect(status.config.original).toContain('<secret>');
      const batch = await routesProvider.collect({ entities });
      const routes = get(batch, 'payments-api', ALERTING_FACTS.routes)!
        .value as AlertRoutesFact;
      expect(routes.critical.receivers).toEqual([
        {
          name: 'audit-webhook',
          pages: false,
          routePath: 'route > routes[0]',
          reachesPagerDutyService: false,
        },
        {
          name: 'payments-pagerduty',
          pages: true,
          routePath: 'route > routes[1] > routes[0]',
          reachesPagerDutyService: true,
        },
      ]);
      expect(routes.warning.receivers).toEqual([
        expect.objectContaining({
          name: 'payments-webhook',
          routePath: 'route > routes[1] > routes[1]',
        }),
      ]);
      const storefront = get(batch, 'storefront-web', ALERTING_FACTS.routes)!
        .value as AlertRoutesFact;
      expect(
        storefront.critical.receivers.map(r => `${r.name}:${r.pages}`),
      ).toEqual([
        'audit-webhook:false',
        'oncall-pagerduty:true',
        'storefront-webhook:false',
      ]);
    });

    // Label sets exercising nested routes, continue, legacy match/match_re,
    // anchoring, missing labels, != and !~. Each is checked against amtool.
    const table: [string, Record<string, string>][] = [
      [
        'critical payments: audit (continue) then nested match_re',
        { team: 'payments', severity: 'critical' },
      ],
      [
        'page in staging: third level overrides',
        { team: 'payments', severity: 'page', env: 'staging' },
      ],
      [
        'match_re anchored: "critical-ish" still matches crit.*',
        { team: 'payments', severity: 'critical-ish' },
      ],
      [
        'match_re anchored: "xcritical" does not',
        { team: 'payments', severity: 'xcritical' },
      ],
      [
        'payments warning, env missing (!= "prod" holds)',
        { team: 'payments', severity: 'warning' },
      ],
      [
        'payments warning in prod: parent receiver',
        { team: 'payments', severity: 'warning', env: 'prod' },
      ],
      [
        'legacy match is case-sensitive',
        { team: 'Payments', severity: 'critical' },
      ],
      ['regex anchored: team=check only', { team: 'check' }],
      ['missing region equals ""', { team: 'checkout' }],
      ['region set: next sibling', { team: 'checkout', region: 'eu' }],
      [
        '!~ and =~ then continue to braces matcher',
        { team: 'sre', severity: 'critical', service: 'storefront-web' },
      ],
      ['!~ excludes env=dev', { service: 'storefront-web', env: 'dev' }],
      ['severity page via !~ sibling', { team: 'sre', severity: 'page' }],
      [
        'first matching sibling without continue stops',
        { team: 'payments', job: 'payments-api' },
      ],
      ['job alone reaches the last route', { job: 'payments-api' }],
      ['no labels: default route', {}],
      ['empty value equals missing', { team: 'checkout', region: '' }],
    ];

    it.each(table)('routes like amtool: %s', async (_name, labels) => {
      const fileConfig = parseAlertmanagerConfig(
        readFileSync(AM_FIXTURE, 'utf8'),
        AM_FIXTURE,
      );
      const apiConfig = await new AlertmanagerClient({
        url: amUrl,
        timeoutMs: 5000,
      }).getConfig();
      const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const { stdout } = await execFileAsync(BINARIES.amtool, [
        'config',
        'routes',
        'test',
        `--config.file=${AM_FIXTURE}`,
        ...args,
      ]);
      const amtool = stdout.trim();
      expect(resolveReceivers(fileConfig, labels).join(',')).toBe(amtool);
      expect(resolveReceivers(apiConfig, labels).join(',')).toBe(amtool);
      // And amtool agrees when told what to expect.
      await execFileAsync(BINARIES.amtool, [
        'config',
        'routes',
        'test',
        `--config.file=${AM_FIXTURE}`,
        `--verify.receivers=${resolveReceivers(fileConfig, labels).join(',')}`,
        ...args,
      ]);
    });

    it('throws with the reason when Prometheus stops mid-cycle; Alertmanager facts go on', async () => {
      // A good cycle first, so the routes have rules to fall back on.
      await rulesProvider.collect({ entities: [...entities] });
      await stopBinary(prometheus);
      const again = [...entities];
      await expect(
        prometheusProvider.collect({ entities: again }),
      ).rejects.toThrow(
        /^Prometheus 'lab' \(http:\/\/127\.0\.0\.1:\d+\): (GET \/api\/v1\/targets|POST \/api\/v1\/query) failed: connection refused \(ECONNREFUSED\)$/,
      );
      await expect(rulesProvider.collect({ entities: again })).rejects.toThrow(
        /GET \/api\/v1\/rules failed: connection refused/,
      );
      const routes = await routesProvider.collect({ entities: again });
      expect(get(routes, 'payments-api', ALERTING_FACTS.routes)).toBeDefined();
    });
  },
);
