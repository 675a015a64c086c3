import { RE2JS } from 're2js';

/**
 * Go RE2 regular expressions, as Prometheus and Alertmanager use them in
 * label matchers, run with RE2 semantics by re2js (a port of RE2): matching
 * takes time linear in the input whatever the pattern, so a regex from
 * someone else's rule file or routing tree cannot stall the backend, and
 * RE2-only syntax (`[[:^digit:]]`, `\pL`, `\p{Greek}`, `(?i)`, `\Q…\E`) means
 * what it means to the servers.
 */

/** An RE2 regex anchored the Prometheus/Alertmanager way. */
export interface AnchoredRegex {
  /** Whether the regex matches all of `value`. */
  test(value: string): boolean;
}

const ESCAPE_RE = /[.*+?^${}()|[\]\\]/g;

/** Escapes a literal string for use inside a regular expression (RE2 and JS alike). */
export function escapeRegex(literal: string): string {
  return literal.replace(ESCAPE_RE, '\\$&');
}

const cache = new Map<string, AnchoredRegex | null>();
const CACHE_LIMIT = 10_000;

/**
 * Compiles an RE2 pattern anchored as both servers compile it, the string
 * `^(?:re)$` with Go's default (Perl) flags; compiled once per distinct
 * pattern (the last 10,000 are kept). Returns undefined when RE2 rejects it.
 */
export function compileAnchored(pattern: string): AnchoredRegex | undefined {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit ?? undefined;
  let compiled: AnchoredRegex | null;
  try {
    // Searched like Go's MatchString; the anchors make that a whole-value match.
    compiled = RE2JS.compile(`^(?:${pattern})$`);
  } catch {
    compiled = null; // a syntax error, or nesting or repetition past RE2's limits
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
      // An escaped ASCII punctuation character is a literal; \d, \pL, \Q...
      // are not, and RE2 rejects an escaped non-ASCII character.
      if (next === undefined || next > '\x7f' || /[A-Za-z0-9]/.test(next))
        return undefined;
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
