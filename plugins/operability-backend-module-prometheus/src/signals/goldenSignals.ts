import { AnchoredRegex, compileAnchored, escapeRegex } from '../util/regex';

/** The golden signals as the `prometheus.golden-signals` fact names them. */
export type GoldenSignal = 'requests' | 'errors' | 'latency-histogram';

/** Metric names (anchored RE2 regexes; a plain name is a regex too) per signal. */
export interface GoldenSignalPatterns {
  /** Request counters. */
  requests: string[];
  /** Counters of failed requests. */
  errors: string[];
  /** Latency histogram buckets. */
  latency: string[];
  /** Labels whose presence on a request counter makes it an error signal too. */
  errorLabels: string[];
}

/**
 * Defaults: the names the Prometheus client libraries (Go, Java/Micrometer,
 * Python, Node prom-client conventions, gRPC interceptors) and OpenTelemetry's
 * HTTP/RPC semantic conventions (stable and legacy, with and without the unit
 * suffix the exporters add) give these metrics.
 */
export const DEFAULT_GOLDEN_SIGNALS: GoldenSignalPatterns = {
  requests: [
    'http_requests_total',
    'http_server_requests_total',
    'http_request_duration_(seconds|milliseconds)_count',
    'http_server_requests_seconds_count',
    'http_server_(request_)?duration(_seconds|_milliseconds)?_count',
    'grpc_server_(handled|started)_total',
    'rpc_server_(call_)?duration(_seconds|_milliseconds)?_count',
  ],
  errors: [
    'http_requests?_errors_total',
    'http_server_errors_total',
    'http_errors_total',
    'grpc_server_handled_total',
  ],
  latency: [
    'http_request_duration_(seconds|milliseconds)_bucket',
    'http_server_requests_seconds_bucket',
    'http_server_(request_)?duration(_seconds|_milliseconds)?_bucket',
    'grpc_server_handling_seconds_bucket',
    'rpc_server_(call_)?duration(_seconds|_milliseconds)?_bucket',
  ],
  errorLabels: [
    'code',
    'status',
    'status_code',
    'http_status',
    'http_status_code',
    'http_response_status_code',
    'grpc_code',
    'rpc_grpc_status_code',
    'outcome',
    'error_type',
  ],
};

/** Label added by the presence query to rows that prove an error signal. */
export const ERROR_SIGNAL_LABEL = 'operability_signal';

/** OpenTelemetry resource info. */
export const TARGET_INFO = 'target_info';

/** What one metric name says about the golden signals. */
export interface NameClass {
  requests: boolean;
  errors: boolean;
  latency: boolean;
  targetInfo: boolean;
}

function compileAll(patterns: string[]): AnchoredRegex[] {
  return patterns.map(p => {
    const re = compileAnchored(p);
    if (!re) throw new Error(`invalid regex '${p}'`);
    return re;
  });
}

function promqlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Classifies metric names and writes the batched presence queries. */
export class GoldenSignalMatcher {
  private readonly requests: AnchoredRegex[];
  private readonly errors: AnchoredRegex[];
  private readonly latency: AnchoredRegex[];
  private readonly cache = new Map<string, NameClass>();

  constructor(readonly patterns: GoldenSignalPatterns) {
    this.requests = compileAll(patterns.requests);
    this.errors = compileAll(patterns.errors);
    this.latency = compileAll(patterns.latency);
  }

  /**
   * Which signals a metric name stands for. Names with a colon are
   * recording-rule outputs (`job:http_requests:rate5m`), not exported
   * metrics, and count for nothing.
   */
  classify(name: string): NameClass {
    let c = this.cache.get(name);
    if (!c) {
      const exported = !name.includes(':');
      c = {
        requests: exported && this.requests.some(r => r.test(name)),
        errors: exported && this.errors.some(r => r.test(name)),
        latency: exported && this.latency.some(r => r.test(name)),
        targetInfo: name === TARGET_INFO,
      };
      this.cache.set(name, c);
    }
    return c;
  }

  private alternation(patterns: string[]): string {
    return patterns.map(p => `(?:${p})`).join('|');
  }

  /** `__name__` regex for the presence query: every signal's names and target_info. */
  get nameRegex(): string {
    return this.alternation([
      ...this.patterns.requests,
      ...this.patterns.errors,
      ...this.patterns.latency,
      TARGET_INFO,
    ]);
  }

  /**
   * The presence queries for services identified by `label`: one
   * `count by (label, __name__)` over the signal names for the services'
   * values, the value regex split into chunks of at most `maxLength`
   * characters (usually one chunk). The first query also asks which request
   * counters carry a status label (`code`, `status`, …) — marked with
   * `operability_signal="errors"` — so that errors recorded as a label count
   * as the errors signal.
   */
  presenceQueries(
    label: string,
    values: string[],
    maxLength: number,
  ): string[] {
    const chunks: string[][] = [];
    let current: string[] = [];
    let length = 0;
    for (const value of [...new Set(values)].sort()) {
      const escaped = escapeRegex(value);
      if (current.length > 0 && length + escaped.length + 1 > maxLength) {
        chunks.push(current);
        current = [];
        length = 0;
      }
      current.push(escaped);
      length += escaped.length + 1;
    }
    if (current.length > 0) chunks.push(current);
    const names = promqlString(this.nameRegex);
    const requestNames = promqlString(this.alternation(this.patterns.requests));
    return chunks.map((chunk, i) => {
      const presence = `count by (${label}, __name__) ({${label}=~${promqlString(
        chunk.join('|'),
      )}, __name__=~${names}})`;
      if (i > 0 || this.patterns.errorLabels.length === 0) return presence;
      const withStatus = this.patterns.errorLabels
        .map(l => `{__name__=~${requestNames}, ${l}!=""}`)
        .join(' or ');
      return `${presence} or label_replace(count by (${label}, __name__) (${withStatus}), "${ERROR_SIGNAL_LABEL}", "errors", "", "")`;
    });
  }
}

/** The signals in the fact's order. */
export function orderedSignals(found: Set<GoldenSignal>): GoldenSignal[] {
  return (['requests', 'errors', 'latency-histogram'] as GoldenSignal[]).filter(
    s => found.has(s),
  );
}
