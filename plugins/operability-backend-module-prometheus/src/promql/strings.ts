/**
 * Decodes a PromQL string literal as the lexer keeps it (with its quotes).
 * Double- and single-quoted strings take Go escapes; backquoted strings are raw.
 */
export function unquotePromqlString(raw: string): string {
  if (raw.length < 2) return raw;
  const quote = raw[0];
  const body = raw.slice(1, raw.endsWith(quote) ? -1 : undefined);
  if (quote === '`') return body;
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x': {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      }
      case 'u': {
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      }
      case 'U': {
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      }
      default:
        if (n !== undefined && n >= '0' && n <= '7') {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else if (n !== undefined) {
          // \\ \' \" and anything else: the character itself.
          out += n;
        }
    }
  }
  return out;
}

const DURATION_RE =
  /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/**
 * Parses a Prometheus duration (`30s`, `5m`, `1h30m`, `2d`, `1w`, `1y`,
 * `250ms`, or `0`) into seconds. Returns undefined when it is not one.
 */
export function parsePrometheusDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (s === '') return undefined;
  const m = DURATION_RE.exec(s);
  if (!m) return undefined;
  const [, y, w, d, h, min, sec, ms] = m.map(v => (v ? Number(v) : 0));
  return (
    ((((y * 365 + w * 7 + d) * 24 + h) * 60 + min) * 60 + sec) * 1 + ms / 1000
  );
}
