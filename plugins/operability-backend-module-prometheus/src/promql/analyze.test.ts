import { analyzePromql, parseNumberLiteral } from './analyze';
import { parsePrometheusDuration, unquotePromqlString } from './strings';

describe('analyzePromql', () => {
  it('collects the selecting matchers and metric names of vector and matrix selectors', () => {
    const a = analyzePromql(
      'sum(rate(http_requests_total{job="payments-api",code=~"5.."}[5m] offset 1w)) / on(job) up{job!="x", instance!~`a.*`} or up{job="payments-api"}',
    );
    expect(a.valid).toBe(true);
    expect(a.metrics).toEqual(['http_requests_total', 'up']);
    // != and !~ are left out; repeats are kept once.
    expect(a.matchers).toEqual([
      { name: 'job', op: '=', value: 'payments-api' },
      { name: 'code', op: '=~', value: '5..' },
    ]);
  });

  it('reads quoted (UTF-8) label names, __name__ matchers and escapes', () => {
    const a = analyzePromql(
      `{"service.name"="pay\\"ments", __name__="http_requests_total", job='a\\\\b', x=~"a\\\\.b"}`,
    );
    expect(a.metrics).toEqual(['http_requests_total']);
    expect(a.matchers).toEqual([
      { name: 'service.name', op: '=', value: 'pay"ments' },
      { name: '__name__', op: '=', value: 'http_requests_total' },
      { name: 'job', op: '=', value: 'a\\b' },
      { name: 'x', op: '=~', value: 'a\\.b' },
    ]);
    expect(analyzePromql('{"my.metric", job="a"}').metrics).toEqual([
      'my.metric',
    ]);
  });

  it('does not treat braces or commas inside strings as structure', () => {
    const a = analyzePromql('up{path="/a}{,b", job="x"}');
    expect(a.matchers).toEqual([
      { name: 'path', op: '=', value: '/a}{,b' },
      { name: 'job', op: '=', value: 'x' },
    ]);
  });

  it('finds selectors inside subqueries, functions and aggregations', () => {
    const a = analyzePromql(
      'max_over_time(absent(up{job="a"})[10m:1m]) or histogram_quantile(0.9, sum by (le) (rate(b_bucket{job="b"}[5m])))',
    );
    expect(a.matchers.map(m => m.value)).toEqual(['a', 'b']);
  });

  it('flags expressions that do not parse', () => {
    expect(analyzePromql('sum(rate(x[5m])) by (job').valid).toBe(false);
    expect(analyzePromql('up{job="a"').valid).toBe(false);
    expect(analyzePromql('').valid).toBe(false);
    const bad = analyzePromql('up{job="a"} >');
    expect(bad.valid).toBe(false);
    expect(bad.error!.message).toMatch(/unexpected/);
  });

  it('finds a burn factor times an error budget', () => {
    expect(analyzePromql('x > (14.4 * 0.001)').burnFactor).toEqual({
      factor: 14.4,
      budget: 0.001,
    });
    expect(analyzePromql('x > 6 * (1 - 0.999)').burnFactor).toMatchObject({
      factor: 6,
    });
    expect(analyzePromql('x >= (0.001 * 14.4) and y > 3').burnFactor).toEqual({
      factor: 14.4,
      budget: 0.001,
    });
    expect(analyzePromql('(14.4 * 0.01) < x').burnFactor).toEqual({
      factor: 14.4,
      budget: 0.01,
    });
    // Not burn rates: seconds arithmetic, a ratio of last week, a plain threshold.
    expect(
      analyzePromql('time() - max(x) > 3 * 86400').burnFactor,
    ).toBeUndefined();
    expect(
      analyzePromql('x < 0.1 * sum(y offset 1w)').burnFactor,
    ).toBeUndefined();
    expect(analyzePromql('x > 0.05').burnFactor).toBeUndefined();
    expect(
      analyzePromql('(y - time()) < 14 * 86400').burnFactor,
    ).toBeUndefined();
  });

  it('parses number literals and durations', () => {
    expect(parseNumberLiteral('1_000')).toBe(1000);
    expect(parseNumberLiteral('0x10')).toBe(16);
    expect(parseNumberLiteral('1e3')).toBe(1000);
    expect(parseNumberLiteral('Inf')).toBe(Infinity);
    expect(parseNumberLiteral('5m')).toBe(300);
  });
});

describe('PromQL strings and durations', () => {
  it('unquotes Go-style strings', () => {
    expect(unquotePromqlString('"a\\nb\\t\\"c\\\\"')).toBe('a\nb\t"c\\');
    expect(unquotePromqlString("'it\\'s'")).toBe("it's");
    expect(unquotePromqlString('`raw\\n`')).toBe('raw\\n');
    expect(unquotePromqlString('"\\x41\\u00e9\\101"')).toBe('AéA');
  });

  it('parses Prometheus durations to seconds', () => {
    expect(parsePrometheusDuration('5m')).toBe(300);
    expect(parsePrometheusDuration('1h30m')).toBe(5400);
    expect(parsePrometheusDuration('2d')).toBe(172800);
    expect(parsePrometheusDuration('1w')).toBe(604800);
    expect(parsePrometheusDuration('1y')).toBe(31536000);
    expect(parsePrometheusDuration('250ms')).toBe(0.25);
    expect(parsePrometheusDuration('0')).toBe(0);
    expect(parsePrometheusDuration('5 minutes')).toBeUndefined();
    expect(parsePrometheusDuration('m5')).toBeUndefined();
    expect(parsePrometheusDuration('')).toBeUndefined();
  });
});
