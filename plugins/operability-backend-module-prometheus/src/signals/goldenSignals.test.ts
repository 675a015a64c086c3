import { compileAnchored } from '../util/regex';
import {
  DEFAULT_GOLDEN_SIGNALS,
  GoldenSignalMatcher,
  orderedSignals,
} from './goldenSignals';

const matcher = new GoldenSignalMatcher(DEFAULT_GOLDEN_SIGNALS);

describe('golden signals', () => {
  it.each([
    ['http_requests_total', 'requests'],
    ['http_server_requests_seconds_count', 'requests'],
    ['http_server_request_duration_seconds_count', 'requests'],
    ['http_server_duration_milliseconds_count', 'requests'],
    ['grpc_server_handled_total', 'requests+errors'],
    ['http_request_errors_total', 'errors'],
    ['http_request_duration_seconds_bucket', 'latency'],
    ['http_server_requests_seconds_bucket', 'latency'],
    ['http_server_request_duration_seconds_bucket', 'latency'],
    ['http_server_request_duration_bucket', 'latency'],
    ['http_server_duration_milliseconds_bucket', 'latency'],
    ['grpc_server_handling_seconds_bucket', 'latency'],
    ['http_client_request_duration_bucket', ''],
    ['job:http_requests_total:rate5m', ''],
    ['process_cpu_seconds_total', ''],
  ])('classifies %s as %s', (name, expected) => {
    const c = matcher.classify(name);
    const got = [
      c.requests && 'requests',
      c.errors && 'errors',
      c.latency && 'latency',
    ]
      .filter(Boolean)
      .join('+');
    expect(got).toBe(expected);
  });

  it('recognises target_info', () => {
    expect(matcher.classify('target_info').targetInfo).toBe(true);
  });

  it('is extendable with names and regexes', () => {
    const custom = new GoldenSignalMatcher({
      ...DEFAULT_GOLDEN_SIGNALS,
      requests: [
        ...DEFAULT_GOLDEN_SIGNALS.requests,
        'myapp_hits_total',
        'legacy_.*_calls',
      ],
    });
    expect(custom.classify('myapp_hits_total').requests).toBe(true);
    expect(custom.classify('legacy_billing_calls').requests).toBe(true);
    expect(compileAnchored(custom.nameRegex)!.test('legacy_x_calls')).toBe(
      true,
    );
  });

  it('writes one presence query per label, with escaped values', () => {
    const [q, ...rest] = matcher.presenceQueries(
      'job',
      ['b', 'a.b', 'a', 'a'],
      1 << 16,
    );
    expect(rest).toEqual([]);
    expect(q).toMatch(
      /^count by \(job, __name__\) \(\{job=~"a\|a\\\\.b\|b", __name__=~"/,
    );
    expect(q).toContain('target_info');
    expect(q).toContain(
      `or label_replace(count by (job, __name__) ({__name__=~"`,
    );
    expect(q).toContain(', code!=""} or {__name__=~');
    expect(q).toMatch(/"operability_signal", "errors", "", ""\)$/);
  });

  it('splits the value regex only when it gets long', () => {
    const values = Array.from(
      { length: 1000 },
      (_, i) => `service-number-${i}`,
    );
    expect(matcher.presenceQueries('job', values, 256 * 1024)).toHaveLength(1);
    const split = matcher.presenceQueries('job', values, 4096);
    expect(split.length).toBeGreaterThan(4);
    // every value is in exactly one query; only the first asks for status labels
    const all = split.join('\n');
    expect(
      values.every(v => all.includes(`${v}|`) || all.includes(`${v}"`)),
    ).toBe(true);
    expect(split.filter(q => q.includes('label_replace'))).toHaveLength(1);
  });

  it('orders signals', () => {
    expect(
      orderedSignals(new Set(['latency-histogram', 'requests'] as const)),
    ).toEqual(['requests', 'latency-histogram']);
  });
});
