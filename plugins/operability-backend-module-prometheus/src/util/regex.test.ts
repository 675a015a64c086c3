import { compileAnchored, escapeRegex, literalAlternatives } from './regex';

const matches = (pattern: string, value: string) =>
  compileAnchored(pattern)!.test(value);

describe('RE2 regexes', () => {
  it('anchors like Prometheus and Alertmanager: ^(?:re)$', () => {
    expect(matches('check', 'check')).toBe(true);
    expect(matches('check', 'checkout')).toBe(false);
    expect(matches('a|b', 'ab')).toBe(false);
    expect(matches('a|b', 'b')).toBe(true);
    expect(matches('5..', '503')).toBe(true);
    expect(matches('5..', '5030')).toBe(false);
    // The pattern is spliced into ^(?:…)$ as the servers do, not parsed alone.
    expect(matches('a)|(b', 'ax')).toBe(true);
  });

  it('matches in linear time where backtracking takes hours', () => {
    // 10× the inputs that froze the backend for 18 s with RegExp.
    const started = Date.now();
    expect(matches('(a|aa)+b', 'a'.repeat(440))).toBe(false);
    expect(matches('(a|aa)+b', `${'a'.repeat(440)}b`)).toBe(true);
    expect(matches('(x+x+)+y', 'x'.repeat(320))).toBe(false);
    expect(matches('(x+x+)+y', `${'x'.repeat(320)}y`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000); // sanity, not a benchmark
  });

  it('reads RE2 syntax as RE2 does', () => {
    expect(matches('[[:^digit:]]+', 'api')).toBe(true);
    expect(matches('[[:^digit:]]+', 'api2')).toBe(false);
    expect(matches('[[:alpha:]]+', 'Api')).toBe(true);
    expect(matches('[[:alpha:]_]+', 'ab_c')).toBe(true);
    expect(matches('[[:alpha:]]+', 'a1')).toBe(false);
    expect(matches('[[:digit:]]+', '123')).toBe(true);
    expect(matches('\\pL+', 'Zürich')).toBe(true);
    expect(matches('\\pL+', 'zone-1')).toBe(false);
    expect(matches('\\PL', '7')).toBe(true);
    expect(matches('\\PL', 'é')).toBe(false);
    expect(matches('\\p{Greek}+', 'αβγ')).toBe(true);
    expect(matches('\\p{Greek}+', 'abc')).toBe(false);
    expect(matches('(?i)payments', 'PayMents')).toBe(true);
    expect(matches('(?i:pay)ments', 'PAYments')).toBe(true);
    expect(matches('(?i:pay)ments', 'PAYMENTS')).toBe(false);
    expect(matches('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(matches('\\Qa.b\\E', 'axb')).toBe(false);
    expect(matches('(?P<team>pay.*)', 'payments')).toBe(true);
    expect(matches('\\Aabc\\z', 'abc')).toBe(true);
    // Without (?s), . does not match a newline.
    expect(matches('a.b', 'a\nb')).toBe(false);
    expect(matches('(?s)a.b', 'a\nb')).toBe(true);
    // . is one code point, not one UTF-16 unit.
    expect(matches('x.y', 'x😀y')).toBe(true);
  });

  it('returns undefined for a pattern RE2 rejects', () => {
    expect(compileAnchored('(unclosed')).toBeUndefined();
    expect(compileAnchored('a{2,1}')).toBeUndefined();
    expect(compileAnchored('a{1001}')).toBeUndefined();
    expect(compileAnchored('(?=lookahead)')).toBeUndefined();
    expect(compileAnchored('a++')).toBeUndefined();
    expect(compileAnchored('\\8')).toBeUndefined();
  });

  it('compiles each distinct pattern once', () => {
    expect(compileAnchored('svc-0.*')).toBe(compileAnchored('svc-0.*'));
  });

  it('escapes literals so that they match themselves only', () => {
    const literal = 'api.example.com (v1)+[x]*?';
    expect(matches(escapeRegex(literal), literal)).toBe(true);
    expect(matches(escapeRegex(literal), 'apixexample.com (v1)+[x]*?')).toBe(
      false,
    );
    expect(escapeRegex('payments-api')).toBe('payments-api');
  });

  it('recognises literal alternations', () => {
    expect(literalAlternatives('a|b-c|d_e')).toEqual(['a', 'b-c', 'd_e']);
    expect(literalAlternatives('api\\.example')).toEqual(['api.example']);
    expect(literalAlternatives('a|')).toEqual(['a', '']);
    expect(literalAlternatives('a.*')).toBeUndefined();
    expect(literalAlternatives('(a|b)')).toBeUndefined();
    expect(literalAlternatives('\\d+')).toBeUndefined();
    expect(literalAlternatives('\\pL')).toBeUndefined();
    expect(literalAlternatives('\\Qa\\E')).toBeUndefined();
    expect(literalAlternatives('\\é')).toBeUndefined(); // RE2 rejects it
    expect(literalAlternatives('(?i)a')).toBeUndefined();
  });
});
