/**
 * The HTTP load generator of bench/readiness-cycle.ts, run in a worker thread
 * so that making requests and reading answers does not compete with the
 * backend for its event loop (the backend runs on the main thread).
 *
 * A fixed number of virtual users each send one request at a time over
 * keep-alive connections (see makeClient), round-robin over the given
 * paths, until the duration or the request count is reached, whichever comes
 * first. Requests in flight at the deadline finish and count.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

export interface LoadRequest {
  baseUrl: string;
  token: string;
  paths: string[];
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** Requests sent before measuring (JIT, connections), not counted. */
  warmupRequests: number;
  requestTimeoutMs: number;
}

export interface LoadResult {
  /** The HTTP client used. */
  client: string;
  /** Per path, the first answer of the warm-up: status, total, items, bytes. */
  probes: {
    path: string;
    status: number;
    total?: number;
    items?: number;
    bytes: number;
  }[];
  /** Latency in ms of each measured request (NaN for errors). */
  latencies: Float64Array;
  /** Path index of each measured request. */
  pathIndex: Uint16Array;
  statuses: Record<string, number>;
  errors: string[];
  elapsedMs: number;
  bytes: number;
}

type Send = (
  path: string,
) => Promise<{ ms: number; status: number; body: string; bytes: number }>;

/**
 * undici's `Pool` (keep-alive, one connection per virtual user) when the
 * `undici` package can be loaded, else Node's fetch. fetch is an order of
 * magnitude more expensive per request on the client side (about 1,300
 * requests/s against a trivial server on this kind of machine, against
 * 20,000 with undici's `request`), so with it the client would be what is
 * measured. Both ask for gzip, as browsers do; the body is decompressed only
 * for the probes.
 */
function makeClient(req: LoadRequest): {
  name: string;
  send: Send;
  close: () => Promise<void>;
} {
  const headers = {
    authorization: `Bearer ${req.token}`,
    'accept-encoding': 'gzip',
  };
  let undici: typeof import('undici') | undefined;
  try {
    // Not a dependency of the package (yet): used when the workspace has it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, @backstage/no-undeclared-imports
    undici = require('undici');
  } catch {
    undici = undefined;
  }
  if (undici) {
    const pool = new undici.Pool(req.baseUrl, {
      connections: req.concurrency,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: req.requestTimeoutMs,
      bodyTimeout: req.requestTimeoutMs,
    });
    return {
      name: 'undici Pool',
      async send(path) {
        const t0 = performance.now();
        const res = await pool.request({ path, method: 'GET', headers });
        const raw = Buffer.from(await res.body.arrayBuffer());
        const ms = performance.now() - t0;
        const gzip = res.headers['content-encoding'] === 'gzip';
        return {
          ms,
          status: res.statusCode,
          bytes: raw.length,
          // Decompressed lazily by the caller that needs it (probes).
          get body() {
            return (gzip ? gunzipSync(raw) : raw).toString('utf8');
          },
        };
      },
      close: () => pool.close(),
    };
  }
  return {
    name: 'fetch',
    async send(path) {
      const t0 = performance.now();
      const res = await fetch(req.baseUrl + path, {
        headers,
        signal: AbortSignal.timeout(req.requestTimeoutMs),
      });
      const body = await res.text();
      const ms = performance.now() - t0;
      return { ms, status: res.status, body, bytes: body.length };
    },
    close: async () => {},
  };
}

async function run(req: LoadRequest): Promise<LoadResult> {
  const client = makeClient(req);
  const one = client.send;

  // Warm-up: every path once (kept as probes), then the rest concurrently.
  const probes: LoadResult['probes'] = [];
  for (const path of req.paths) {
    const r = await one(path);
    let total: number | undefined;
    let items: number | undefined;
    try {
      const json = JSON.parse(r.body);
      total = json.total;
      items = Array.isArray(json.items) ? json.items.length : undefined;
    } catch {
      // not JSON: reported as is
    }
    probes.push({ path, status: r.status, total, items, bytes: r.bytes });
  }
  let warm = 0;
  await Promise.all(
    Array.from({ length: Math.min(req.concurrency, 10) }, async () => {
      while (warm < req.warmupRequests) {
        await one(req.paths[warm++ % req.paths.length]);
      }
    }),
  );

  const latencies = new Float64Array(req.maxRequests);
  const pathIndex = new Uint16Array(req.maxRequests);
  const statuses: Record<string, number> = {};
  const errors: string[] = [];
  let bytes = 0;
  let next = 0;
  const start = performance.now();
  const end = start + req.durationMs;
  async function virtualUser() {
    for (;;) {
      if (next >= req.maxRequests || performance.now() >= end) return;
      const i = next++;
      const p = i % req.paths.length;
      pathIndex[i] = p;
      try {
        const r = await one(req.paths[p]);
        latencies[i] = r.ms;
        bytes += r.bytes;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      } catch (error) {
        latencies[i] = NaN;
        if (errors.length < 5) {
          const cause = (error as { cause?: unknown }).cause;
          errors.push(`${error}${cause ? ` (${cause})` : ''}`);
        }
        statuses.error = (statuses.error ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: req.concurrency }, virtualUser));
  const elapsedMs = performance.now() - start;
  await client.close();
  return {
    client: client.name,
    probes,
    latencies: latencies.slice(0, next),
    pathIndex: pathIndex.slice(0, next),
    statuses,
    errors,
    elapsedMs,
    bytes,
  };
}

if (parentPort && workerData) {
  const port = parentPort;
  run(workerData as LoadRequest).then(
    result => port.postMessage({ result }),
    error => port.postMessage({ error: String(error?.stack ?? error) }),
  );
}
