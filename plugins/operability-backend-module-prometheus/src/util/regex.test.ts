import {
  compileAnchored,
  escapeRegex,
  literalAlternatives,
  translateRe2,
} from './regex';

describe('RE2 regexes in JavaScript', () => {
  it('anchors like Prometheus and Alertmanager: ^(?:re)$', () => {
    const re = compileAnchored('check')!;
    expect(re.test('check')).toBe(true);
    expect(re.test('checkout')).toBe(false);
    expect(compileAnchored('a|b')!.test('ab')).toBe(false);
    expect(compileAnchored('a|b')!.test('b')).toBe(true);
    expect(compileAnchored('5..')!.test('503')).toBe(true);
    expect(compileAnchored('5..')!.test('5030')).toBe(false);
  });

  it('translates RE2-only syntax', () => {
    expect(compileAnchored('(?i)payments')!.test('PayMents')).toBe(true);
    expect(compileAnchored('(?P<team>pay.*)')!.test('payments')).toBe(true);
    expect(compileAnchored('\\Qa.b\\E')!.test('a.b')).toBe(true);
    expect(compileAnchored('\\Qa.b\\E')!.test('axb')).toBe(false);
    expect(compileAnchored('[[:digit:]]+')!.test('123')).toBe(true);
    expect(compileAnchored('[[:alpha:]_]+')!.test('ab_c')).toBe(true);
    expect(compileAnchored('\\Aabc\\z')!.test('abc')).toBe(true);
    expect(translateRe2('(?is)x').flags).toBe('is');
  });

  it('returns undefined for a pattern JavaScript cannot compile', () => {
    expect(compileAnchored('(unclosed')).toBeUndefined();
    expect(compileAnchored('a{2,1}')).toBeUndefined();
  });

  it('escapes literals so that they match themselves only', () => {
    const literal = 'api.example.com (v1)+[x]*?';
    const re = compileAnchored(escapeRegex(literal))!;
    expect(re.test(literal)).toBe(true);
    expect(re.test('apixexample.com (v1)+[x]*?')).toBe(false);
    expect(escapeRegex('payments-api')).toBe('payments-api');
  });

  it('recognises literal alternations', () => {
    expect(literalAlternatives('a|b-c|d_e')).toEqual(['a', 'b-c', 'd_e']);
    expect(literalAlternatives('api\\.example')).toEqual(['api.example']);
    expect(literalAlternatives('a|')).toEqual(['a', '']);
    expect(literalAlternatives('a.*')).toBeUndefined();
    expect(literalAlternatives('(a|b)')).toBeUndefined();
    expect(literalAlternatives('\\d+')).toBeUndefined();
    expect(literalAlternatives('(?i)a')).toBeUndefined();
  });
});
