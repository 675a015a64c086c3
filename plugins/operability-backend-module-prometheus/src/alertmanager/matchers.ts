import { AnchoredRegex, compileAnchored } from '../util/regex';
import type { MatchOp } from '../promql/analyze';

/** An Alertmanager label matcher. */
export interface AmMatcher {
  name: string;
  op: MatchOp;
  value: string;
  /** For `=~` and `!~`: the RE2 regex anchored as `^(?:value)$`. */
  re?: AnchoredRegex;
}

/** Renders a matcher the way amtool prints it, e.g. `severity=~"critical|page"`. */
export function formatMatcher(m: AmMatcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

const MATCHER_RE =
  /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/** Builds a matcher, compiling its regex; throws when the regex is invalid. */
export function newMatcher(
  name: string,
  op: MatchOp,
  value: string,
): AmMatcher {
  const m: AmMatcher = { name, op, value };
  if (op === '=~' || op === '!~') {
    const re = compileAnchored(value);
    if (!re)
      throw new Error(`invalid regular expression '${value}' for ${name}`);
    m.re = re;
  }
  return m;
}

/** Parses one matcher string, like Alertmanager 0.25's `labels.ParseMatcher`. */
export function parseMatcher(s: string): AmMatcher {
  const ms = MATCHER_RE.exec(s);
  if (!ms) throw new Error(`bad matcher format: ${s}`);
  let raw = ms[3];
  let expectTrailingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectTrailingQuote = true;
  }
  let value = '';
  let escaped = false;
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    const r = chars[i];
    if (escaped) {
      escaped = false;
      if (r === 'n') value += '\n';
      else if (r === '"' || r === '\\') value += r;
      else value += `\\${r}`; // a spurious escape keeps its backslash
      continue;
    }
    if (r === '\\') {
      if (i < chars.length - 1) {
        escaped = true;
        continue;
      }
      value += '\\';
    } else if (r === '"') {
      if (!expectTrailingQuote || i < chars.length - 1) {
        throw new Error(
          `matcher value contains unescaped double quote: ${ms[3]}`,
        );
      }
      expectTrailingQuote = false;
    } else {
      value += r;
    }
  }
  if (expectTrailingQuote) {
    throw new Error(`matcher value contains unescaped double quote: ${ms[3]}`);
  }
  return newMatcher(ms[1], ms[2] as MatchOp, value);
}

/**
 * Parses a matchers string that may hold several comma-separated matchers,
 * optionally in braces (`{a="b", c=~"d"}`), like `labels.ParseMatchers`.
 */
export function parseMatchers(input: string): AmMatcher[] {
  let s = input;
  if (s.startsWith('{')) s = s.slice(1);
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let insideQuotes = false;
  let escaped = false;
  for (const r of s) {
    if (r === ',' && !insideQuotes) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (r === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (r === '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += r;
  }
  if (token.trim() !== '') tokens.push(token.trim());
  return tokens.map(parseMatcher);
}

/** Whether the matcher accepts a label value (a missing label is ""). */
export function matcherMatches(
  m: AmMatcher,
  value: string | undefined,
): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return m.re!.test(v);
    case '!~':
      return !m.re!.test(v);
    default:
      return false;
  }
}
