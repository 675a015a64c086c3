import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The ways a source can fail, as the fault matrix names them:
 *
 * - `down`: nothing listens on the port (connection refused);
 * - `slow`: the answer comes only after `slowMs`, far past the client's timeout;
 * - `5xx`: HTTP 503 with an error body;
 * - `garbage`: HTTP 200 whose body is not JSON (an HTML error page);
 * - `truncated`: HTTP 200 with a Content-Length, and the connection dropped
 *   half-way through the body;
 * - `partial`: HTTP 200, a complete response whose content is partial — the
 *   server's `partial` transform of the good body (by default the JSON cut
 *   half-way, as a server that stops mid-stream would leave it).
 */
export type Fault =
  | 'down'
  | 'slow'
  | '5xx'
  | 'garbage'
  | 'truncated'
  | 'partial';

export const FAULTS: Fault[] = [
  'down',
  'slow',
  '5xx',
  'garbage',
  'truncated',
  'partial',
];

/** A request as the good handler sees it. */
export interface FaultServerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A good answer. */
export interface FaultServerAnswer {
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string;
}

export interface FaultServerOptions {
  /** Shown in messages. */
  name: string;
  /** The good answer to a request. */
  good: (request: FaultServerRequest) => FaultServerAnswer;
  /** The `partial` answer, from the good one (default: its first half). */
  partial?: (good: string, request: FaultServerRequest) => string;
  /** How long `slow` waits before answering (default 2 s). */
  slowMs?: number;
}

/**
 * A local HTTP server on 127.0.0.1 that stands in for one source: it serves
 * the source's good answers and can be switched to any {@link Fault} and back.
 * `down` closes the listening socket (so connecting is refused) and switching
 * back listens again on the same port.
 */
export class FaultServer {
  /** Every request, as `METHOD /path`, in order. */
  readonly requests: string[] = [];
  private current?: Fault;
  private port = 0;
  private server: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly options: FaultServerOptions) {
    this.server = this.createServer();
  }

  static async start(options: FaultServerOptions): Promise<FaultServer> {
    const server = new FaultServer(options);
    await server.listen();
    return server;
  }

  /** `http://127.0.0.1:<port>`, stable across `down`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get fault(): Fault | undefined {
    return this.current;
  }

  /** Switches to a fault, or back to good answers with `undefined`. */
  async set(fault: Fault | undefined): Promise<void> {
    if (fault === this.current) return;
    const wasDown = this.current === 'down';
    this.current = fault;
    if (fault === 'down') {
      await this.close();
    } else if (wasDown) {
      this.server = this.createServer();
      await this.listen();
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.current !== 'down') await this.close();
  }

  private createServer(): http.Server {
    return http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () =>
        this.handle(req, res, Buffer.concat(chunks).toString('utf8')),
      );
    });
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private async close(): Promise<void> {
    const server = this.server;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }

  private handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: string,
  ) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: FaultServerRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    this.requests.push(`${request.method} ${request.path}`);
    let good: FaultServerAnswer;
    try {
      good = this.options.good(request);
    } catch (error) {
      res
        .writeHead(500, { 'content-type': 'text/plain' })
        .end(`${this.options.name}: the test's good handler threw: ${error}`);
      return;
    }
    const fault = this.current;
    const contentType = good.contentType ?? 'application/json';
    const send = (status: number, text: string) =>
      res
        .writeHead(status, {
          'content-type': contentType,
          ...good.headers,
        })
        .end(text);
    switch (fault) {
      case undefined:
      case 'down': // a request that got in before the socket closed
        send(good.status ?? 200, good.body);
        return;
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (!res.destroyed) send(good.status ?? 200, good.body);
        }, this.options.slowMs ?? 2000);
        this.timers.add(timer);
        return;
      }
      case '5xx':
        res.writeHead(503, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: 'error',
            errorType: 'unavailable',
            error: `${this.options.name} is unavailable (injected 503)`,
          }),
        );
        return;
      case 'garbage':
        res
          .writeHead(200, { 'content-type': contentType })
          .end(
            '<html><body><h1>Sign in</h1>This is not what you asked for.</body></html>\n',
          );
        return;
      case 'truncated': {
        const bytes = Buffer.from(good.body, 'utf8');
        res.writeHead(200, {
          'content-type': contentType,
          'content-length': String(bytes.length),
        });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          res.socket?.destroy();
        }, 20);
        this.timers.add(timer);
        return;
      }
      case 'partial':
        send(
          200,
          this.options.partial
            ? this.options.partial(good.body, request)
            : good.body.slice(0, Math.floor(good.body.length / 2)),
        );
        return;
      default:
        throw new Error(`unknown fault ${fault satisfies never}`);
    }
  }
}
