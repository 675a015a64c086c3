import {
  fetchJson,
  HttpSourceOptions,
  redactUrl,
  SourceError,
} from '../util/http';
import type { JsonPathHandler } from '../util/jsonStream';

/** One active scrape target, as much of it as the module uses. */
export interface PrometheusTarget {
  labels: Record<string, string>;
  health: string;
  scrapeUrl: string;
  lastError: string;
}

/** One rule as `/api/v1/rules` lists it. */
export interface PrometheusApiRule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  /** `for`, in seconds. */
  duration?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** One rule group as `/api/v1/rules` lists it. */
export interface PrometheusApiRuleGroup {
  name: string;
  file: string;
  rules: PrometheusApiRule[];
}

/** One sample of an instant-vector query result. */
export interface PrometheusSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One series of a range-query result: its labels and `[unix seconds, value]` samples. */
export interface PrometheusSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Settings of one Prometheus instance. */
export interface PrometheusClientOptions {
  name: string;
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every(x => typeof x === 'string')
  );
}

/**
 * A client for the Prometheus HTTP API v1 on Node's fetch. Large answers
 * (targets, rules, query results) are streamed: each element is handed to the
 * callback as it is parsed. Every failure — timeout, refused connection, 5xx,
 * `status: "error"`, warnings (a partial answer), malformed or truncated JSON,
 * a missing `data` field — throws a SourceError naming the instance.
 */
export class PrometheusClient {
  readonly name: string;
  readonly url: string;
  private readonly source: HttpSourceOptions;

  constructor(options: PrometheusClientOptions) {
    this.name = options.name;
    this.url = options.url.replace(/\/+$/, '');
    this.source = {
      label: `Prometheus '${options.name}'`,
      baseUrl: this.url,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      fetchImpl: options.fetchImpl,
    };
  }

  /** The URL shown as the source of facts (no credentials). */
  get displayUrl(): string {
    return redactUrl(this.url);
  }

  private async call(
    path: string,
    dataPath: string[],
    handlers: JsonPathHandler[],
    init?: { method?: 'GET' | 'POST'; form?: Record<string, string> },
  ): Promise<void> {
    const envelope: {
      status?: unknown;
      error?: unknown;
      errorType?: unknown;
      warnings?: unknown;
    } = {};
    const extractor = await fetchJson(
      this.source,
      path,
      [
        ...handlers,
        { path: ['status'], onValue: v => (envelope.status = v) },
        { path: ['error'], onValue: v => (envelope.error = v) },
        { path: ['errorType'], onValue: v => (envelope.errorType = v) },
        { path: ['warnings'], onValue: v => (envelope.warnings = v) },
      ],
      init,
    );
    const where = `${this.source.label} (${this.displayUrl}): ${
      init?.method ?? 'GET'
    } ${path.split('?')[0]}`;
    if (envelope.status !== 'success') {
      throw new SourceError(
        `${where} failed: status ${JSON.stringify(envelope.status ?? null)}${
          envelope.error
            ? ` ${envelope.errorType ?? 'error'}: ${envelope.error}`
            : ''
        }`,
      );
    }
    if (Array.isArray(envelope.warnings) && envelope.warnings.length > 0) {
      throw new SourceError(
        `${where} returned a partial answer with warnings: ${envelope.warnings.join(
          '; ',
        )}`,
      );
    }
    if (!extractor.saw(dataPath)) {
      throw new SourceError(`${where} returned no ${dataPath.join('.')}`);
    }
  }

  /**
   * Streams every active target (`/api/v1/targets?state=active`); returns
   * how many. Only `labels`, `health`, `scrapeUrl` and `lastError` of each
   * target are parsed (discovered labels are skipped).
   */
  async forEachTarget(
    onTarget: (target: PrometheusTarget) => void,
  ): Promise<number> {
    let count = 0;
    const T = ['data', 'activeTargets', '*'];
    let cur: Partial<Record<keyof PrometheusTarget, unknown>> = {};
    await this.call(
      '/api/v1/targets?state=active',
      ['data', 'activeTargets'],
      [
        { path: [...T, 'labels'], onValue: v => (cur.labels = v) },
        { path: [...T, 'health'], onValue: v => (cur.health = v) },
        { path: [...T, 'scrapeUrl'], onValue: v => (cur.scrapeUrl = v) },
        { path: [...T, 'lastError'], onValue: v => (cur.lastError = v) },
        {
          path: T,
          onEnd: () => {
            const t = cur;
            cur = {};
            if (!isStringRecord(t.labels) || typeof t.health !== 'string') {
              throw new SourceError(
                `${this.source.label}: a target without labels or health in /api/v1/targets`,
              );
            }
            count++;
            onTarget({
              labels: t.labels,
              health: t.health,
              scrapeUrl: typeof t.scrapeUrl === 'string' ? t.scrapeUrl : '',
              lastError: typeof t.lastError === 'string' ? t.lastError : '',
            });
          },
        },
      ],
    );
    return count;
  }

