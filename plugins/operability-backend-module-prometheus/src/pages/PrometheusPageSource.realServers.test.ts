/**
 * The Prometheus page source against the real Prometheus binary, whose data
 * directory holds a history of ALERTS written by `promtool tsdb
 * create-blocks-from openmetrics`. Skipped with a printed reason without the
 * binaries, unless OPSREADY_REQUIRE_BINARIES is set.
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { readAlertmanagerConfigFile } from '../clients/AlertmanagerClient';
import { PrometheusClient } from '../clients/PrometheusClient';
import { AlertRuleCollector } from '../rules/AlertRuleCollector';
import { RuleFileReader } from '../rules/RuleFileReader';
import {
  BINARIES,
  freePort,
  getJson,
  realBinariesGate,
  Running,
  startBinary,
  stopBinary,
  waitFor,
} from '../__testUtils__/binaries';
import { component } from '../__testUtils__/demo';
import { MAX_POINTS, PrometheusPageSource } from './PrometheusPageSource';

const execFileAsync = promisify(execFile);
const AM_FIXTURE = join(__dirname, '../__fixtures__/alertmanager.yml');

const RULES = `groups:
  - name: pages
    rules:
      - alert: PaymentsApiDown
        expr: up{job="payments-api"} == 0
        labels: { severity: critical, team: payments }
      - alert: PaymentsApiSlow
        expr: http_latency_seconds{job="payments-api"} > 1
        labels: { severity: warning, team: payments }
      - alert: StorefrontDown
        expr: up{service="storefront-web"} == 0
        labels: { severity: critical, team: sre }
`;

const MIN = 60_000;
// Two days ago, on a whole minute: the history's start.
const T = Math.floor((Date.now() - 2 * 86_400_000) / MIN) * MIN;

/** Firing ALERTS samples every minute over [from, to] minutes after T. */
function firing(labels: Record<string, string>, from: number, to: number) {
  const text = Object.entries({ alertstate: 'firing', ...labels })
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const lines: string[] = [];
  for (let m = from; m <= to; m++) {
    lines.push(`ALERTS{${text}} 1 ${(T + m * MIN) / 1000}`);
  }
  return lines;
}

const down = (instance: string, extra: Record<string, string> = {}) => ({
  alertname: 'PaymentsApiDown',
  job: 'payments-api',
  instance,
  severity: 'critical',
  team: 'payments',
  ...extra,
});

const HISTORY = [
  '# HELP ALERTS Alerts.',
  '# TYPE ALERTS gauge',
  // Two episodes of one series (a gap of 90 minutes between them).
  ...firing(down('a'), 10, 30),
  ...firing(down('a'), 120, 125),
  // Another instance: a series of its own.
  ...firing(down('b'), 60, 70),
  // Still firing at the end of the range: no resolve time.
  ...firing(down('d'), 350, 360),
  // Pending is not firing.
  ...firing(down('a'), 8, 9).map(l =>
    l.replace('alertstate="firing"', 'alertstate="pending"'),
  ),
  // A warning goes to Slack: it does not page.
  ...firing(
    {
      alertname: 'PaymentsApiSlow',
      job: 'payments-api',
      severity: 'warning',
      team: 'payments',
    },
    40,
    50,
  ),
  // Critical in staging goes to Slack too.
  ...firing(down('c', { env: 'staging' }), 200, 210),
  // The storefront's alert pages through the SRE route.
  ...firing(
    {
      alertname: 'StorefrontDown',
      service: 'storefront-web',
      severity: 'critical',
      team: 'sre',
    },
    300,
    320,
  ),
  '# EOF',
  '',
].join('\n');

