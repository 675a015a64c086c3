import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { close, freePort, listen } from '../__testUtils__/binaries';
import { component } from '../__testUtils__/demo';
import { PrometheusFactProvider } from '../providers/PrometheusFactProvider';
import {
  DEFAULT_GOLDEN_SIGNALS,
  GoldenSignalMatcher,
} from '../signals/goldenSignals';
import {
  AlertmanagerClient,
  readAlertmanagerConfigFile,
} from './AlertmanagerClient';
import { PrometheusClient } from './PrometheusClient';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('source faults', () => {
  let server: Server;
  let url: string;
  let handler: Handler;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      handler(req, res);
    });
    url = `http://127.0.0.1:${await listen(server)}`;
  });
  afterAll(() => close(server));
  beforeEach(() => {
    requests.length = 0;
  });

  const prom = (timeoutMs = 500) =>
    new PrometheusClient({ name: 'main', url, timeoutMs });
  const json =
    (status: number, body: unknown): Handler =>
    (_req, res) =>
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));

  it('times out a server slower than the timeout', async () => {
    handler = (_req, res) => {
      setTimeout(
        () =>
          json(200, { status: 'success', data: { activeTargets: [] } })(
            _req,
            res,
          ),
        1500,
      );
    };
    const started = Date.now();
    await expect(prom(200).forEachTarget(() => {})).rejects.toThrow(
      `Prometheus 'main' (${url}): GET /api/v1/targets failed: timed out after 200 ms`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('times out a body that stalls after the headers', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":"success","data":{"activeTargets":[');
      // never finishes
    };
    await expect(prom(200).forEachTarget(() => {})).rejects.toThrow(
      /timed out after 200 ms/,
    );
  });

  it('reports connection refused', async () => {
    const port = await freePort();
    const client = new PrometheusClient({
      name: 'gone',
      url: `http://127.0.0.1:${port}`,
      timeoutMs: 500,
    });
    await expect(client.forEachRuleGroup(() => {})).rejects.toThrow(
      `Prometheus 'gone' (http://127.0.0.1:${port}): GET /api/v1/rules failed: connection refused (ECONNREFUSED)`,
    );
  });

  it('reports 5xx with Prometheus error details', async () => {
    handler = json(503, {
      status: 'error',
      errorType: 'timeout',
      error: 'query timed out',
    });
    await expect(prom().query('up', () => {})).rejects.toThrow(
      /POST \/api\/v1\/query failed: HTTP 503 timeout: query timed out$/,
    );
    handler = (_req, res) =>
      res.writeHead(500).end('<html>Internal Server Error</html>');
    await expect(prom().forEachTarget(() => {})).rejects.toThrow(
      /HTTP 500 <html>Internal Server Error/,
    );
  });

  it.each([
    ['garbage', 'this is not json', /expected an object/],
    ['HTML with 200', '<html><body>login</body></html>', /expected an object/],
    [
      'broken inside a target',
      '{"status":"success","data":{"activeTargets":[{"labels":{"job":}]}}',
      /malformed JSON/,
    ],
    [
      'truncated',
      '{"status":"success","data":{"activeTargets":[{"labels":{"job":"a"},"health":"up"}',
      /truncated JSON/,
    ],
    ['empty', '', /empty answer/],
  ])('rejects malformed JSON: %s', async (_name, body, error) => {
    handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    await expect(prom().forEachTarget(() => {})).rejects.toThrow(error);
  });

  it('rejects an answer cut off by a dropped connection', async () => {
    handler = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '100000',
      });
      res.write(
        '{"status":"success","data":{"activeTargets":[{"labels":{"job":"a"},"health":"up"},',
      );
      setTimeout(() => res.socket?.destroy(), 20);
    };
    await expect(prom().forEachTarget(() => {})).rejects.toThrow(
      /GET \/api\/v1\/targets failed: (connection closed|terminated|other side closed)/,
    );
  });

  it('rejects partial answers: warnings, missing data, wrong shapes', async () => {
    handler = json(200, {
      status: 'success',
      data: { resultType: 'vector', result: [] },
      warnings: ['remote read failed'],
    });
    await expect(prom().query('up', () => {})).rejects.toThrow(
      /partial answer with warnings: remote read failed/,
    );
    handler = json(200, { status: 'success' });
    await expect(prom().forEachTarget(() => {})).rejects.toThrow(
      /returned no data.activeTargets/,
    );
    handler = json(200, {
      status: 'success',
      data: { activeTargets: [{ health: 'up' }] },
    });
    await expect(prom().forEachTarget(() => {})).rejects.toThrow(
      /a target without labels or health/,
    );
    handler = json(200, {
      status: 'success',
      data: { resultType: 'matrix', result: [] },
    });
    await expect(prom().query('up[5m]', () => {})).rejects.toThrow(
      /expected a vector/,
    );
    handler = json(200, {
      status: 'error',
      errorType: 'bad_data',
      error: 'parse error',
    });
    await expect(prom().query('up', () => {})).rejects.toThrow(
      /status "error" bad_data: parse error/,
    );
  });

  it('streams targets split across many small chunks', async () => {
    const body = JSON.stringify({
      status: 'success',
      data: {
        activeTargets: Array.from({ length: 50 }, (_, i) => ({
          discoveredLabels: { __address__: `h${i}:80`, 'we"ird': 'a\\b}"]' },
          labels: { job: `j${i % 5}`, instance: `h${i}:80` },
          scrapeUrl: `http://h${i}/metrics`,
          lastError: i % 2 ? 'Get "x": connection refused' : '',
          health: i % 2 ? 'down' : 'up',
        })),
        droppedTargets: [{ discoveredLabels: { a: '}' } }],
      },
    });
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const step = () => {
        if (i >= body.length) {
          res.end();
          return;
        }
        res.write(body.slice(i, (i += 7)));
        setImmediate(step);
      };
      step();
    };
    const seen: string[] = [];
    expect(
      await prom(5000).forEachTarget(t =>
        seen.push(`${t.labels.instance}:${t.health}`),
      ),
    ).toBe(50);
    expect(seen[1]).toBe('h1:80:down');
  });

  it('makes the prometheus provider throw when any instance fails (no partial facts)', async () => {
    handler = (req, res) => {
      if (req.url!.startsWith('/api/v1/targets')) {
        json(200, { status: 'success', data: { activeTargets: [] } })(req, res);
      } else {
        json(500, { status: 'error', errorType: 'internal', error: 'boom' })(
          req,
          res,
        );
      }
    };
    const provider = new PrometheusFactProvider({
      clients: [prom()],
      signals: new GoldenSignalMatcher(DEFAULT_GOLDEN_SIGNALS),
      maxQueryLength: 1 << 16,
    });
    await expect(
      provider.collect({
        entities: [component('a', { 'prometheus.io/job': 'a' })],
      }),
    ).rejects.toThrow(/HTTP 500 internal: boom/);
  });

  it('asks each instance a fixed number of requests whatever the number of services', async () => {
    handler = (req, res) => {
      if (req.url!.startsWith('/api/v1/targets')) {
        json(200, { status: 'success', data: { activeTargets: [] } })(req, res);
      } else {
        json(200, {
          status: 'success',
          data: { resultType: 'vector', result: [] },
        })(req, res);
      }
    };
    const provider = new PrometheusFactProvider({
      clients: [prom()],
      signals: new GoldenSignalMatcher(DEFAULT_GOLDEN_SIGNALS),
      maxQueryLength: 1 << 18,
    });
    for (const n of [1, 500]) {
      requests.length = 0;
      const entities = Array.from({ length: n }, (_, i) =>
        component(`s${i}`, { 'prometheus.io/job': `service-${i}` }),
      );
      entities.push(
        component('web', { 'prometheus.io/service-label': 'service=web' }),
      );
      const batch = await provider.collect({ entities });
      expect(batch.facts.size).toBe(n + 1);
      // targets + one query for job + one for service
      expect(requests.sort()).toEqual([
        'GET /api/v1/targets?state=active',
        'POST /api/v1/query',
        'POST /api/v1/query',
      ]);
    }
  });

  describe('Alertmanager', () => {
    const am = () => new AlertmanagerClient({ url, timeoutMs: 300 });

    it('rejects invalid YAML in config.original with the line', async () => {
      handler = json(200, {
        config: { original: 'route:\n  receiver: [unclosed\n' },
      });
      await expect(am().getConfig()).rejects.toThrow(
        /running config:\d+:\d+: invalid YAML/,
      );
    });

    it('rejects an invalid configuration', async () => {
      handler = json(200, {
        config: {
          original:
            'route:\n  receiver: nobody\nreceivers:\n  - name: somebody\n',
        },
      });
      await expect(am().getConfig()).rejects.toThrow(
        /undefined receiver 'nobody' used in route/,
      );
      handler = json(200, { cluster: {} });
      await expect(am().getConfig()).rejects.toThrow(/has no config.original/);
    });

    it('reports 5xx, timeouts and garbage', async () => {
      handler = (_req, res) => res.writeHead(502).end('Bad Gateway');
      await expect(am().getConfig()).rejects.toThrow(
        `Alertmanager (${url}): GET /api/v2/status failed: HTTP 502 Bad Gateway`,
      );
      handler = () => {};
      await expect(am().getConfig()).rejects.toThrow(/timed out after 300 ms/);
      handler = (_req, res) =>
        res.writeHead(200).end('{"config": {"original": ');
      await expect(am().getConfig()).rejects.toThrow(/truncated JSON/);
    });

    it('rejects a config file that is not valid YAML, or missing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'am-'));
      try {
        const file = join(dir, 'alertmanager.yml');
        writeFileSync(file, 'route:\n  receiver: a\n routes: [\n');
        await expect(readAlertmanagerConfigFile(file)).rejects.toThrow(
          new RegExp(`^${file}:3:\\d+: invalid YAML`),
        );
        await expect(
          readAlertmanagerConfigFile(join(dir, 'nope.yml')),
        ).rejects.toThrow(/cannot be read: ENOENT/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
