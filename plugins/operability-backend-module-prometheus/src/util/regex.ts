/**
 * Go RE2 regular expressions (as Prometheus and Alertmanager use them) run
 * with JavaScript's RegExp.
 *
 * Both Prometheus label matchers and Alertmanager matchers anchor their
 * regexes as `^(?:re)$`. RE2 is (almost) a subset of JavaScript's syntax; the
 * differences that matter for label values are translated here:
 *
 * - leading flag groups `(?i)`, `(?s)`, `(?is)` become RegExp flags;
 * - `(?P<name>` named groups become `(?<name>`;
 * - `\A` and `\z` become `^` and `$`;
 * - `\Q…\E` literal text is escaped;
 * - POSIX classes inside brackets (`[[:alpha:]]`) are expanded.
 *
 * A pattern JavaScript still rejects yields `undefined` (the caller treats the
 * matcher as matching nothing, and says so).
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const ESCAPE_RE = /[.*+?^${}()|[\]\\]/g;

/** Escapes a literal string for use inside a regular expression (RE2 and JS alike). */
export function escapeRegex(literal: string): string {
  return literal.replace(ESCAPE_RE, '\\$&');
}

/** Translates RE2 syntax to JavaScript syntax, returning the source and flags. */
export function translateRe2(pattern: string): {
  source: string;
  flags: string;
} {
  let flags = '';
  let rest = pattern;
  // Leading global flag groups, e.g. (?i) or (?is).
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(rest);
    if (!m) break;
    for (const f of m[1]) {
      if (f === 'i' && !flags.includes('i')) flags += 'i';
      if (f === 's' && !flags.includes('s')) flags += 's';
      if (f === 'm' && !flags.includes('m')) flags += 'm';
    }
    rest = rest.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === undefined) {
        out += '\\\\';
        continue;
      }
      if (!inClass && next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = end === -1 ? rest.slice(i + 2) : rest.slice(i + 2, end);
        out += escapeRegex(literal);
        i = end === -1 ? rest.length : end + 1;
        continue;
      }
      if (!inClass && next === 'A') {
        out += '^';
        i++;
        continue;
      }
      if (!inClass && next === 'z') {
        out += '$';
        i++;
        continue;
      }
      out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && rest[i + 1] === ':') {
        const end = rest.indexOf(':]', i + 2);
        if (end !== -1) {
          const name = rest.slice(i + 2, end);
          const negated = name.startsWith('^');
          const cls = POSIX_CLASSES[negated ? name.slice(1) : name];
          if (cls && !negated) {
            out += cls;
            i = end + 1;
            continue;
          }
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A leading ']' (or '^]') is a literal in RE2.
      if (rest[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (rest[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && rest.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    out += c;
  }
  return { source: out, flags };
}

const cache = new Map<string, RegExp | null>();
const CACHE_LIMIT = 10_000;

/**
 * Compiles an RE2 pattern anchored the Prometheus/Alertmanager way
 * (`^(?:re)$`). Returns undefined when the pattern is not valid in JS.
 */
export function compileAnchored(pattern: string): RegExp | undefined {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit ?? undefined;
  let compiled: RegExp | null = null;
  const { source, flags } = translateRe2(pattern);
  const anchored = `^(?:${source})$`;
  for (const f of [`${flags}u`, flags]) {
    try {
      compiled = new RegExp(anchored, f);
      break;
    } catch {
      // try the next flag set
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled ?? undefined;
}

/**
 * When a regex is a plain alternation of literals (`a|b|c-d`, `api\\.example`),
 * returns the literals, so that a lookup can replace a scan. Otherwise
 * undefined.
 */
export function literalAlternatives(pattern: string): string[] | undefined {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      // An escaped punctuation character is a literal; \d, \w, \pL... are not.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      current += next;
      i++;
    } else if (c === '|') {
      out.push(current);
      current = '';
    } else if ('.*+?^$()[]{}'.includes(c)) {
      return undefined;
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}
