/*
 * Benchmark of one collection cycle of the three providers against a local
 * fake of the Prometheus API (targets, rules, the metric-presence query) and
 * of Alertmanager's /api/v2/status, on 127.0.0.1.
 *
 *   scripts/toolchain node --require @backstage/cli/config/nodeTransform.cjs \
 *     plugins/operability-backend-module-prometheus/bench/prometheus.ts \
 *     [--services 1000,10000] [--unique-exprs]
 *
 * For each size N it starts the fake in a child process (so that its memory is
 * not counted), then measures one cycle in another child process: N services,
 * 5·N rules, 10·N targets (N = 10,000 → 50,000 rules, 100,000 targets). It
 * prints the wall time of the cycle, the peak memory of the measuring process
 * (process.resourceUsage().maxRSS) and the upstream requests by path.
 */
/* eslint-disable no-console */
import { ChildProcess, spawn } from 'child_process';
import { createServer, IncomingMessage, ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import type { Entity } from '@backstage/catalog-model';
import type { FactBatch } from '@opsready/plugin-operability-node';
import { AlertmanagerClient } from '../src/clients/AlertmanagerClient';
import { PrometheusClient } from '../src/clients/PrometheusClient';
import { AlertmanagerFactProvider } from '../src/providers/AlertmanagerFactProvider';
import { AlertRulesFactProvider } from '../src/providers/AlertRulesFactProvider';
import { PrometheusFactProvider } from '../src/providers/PrometheusFactProvider';
import { AlertRuleCollector } from '../src/rules/AlertRuleCollector';
import { RuleFileReader } from '../src/rules/RuleFileReader';
import {
  DEFAULT_GOLDEN_SIGNALS,
  GoldenSignalMatcher,
} from '../src/signals/goldenSignals';

const TEAMS = 50;
const RULES_PER_SERVICE = 5;
const TARGETS_PER_SERVICE = 10;

const job = (i: number) => `svc-${String(i).padStart(5, '0')}`;
const team = (i: number) => `team-${i % TEAMS}`;

// ---------------------------------------------------------------------------
// The fake upstream (child process): `--serve N`

function targetJson(i: number, t: number): string {
  const ip = `10.${(i >> 8) & 255}.${i & 255}.${t}`;
  const pod = `${job(i)}-7d9f8b6c5-${t.toString(36).padStart(5, 'x')}`;
  return JSON.stringify({
    discoveredLabels: {
      __address__: `${ip}:8080`,
      __meta_kubernetes_namespace: team(i),
      __meta_kubernetes_pod_name: pod,
      __meta_kubernetes_pod_ip: ip,
      __meta_kubernetes_pod_container_name: 'app',
      __meta_kubernetes_pod_container_port_name: 'metrics',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: job(i),
      __meta_kubernetes_pod_node_name: `node-${i % 300}`,
      __metrics_path__: '/metrics',
      __scheme__: 'http',
      __scrape_interval__: '30s',
      __scrape_timeout__: '10s',
      job: job(i),
    },
    labels: { instance: `${ip}:8080`, job: job(i), namespace: team(i), pod },
    scrapePool: job(i),
    scrapeUrl: `http://${ip}:8080/metrics`,
    globalUrl: `http://${ip}:8080/metrics`,
    lastError:
      t === 9
        ? `Get "http://${ip}:8080/metrics": context deadline exceeded`
        : '',
    lastScrape: '2026-11-27T13:04:20.391371745Z',
    lastScrapeDuration: 0.013448374,
    health: t === 9 ? 'down' : 'up',
    scrapeInterval: '30s',
    scrapeTimeout: '10s',
  });
}

/**
 * With --unique-exprs every expression differs in a number too (as
 * hand-written rules differ in thresholds), so no two share a PromQL
 * template: the worst case, one lezer parse per rule.
 */
const UNIQUE = process.argv.includes('--unique-exprs');

function ruleJson(i: number, r: number): string {
  const j = job(i);
  const exprs = [
    `sum(rate(http_requests_total{job="${j}",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="${j}"}[5m])) > 0.05`,
    `slo:sli_error:ratio_rate1h{job="${j}"} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m{job="${j}"} > (14.4 * 0.001)`,
    `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="${j}"}[5m]))) > 0.5`,
    `up{job=~"${j}|${job(i + 1)}"} == 0`,
    i % 1000 === 0
      ? `sum by (job) (up{job=~"svc-0${String(i).slice(0, 2)}.*"}) == 0`
      : `absent(up{job="${j}"} == 1)`,
  ];
  return JSON.stringify({
    state: 'inactive',
    name: `Svc${i}Alert${r}`,
    query: UNIQUE ? `${exprs[r]} unless vector(${i}.${r})` : exprs[r],
    duration: r === 4 ? 0 : 300,
    keepFiringFor: 0,
    labels: { severity: r < 2 ? 'critical' : 'warning', team: team(i) },
    annotations: {
      summary: `Alert ${r} of ${j} on {{ $labels.instance }}`,
      runbook_url: `https://runbooks.example.com/${team(i)}/${j}#alert-${r}`,
    },
    alerts: [],
    health: 'ok',
    evaluationTime: 0.000412,
    lastEvaluation: '2026-11-27T13:04:22.784462036Z',
    type: 'alerting',
  });
}

function amConfigYaml(): string {
  const routes = Array.from(
    { length: TEAMS },
    (_, t) => `  - matchers: ['team="team-${t}"']
    receiver: team-${t}-slack
    routes:
    - matchers: ['severity=~"critical|page"']
      receiver: team-${t}-pagerduty
      routes:
      - matchers: ['env="staging"']
        receiver: team-${t}-slack`,
  ).join('\n');
  const receivers = Array.from(
    { length: TEAMS },
    (_, t) => `- name: team-${t}-slack
  slack_configs:
  - api_url: <secret>
    channel: '#team-${t}'
- name: team-${t}-pagerduty
  pagerduty_configs:
  - routing_key: <secret>`,
  ).join('\n');
  return `route:
  receiver: default
  routes:
  - matchers: ['severity="critical"']
    receiver: audit
    continue: true
${routes}
receivers:
- name: default
  webhook_configs: [{url: 'http://127.0.0.1:9/x'}]
- name: audit
  webhook_configs: [{url: 'http://127.0.0.1:9/audit'}]
${receivers}
`;
}

function serve(n: number) {
  // Pre-render the big answers as chunks of bytes.
  const chunk = (parts: string[]) => Buffer.from(parts.join(','));
  const targetChunks: Buffer[] = [
    Buffer.from('{"status":"success","data":{"activeTargets":['),
  ];
  for (let i = 0; i < n; i += 100) {
    const parts: string[] = [];
    for (let k = i; k < Math.min(n, i + 100); k++) {
      for (let t = 0; t < TARGETS_PER_SERVICE; t++)
        parts.push(targetJson(k, t));
    }
    if (i > 0) targetChunks.push(Buffer.from(','));
    targetChunks.push(chunk(parts));
  }
  targetChunks.push(Buffer.from('],"droppedTargets":[]}}'));
  const ruleChunks: Buffer[] = [
    Buffer.from('{"status":"success","data":{"groups":['),
  ];
  for (let i = 0; i < n; i++) {
    const rules = Array.from({ length: RULES_PER_SERVICE }, (_, r) =>
      ruleJson(i, r),
    );
    ruleChunks.push(
      Buffer.from(
        `${i > 0 ? ',' : ''}{"name":"${job(
          i,
        )}","file":"/etc/prometheus/rules/${team(i)}.yml","rules":[${rules.join(
          ',',
        )}],"interval":30,"limit":0,"evaluationTime":0.002,"lastEvaluation":"2026-11-27T13:04:22Z"}`,
      ),
    );
  }
  ruleChunks.push(Buffer.from(']}}'));
  const amStatus = Buffer.from(
    JSON.stringify({
      cluster: { status: 'disabled', peers: [] },
      config: { original: amConfigYaml() },
      uptime: '2026-11-27T13:03:58.673Z',
      versionInfo: { version: '0.25.0' },
    }),
  );
  const counts: Record<string, number> = {};
  const sizes: Record<string, number> = {};

  const send = async (res: ServerResponse, chunks: Buffer[], key: string) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let bytes = 0;
    for (const c of chunks) {
      bytes += c.length;
      if (!res.write(c)) await new Promise(r => res.once('drain', r));
    }
    res.end();
    sizes[key] = bytes;
  };

  const presence = (body: string): Buffer => {
    const query = new URLSearchParams(body).get('query') ?? '';
    const m = /\{job=~"([^"]*)"/.exec(query);
    const jobs = m ? m[1].split('|') : [];
    const rows: string[] = [];
    const row = (j: string, name: string, extra = '') =>
      rows.push(
        `{"metric":{"__name__":"${name}","job":"${j}"${extra}},"value":[1795784664.636,"3"]}`,
      );
    for (const j of jobs) {
      const i = Number(j.slice(4));
      row(j, 'http_requests_total');
      row(j, 'http_request_duration_seconds_bucket');
      if (i % 2 === 0) row(j, 'target_info');
    }
    if (query.includes('label_replace')) {
      for (let i = 0; i < n; i++) {
        row(job(i), 'http_requests_total', ',"operability_signal":"errors"');
      }
    }
    return Buffer.from(
      `{"status":"success","data":{"resultType":"vector","result":[${rows.join(
        ',',
      )}]}}`,
    );
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = `${req.method} ${req.url!.split('?')[0]}`;
    if (key === 'GET /__stats') {
      res.writeHead(200).end(JSON.stringify({ counts, sizes }));
      return;
    }
    counts[key] = (counts[key] ?? 0) + 1;
    if (key === 'GET /api/v1/targets') void send(res, targetChunks, key);
    else if (key === 'GET /api/v1/rules') void send(res, ruleChunks, key);
    else if (key === 'GET /api/v2/status') void send(res, [amStatus], key);
    else if (key === 'POST /api/v1/query') {
      const parts: Buffer[] = [];
      req.on('data', d => parts.push(d));
      req.on(
        'end',
        () => void send(res, [presence(Buffer.concat(parts).toString())], key),
      );
    } else res.writeHead(404).end();
  });
  // Like Prometheus (Go), keep idle connections open longer than a cycle.
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`,
    );
  });
}

/** What the bench prints of one cycle's facts (the facts themselves are let go). */
function summarize(batches: FactBatch[], name: string) {
  const [prom, rules, routes] = batches;
  const sample = `component:default/${name}`;
  const fact = (b: FactBatch, f: string) =>
    b.facts.get(sample)!.find(v => v.name === f)!.value;
  return {
    factsPerProvider: batches.map(b => b.facts.size),
    sampleFacts: {
      entity: sample,
      targets: fact(prom, 'prometheus.targets.count'),
      upRatio: fact(prom, 'prometheus.targets.up-ratio'),
      goldenSignals: fact(prom, 'prometheus.golden-signals'),
      rules: (fact(rules, 'alerting.rules') as unknown[]).length,
      routes: fact(routes, 'alerting.routes'),
    },
  };
}

// ---------------------------------------------------------------------------
// The measurement (child process): `--measure N PORT`

async function measure(n: number, port: number) {
  const base = `http://127.0.0.1:${port}`;
  const entities: Entity[] = Array.from({ length: n }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: job(i),
      namespace: 'default',
      annotations: {
        'prometheus.io/job': job(i),
        ...(i % 10 === 0 ? { 'pagerduty.com/service-id': `P${i}` } : {}),
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: `group:default/${team(i)}`,
    },
  }));
  const client = new PrometheusClient({
    name: 'bench',
    url: base,
    timeoutMs: 30_000,
  });
  const collector = new AlertRuleCollector({
    clients: [client],
    fileReader: new RuleFileReader(),
  });
  const am = new AlertmanagerClient({ url: base, timeoutMs: 30_000 });
  const providers = [
    new PrometheusFactProvider({
      clients: [client],
      signals: new GoldenSignalMatcher(DEFAULT_GOLDEN_SIGNALS),
      maxQueryLength: 256 * 1024,
    }),
    new AlertRulesFactProvider(collector),
    new AlertmanagerFactProvider({
      config: { description: base, load: () => am.getConfig() },
      collector,
      pagingReceivers: [],
      pagerDutyServices: {},
    }),
  ];
  const cycle = async () => {
    const list = [...entities]; // a new list per cycle, as the engine does
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const batches = await Promise.all(
      providers.map(p => p.collect({ entities: list })),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    return { ms, cpuMs: (used.user + used.system) / 1000, batches };
  };
  const first = await cycle();
  const rssAfterFirstMb = process.resourceUsage().maxRSS / 1024;
  const statsAfterFirst = await (await fetch(`${base}/__stats`)).json();
  const { factsPerProvider, sampleFacts } = summarize(first.batches, job(42));
  // The engine stores a cycle's facts and lets them go; so does the bench.
  first.batches.length = 0;
  const second = await cycle();
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const result = {
    services: n,
    rules: n * RULES_PER_SERVICE,
    targets: n * TARGETS_PER_SERVICE,
    firstCycleMs: Math.round(first.ms),
    firstCycleCpuMs: Math.round(first.cpuMs),
    secondCycleMs: Math.round(second.ms),
    peakRssMb: Math.round(rssMb),
    peakRssFirstCycleMb: Math.round(rssAfterFirstMb),
    requestsPerCycle: statsAfterFirst.counts,
    answerBytes: statsAfterFirst.sizes,
    factsPerProvider,
    sample: sampleFacts,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------
// The driver

function runChild(args: string[]): {
  child: ChildProcess;
  firstLine: Promise<any>;
} {
  const child = spawn(
    process.execPath,
    [...process.execArgv, __filename, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const firstLine = new Promise<any>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', d => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.on('exit', code =>
      reject(new Error(`child ${args.join(' ')} exited with ${code}`)),
    );
  });
  return { child, firstLine };
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--serve') return serve(Number(argv[1]));
  if (argv[0] === '--measure') return measure(Number(argv[1]), Number(argv[2]));
  const sizesArg = argv[argv.indexOf('--services') + 1];
  const sizes = argv.includes('--services')
    ? sizesArg.split(',').map(Number)
    : [1000, 10000];
  const results = [];
  for (const n of sizes) {
    const server = runChild([
      '--serve',
      String(n),
      ...(argv.includes('--unique-exprs') ? ['--unique-exprs'] : []),
    ]);
    const { port } = await server.firstLine;
    try {
      const m = runChild(['--measure', String(n), String(port)]);
      results.push(await m.firstLine);
    } finally {
      server.child.kill();
    }
  }
  for (const r of results) {
    console.log(
      `\n${r.services} services, ${r.rules} rules, ${r.targets} targets` +
        `\n  cycle (3 providers in parallel): ${r.firstCycleMs} ms wall, ${r.firstCycleCpuMs} ms CPU (second cycle, PromQL templates cached: ${r.secondCycleMs} ms)` +
        `\n  peak RSS of the measuring process: ${r.peakRssMb} MB (after the first cycle: ${r.peakRssFirstCycleMb} MB)` +
        `\n  upstream requests per cycle: ${Object.entries(r.requestsPerCycle)
          .map(([k, v]) => `${k} ×${v}`)
          .join(', ')} (total ${Object.values(
          r.requestsPerCycle as Record<string, number>,
        ).reduce((a, b) => a + b, 0)})` +
        `\n  answer sizes: ${Object.entries(r.answerBytes)
          .map(([k, v]) => `${k} ${((v as number) / 1e6).toFixed(1)} MB`)
          .join(', ')}` +
        `\n  entities with facts (prometheus, alert-rules, alertmanager): ${r.factsPerProvider.join(
          ', ',
        )}` +
        `\n  sample ${r.sample.entity}: ${r.sample.targets} targets, up ${
          r.sample.upRatio
        }, signals ${JSON.stringify(r.sample.goldenSignals)}, ${
          r.sample.rules
        } rules, routes ${JSON.stringify(r.sample.routes)}`,
    );
  }
  const ok = results.every(r => r.firstCycleMs < 10_000 && r.peakRssMb < 500);
  const counts = results.map(r => JSON.stringify(r.requestsPerCycle));
  console.log(
    `\ntargets: cycle < 10 s and peak < 500 MB: ${
      ok ? 'met' : 'NOT MET'
    }; requests independent of the number of services: ${
      new Set(counts).size === 1 ? 'yes' : 'NO'
    }`,
  );
  if (!ok) process.exitCode = 1;
  return undefined;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
