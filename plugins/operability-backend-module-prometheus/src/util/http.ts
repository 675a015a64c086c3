import {
  extractJson,
  JsonPathHandler,
  JsonStreamExtractor,
} from './jsonStream';

/** A source (Prometheus, Alertmanager) failed as a whole; the message says which and why. */
export class SourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** How to reach one HTTP source. */
export interface HttpSourceOptions {
  /** Shown in messages, e.g. `Prometheus 'main'`. */
  label: string;
  baseUrl: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** For tests. */
  fetchImpl?: typeof fetch;
}

/** Removes user:password from a URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: unknown };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = e?.cause as { code?: string; message?: string } | undefined;
  if (cause?.code === 'ECONNREFUSED')
    return 'connection refused (ECONNREFUSED)';
  if (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET') {
    return `connection closed before the answer was complete (${cause.code})`;
  }
  if (cause?.code) return `${cause.code}: ${cause.message ?? e?.message}`;
  if (cause?.message) return cause.message;
  return e?.message ?? String(error);
}

/**
 * Sends one request and streams its JSON answer through the extractor, all
 * under one timeout (connection, headers and body). Any failure — timeout,
 * refused connection, non-2xx status, malformed or truncated JSON — becomes a
 * SourceError naming the source and the path.
 */
export async function fetchJson(
  source: HttpSourceOptions,
  path: string,
  handlers: JsonPathHandler[],
  init?: { method?: 'GET' | 'POST'; form?: Record<string, string> },
): Promise<JsonStreamExtractor> {
  const url = `${source.baseUrl}${path}`;
  const method = init?.method ?? 'GET';
  const where = `${source.label} (${redactUrl(source.baseUrl)}): ${method} ${
    path.split('?')[0]
  }`;
  const signal = AbortSignal.timeout(source.timeoutMs);
  const doFetch = source.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(init?.form
          ? { 'content-type': 'application/x-www-form-urlencoded' }
          : {}),
        ...source.headers,
      },
      body: init?.form ? new URLSearchParams(init.form).toString() : undefined,
      signal,
    });
  } catch (error) {
    throw new SourceError(
      `${where} failed: ${describeFetchError(error, source.timeoutMs)}`,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) {
    let detail = '';
    try {
      const text = (await response.text()).slice(0, 2000);
      try {
        const body = JSON.parse(text);
        detail = [body.errorType, body.error].filter(Boolean).join(': ');
      } catch {
        detail = text.trim().split('\n')[0].slice(0, 200);
      }
    } catch {
      // body unreadable: the status says enough
    }
    throw new SourceError(
      `${where} failed: HTTP ${response.status}${detail ? ` ${detail}` : ''}`,
    );
  }
  if (!response.body) throw new SourceError(`${where} failed: empty answer`);
  try {
    return await extractJson(response.body, handlers);
  } catch (error) {
    if (signal.aborted) {
      throw new SourceError(
        `${where} failed: timed out after ${source.timeoutMs} ms`,
        {
          cause: error,
        },
      );
    }
    throw new SourceError(
      `${where} failed: ${
        error instanceof Error && error.name === 'JsonStreamError'
          ? error.message
          : describeFetchError(error, source.timeoutMs)
      }`,
      { cause: error },
    );
  }
}
