import { matcherMatches, parseMatcher, parseMatchers } from './matchers';

describe('Alertmanager matchers (0.25 syntax)', () => {
  it('parses quoted and unquoted values', () => {
    expect(parseMatcher('severity="critical"')).toMatchObject({
      name: 'severity',
      op: '=',
      value: 'critical',
    });
    expect(parseMatcher('severity = critical')).toMatchObject({
      name: 'severity',
      op: '=',
      value: 'critical',
    });
    expect(parseMatcher('env!="prod"')).toMatchObject({
      op: '!=',
      value: 'prod',
    });
    expect(parseMatcher('team=~"obs.*"')).toMatchObject({
      op: '=~',
      value: 'obs.*',
    });
    expect(parseMatcher('team!~obs.*')).toMatchObject({
      op: '!~',
      value: 'obs.*',
    });
    expect(parseMatcher('msg="say \\"hi\\"\\nbye"').value).toBe(
      'say "hi"\nbye',
    );
    expect(parseMatcher('path="a\\.b"').value).toBe('a\\.b');
    expect(parseMatcher('region=""').value).toBe('');
  });

  it('parses several matchers in one string, with braces', () => {
    expect(
      parseMatchers('{a="1", b=~"x,y", c!=3}').map(
        m => `${m.name}${m.op}${m.value}`,
      ),
    ).toEqual(['a=1', 'b=~x,y', 'c!=3']);
  });

  it('rejects bad matchers', () => {
    expect(() => parseMatcher('nooperator')).toThrow(/bad matcher format/);
    expect(() => parseMatcher('a="unterminated')).toThrow(
      /unescaped double quote/,
    );
    expect(() => parseMatcher('a="x"y"')).toThrow(/unescaped double quote/);
    expect(() => parseMatcher('a=~"(unclosed"')).toThrow(
      /invalid regular expression/,
    );
  });

  it('matches with anchoring and missing labels as ""', () => {
    expect(matcherMatches(parseMatcher('team=~"check"'), 'checkout')).toBe(
      false,
    );
    expect(matcherMatches(parseMatcher('team=~"check.*"'), 'checkout')).toBe(
      true,
    );
    expect(matcherMatches(parseMatcher('region=""'), undefined)).toBe(true);
    expect(matcherMatches(parseMatcher('env!="prod"'), undefined)).toBe(true);
    expect(matcherMatches(parseMatcher('env!~"dev|test"'), 'dev')).toBe(false);
    expect(matcherMatches(parseMatcher('env=~".*"'), undefined)).toBe(true);
  });

  it('matches catastrophic-backtracking regexes in linear time', () => {
    // 10× the 44 a's that took 18 s with RegExp.
    const m = parseMatcher('job=~"(a|aa)+b"');
    expect(matcherMatches(m, 'a'.repeat(440))).toBe(false);
    expect(matcherMatches(m, `${'a'.repeat(440)}b`)).toBe(true);
    expect(
      matcherMatches(parseMatcher('job!~"(x+x+)+y"'), 'x'.repeat(320)),
    ).toBe(true);
  });

  it('reads RE2 syntax as Alertmanager does', () => {
    const matches = (matcher: string, value: string) =>
      matcherMatches(parseMatcher(matcher), value);
    expect(matches('service=~"[[:^digit:]]+"', 'checkout')).toBe(true);
    expect(matches('service=~"[[:^digit:]]+"', 'checkout2')).toBe(false);
    expect(matches('service=~"[[:alpha:]]+"', 'checkout')).toBe(true);
    // A spurious "\p" keeps its backslash; "\\p" unescapes to \p as well.
    expect(matches('team=~"\\pL+"', 'Zürich')).toBe(true);
    expect(matches('team=~"\\pL+"', 'team-1')).toBe(false);
    expect(matches('team=~"\\\\pL+"', 'Zürich')).toBe(true);
    expect(matches('env=~"prod\\PL"', 'prod2')).toBe(true);
    expect(matches('env=~"prod\\PL"', 'prodx')).toBe(false);
    expect(matches('region=~"\\p{Greek}+"', 'αβγ')).toBe(true);
    expect(matches('severity=~"(?i)critical"', 'CRITICAL')).toBe(true);
    expect(matches('cluster=~"\\Qeu.west-1\\E"', 'eu.west-1')).toBe(true);
    expect(matches('cluster=~"\\Qeu.west-1\\E"', 'euxwest-1')).toBe(false);
  });
});