  /**
   * Streams every alerting-rule group (`/api/v1/rules?type=alert`); returns
   * how many groups. Only the fields the module uses are parsed (a rule's
   * active alerts, health and timings are skipped).
   */
  async forEachRuleGroup(
    onGroup: (group: PrometheusApiRuleGroup) => void,
  ): Promise<number> {
    let count = 0;
    const G = ['data', 'groups', '*'];
    const R = [...G, 'rules', '*'];
    let group: Record<string, unknown> = {};
    let rules: PrometheusApiRule[] = [];
    let rule: Record<string, unknown> = {};
    const ruleField = (key: string) => ({
      path: [...R, key],
      onValue: (v: unknown) => {
        rule[key] = v;
      },
    });
    await this.call(
      '/api/v1/rules?type=alert',
      ['data', 'groups'],
      [
        { path: [...G, 'name'], onValue: v => (group.name = v) },
        { path: [...G, 'file'], onValue: v => (group.file = v) },
        ruleField('type'),
        ruleField('name'),
        ruleField('query'),
        ruleField('duration'),
        ruleField('labels'),
        ruleField('annotations'),
        {
          path: R,
          onEnd: () => {
            const r = rule;
            rule = {};
            if (typeof r.name !== 'string' || typeof r.query !== 'string') {
              throw new SourceError(
                `${this.source.label}: a rule without name or query in /api/v1/rules`,
              );
            }
            rules.push({
              type: r.type === 'recording' ? 'recording' : 'alerting',
              name: r.name,
              query: r.query,
              duration: typeof r.duration === 'number' ? r.duration : undefined,
              labels: isStringRecord(r.labels) ? r.labels : undefined,
              annotations: isStringRecord(r.annotations)
                ? r.annotations
                : undefined,
            });
          },
        },
        {
          path: G,
          onEnd: () => {
            const g = group;
            const list = rules;
            group = {};
            rules = [];
            if (typeof g.name !== 'string') {
              throw new SourceError(
                `${this.source.label}: a rule group without name in /api/v1/rules`,
              );
            }
            count++;
            onGroup({
              name: g.name,
              file: typeof g.file === 'string' ? g.file : '',
              rules: list,
            });
          },
        },
      ],
    );
    return count;
  }

  /**
   * Runs a range query (POST /api/v1/query_range) and streams its series,
   * each with its `[unix seconds, value]` samples. The caller keeps
   * `(end - start) / step` under Prometheus's 11,000 points per series.
   */
  async queryRange(
    expr: string,
    range: { start: number; end: number; step: number },
    onSeries: (series: PrometheusSeries) => void,
  ): Promise<void> {
    let resultType: unknown;
    await this.call(
      '/api/v1/query_range',
      ['data', 'result'],
      [
        { path: ['data', 'resultType'], onValue: v => (resultType = v) },
        {
          path: ['data', 'result', '*'],
          onValue: v => {
            const s = v as Partial<PrometheusSeries>;
            if (!s || !isStringRecord(s.metric) || !Array.isArray(s.values)) {
              throw new SourceError(
                `${this.source.label}: a range query series without metric or values`,
              );
            }
            onSeries(s as PrometheusSeries);
          },
        },
      ],
      {
        method: 'POST',
        form: {
          query: expr,
          start: String(range.start),
          end: String(range.end),
          step: String(range.step),
        },
      },
    );
    if (resultType !== 'matrix') {
      throw new SourceError(
        `${this.source.label}: range query returned ${JSON.stringify(
          resultType,
        )}, expected a matrix`,
      );
    }
  }

  /** Runs an instant query (POST /api/v1/query) and streams its vector samples. */
  async query(
    expr: string,
    onSample: (sample: PrometheusSample) => void,
  ): Promise<void> {
    let resultType: unknown;
    await this.call(
      '/api/v1/query',
      ['data', 'result'],
      [
        { path: ['data', 'resultType'], onValue: v => (resultType = v) },
        {
          path: ['data', 'result', '*'],
          onValue: v => {
            const s = v as Partial<PrometheusSample>;
            if (!s || !isStringRecord(s.metric) || !Array.isArray(s.value)) {
              throw new SourceError(
                `${this.source.label}: a query sample without metric or value`,
              );
            }
            onSample(s as PrometheusSample);
          },
        },
      ],
      { method: 'POST', form: { query: expr } },
    );
    if (resultType !== 'vector') {
      throw new SourceError(
        `${this.source.label}: query returned ${JSON.stringify(
          resultType,
        )}, expected a vector`,
      );
    }
  }
}
