import fs from 'fs';
import http from 'http';
import net from 'net';

/** When the fake received a status request and when it answered it (ms since epoch). */
export interface StatusRequest {
  start: number;
  end?: number;
}

export interface SlowAlertmanager {
  /** The base URL, for `operability.alertmanager.url`. */
  url: string;
  /** Every `GET /api/v2/status` so far, in arrival order. */
  requests: () => StatusRequest[];
  /** The most status requests that were ever in flight at once. */
  maxInFlight: () => number;
  stop: () => Promise<void>;
}

/**
 * A fake Alertmanager on 127.0.0.1 whose API v2 status (where the prometheus
 * module reads the running configuration, once per readiness cycle) answers
 * only after `delayMs`, with the given alertmanager.yml as `config.original`.
 * Pointing `operability.alertmanager.url` at it makes every readiness cycle of
 * the unmodified demo backend last at least `delayMs`, as a slow real source
 * would, without changing what the cycle computes.
 */
export async function startSlowAlertmanager(options: {
  configFile: string;
  delayMs: number;
}): Promise<SlowAlertmanager> {
  const original = fs.readFileSync(options.configFile, 'utf8');
  const requests: StatusRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let maxInFlight = 0;

  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/api/v2/status') {
      res.writeHead(404).end();
      return;
    }
    const request: StatusRequest = { start: Date.now() };
    requests.push(request);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight -= 1;
      request.end = Date.now();
    };
    // Answered, or given up on by the client.
    res.once('finish', finish);
    res.once('close', finish);
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          cluster: { status: 'disabled', peers: [] },
          config: { original },
          versionInfo: { version: '0.0.0-slow-fake' },
          uptime: new Date().toISOString(),
        }),
      );
    }, options.delayMs);
    timers.add(timer);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests.map(r => ({ ...r })),
    maxInFlight: () => maxInFlight,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