const gate = realBinariesGate(['prometheus', 'promtool']);
(gate.run ? describe : describe.skip)(
  'PrometheusPageSource against the real Prometheus',
  () => {
    jest.setTimeout(60_000);
    let dir: string;
    let prometheus: Running | undefined;
    let client: PrometheusClient;

    const entities = [
      component('payments-api', { 'prometheus.io/job': 'payments-api' }),
      component('storefront-web', {
        'prometheus.io/service-label': 'service=storefront-web',
      }),
      component('quiet', { 'prometheus.io/job': 'quiet' }),
    ];

    const source = (stepSeconds?: number) =>
      new PrometheusPageSource({
        clients: [client],
        collector: new AlertRuleCollector({
          clients: [client],
          fileReader: new RuleFileReader(),
        }),
        alertmanager: {
          description: AM_FIXTURE,
          load: () => readAlertmanagerConfigFile(AM_FIXTURE),
        },
        pagingReceivers: [],
        maxQueryLength: 1 << 16,
        stepSeconds,
      });

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'operability-prom-pages-'));
      writeFileSync(join(dir, 'history.om'), HISTORY);
      writeFileSync(join(dir, 'rules.yml'), RULES);
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:\n  evaluation_interval: 1h\nrule_files: ['${join(
          dir,
          'rules.yml',
        )}']\n`,
      );
      await execFileAsync(BINARIES.promtool, [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        join(dir, 'history.om'),
        join(dir, 'data'),
      ]);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      prometheus = startBinary(
        BINARIES.prometheus,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          '--storage.tsdb.retention.time=30d',
          // Series end where their samples end, give or take a step.
          '--query.lookback-delta=1m',
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        dir,
      );
      await waitFor(
        'Prometheus: history loaded, rules loaded',
        async () => {
          const q = await getJson(
            `${url}/api/v1/query?query=${encodeURIComponent(
              'count(ALERTS)',
            )}&time=${(T + 20 * MIN) / 1000}`,
          );
          const rules = await getJson(`${url}/api/v1/rules`);
          return q.data.result.length > 0 && rules.data.groups.length > 0;
        },
        20_000,
        () => prometheus!.output(),
      );
      client = new PrometheusClient({ name: 'lab', url, timeoutMs: 10_000 });
    });

    afterAll(async () => {
      await stopBinary(prometheus);
      rmSync(dir, { recursive: true, force: true });
    });

    const iso = (minutes: number) => new Date(T + minutes * MIN).toISOString();
    const window = { since: new Date(T), until: new Date(T + 360 * MIN) };

    it('finds the firing episodes of alerts that page, per entity', async () => {
      const batch = await source().collect({ entities, ...window });
      const pages = batch.pages.map(p => ({
        entity: p.entityRef.split('/')[1],
        at: p.at,
        title: p.title,
        resolvedAt: p.resolvedAt,
      }));
      expect(pages).toEqual([
        {
          entity: 'payments-api',
          at: iso(10),
          title: 'PaymentsApiDown (critical)',
          resolvedAt: expect.any(String),
        },
        {
          entity: 'payments-api',
          at: iso(60),
          title: 'PaymentsApiDown (critical)',
          resolvedAt: expect.any(String),
        },
        {
          entity: 'payments-api',
          at: iso(120),
          title: 'PaymentsApiDown (critical)',
          resolvedAt: expect.any(String),
        },
        {
          entity: 'storefront-web',
          at: iso(300),
          title: 'StorefrontDown (critical)',
          resolvedAt: expect.any(String),
        },
        {
          // Still firing at the end of the range.
          entity: 'payments-api',
          at: iso(350),
          title: 'PaymentsApiDown (critical)',
          resolvedAt: undefined,
        },
      ]);
      // Resolved one to two steps after the last sample.
      const resolved = Date.parse(batch.pages[0].resolvedAt!);
      expect(resolved).toBeGreaterThan(T + 30 * MIN);
      expect(resolved).toBeLessThanOrEqual(T + 32 * MIN);
      expect(new Set(batch.pages.map(p => p.id)).size).toBe(5);
      expect(source().covers(entities[2])).toBe(true);
      expect(source().covers(component('plain', {}))).toBe(false);
    });

    it('starts no episode for a series already firing at the start, and gives the others the same ids', async () => {
      const full = await source().collect({ entities, ...window });
      const later = await source().collect({
        entities,
        since: new Date(T + 20 * MIN),
        until: window.until,
      });
      const idsAfter = (pages: typeof full.pages) =>
        pages.filter(p => Date.parse(p.at) >= T + 20 * MIN).map(p => p.id);
      expect(later.pages.map(p => p.id)).toEqual(idsAfter(full.pages));
      expect(later.pages.map(p => p.at)).not.toContain(iso(10));
    });

    it('queries in chunks under 11,000 points, with the same pages', async () => {
      const fine = source(1);
      const spy = jest.spyOn(client, 'queryRange');
      try {
        const batch = await fine.collect({ entities, ...window });
        expect(spy.mock.calls.length).toBeGreaterThan(1);
        for (const [, range] of spy.mock.calls) {
          expect(
            (range.end - range.start) / range.step + 1,
          ).toBeLessThanOrEqual(MAX_POINTS);
        }
        const coarse = await source().collect({ entities, ...window });
        expect(batch.pages.map(p => [p.entityRef, p.at, p.id])).toEqual(
          coarse.pages.map(p => [p.entityRef, p.at, p.id]),
        );
      } finally {
        spy.mockRestore();
      }
    });

    it('fails the collection when Prometheus fails the query', async () => {
      const broken = new PrometheusPageSource({
        clients: [
          new PrometheusClient({
            name: 'gone',
            url: `http://127.0.0.1:${await freePort()}`,
            timeoutMs: 2000,
          }),
        ],
        collector: new AlertRuleCollector({
          clients: [client],
          fileReader: new RuleFileReader(),
        }),
        alertmanager: {
          description: AM_FIXTURE,
          load: () => readAlertmanagerConfigFile(AM_FIXTURE),
        },
        pagingReceivers: [],
        maxQueryLength: 1 << 16,
      });
      await expect(broken.collect({ entities, ...window })).rejects.toThrow(
        /Prometheus 'gone'.*query_range failed: connection refused/,
      );
    });
  },
);
