/**
 * A streaming extractor for large JSON answers (100,000 scrape targets,
 * 50,000 rules): it scans the bytes as they arrive and hands over only the
 * values at chosen paths, each decoded and parsed on its own with
 * JSON.parse, so the whole document is never held as one string or one
 * object tree, and the parts nobody needs (a target's discovered labels, a
 * rule's active alerts) are skipped without even being decoded. (Structural
 * characters are ASCII, so UTF-8 multi-byte sequences never look like them.)
 *
 * Paths are lists of object keys, with `*` for any array element or object
 * member, e.g. `['data', 'activeTargets', '*', 'labels']`. A handler with
 * `onValue` receives the parsed value at its path; a handler with only
 * `onEnd` is told when the container at its path closes (to assemble the
 * fields of one element). Containers on the way to a path are walked;
 * everything else is skipped (its brackets and strings are still
 * balance-checked). The root must be an object. Malformed or truncated input
 * throws a JsonStreamError.
 */

/** One path to extract and what to do there. */
export interface JsonPathHandler {
  path: string[];
  /** Receives the parsed value at the path. */
  onValue?(value: unknown): void;
  /** Called when the container at the path closes (the path is walked, not parsed). */
  onEnd?(): void;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** The children's keys as UTF-8 bytes, to match keys without decoding them. */
  childKeys: [Buffer, TrieNode][];
  star?: TrieNode;
  onValue?: (value: unknown) => void;
  onEnd?: () => void;
  entered: boolean;
}

interface Frame {
  kind: 'object' | 'array';
  node: TrieNode;
  /** The trie node for the current key's value (objects). */
  next?: TrieNode;
  expect: 'keyOrEnd' | 'key' | 'colon' | 'value' | 'valueOrEnd' | 'commaOrEnd';
}

interface ValueState {
  onValue?: (value: unknown) => void;
  /** When the value turns out to be a container, walk it with this node. */
  navigate?: TrieNode;
  parts: Buffer[];
  started: boolean;
  kind: 'string' | 'container' | 'scalar';
  depth: number;
  inString: boolean;
  /** The previous chunk ended with an unescaped backslash inside a string. */
  escape: boolean;
  length: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isScalarEnd(c: number) {
  return (
    c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)
  );
}

/** '-', digits, and the first letters of true, false, null. */
function isScalarStart(c: number) {
  return (
    c === 0x2d ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x74 ||
    c === 0x66 ||
    c === 0x6e
  );
}

function decode(parts: Buffer[]): string {
  if (parts.length === 1) return parts[0].toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}

/** Thrown on malformed or truncated JSON. */
export class JsonStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonStreamError';
  }
}

function isWhitespace(c: number) {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function newNode(): TrieNode {
  return { children: new Map(), childKeys: [], entered: false };
}

/**
 * Finds the closing quote of a string whose content starts at `from`, or -1.
 * `escape` says whether the previous chunk ended in an unescaped backslash;
 * `state.escape` tells the same about this chunk when there is no end.
 */
function findStringEnd(
  chunk: Buffer,
  from: number,
  escape: boolean,
  state: { escape: boolean },
): number {
  let start = from;
  if (escape) {
    if (start >= chunk.length) {
      state.escape = true;
      return -1;
    }
    start++; // the escaped character
  }
  let q = chunk.indexOf(QUOTE, start);
  while (q !== -1) {
    let k = q - 1;
    while (k >= start && chunk[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q;
    q = chunk.indexOf(QUOTE, q + 1);
  }
  let k = chunk.length - 1;
  while (k >= start && chunk[k] === BACKSLASH) k--;
  state.escape = (chunk.length - 1 - k) % 2 === 1;
  return -1;
}

/** Incremental JSON scanner; see the module comment. */
export class JsonStreamExtractor {
  private readonly root = newNode();
  private readonly stack: Frame[] = [];
  private value?: ValueState;
  private key?: { parts: Buffer[]; escape: boolean };
  private readonly scratch = { escape: false };
  private bomChecked = false;
  private rootDone = false;
  private offset = 0;

  constructor(handlers: JsonPathHandler[]) {
    for (const h of handlers) {
      let node = this.root;
      for (const part of h.path) {
        if (part === '*') {
          node.star ??= newNode();
          node = node.star;
        } else {
          let child = node.children.get(part);
          if (!child) {
            child = newNode();
            node.children.set(part, child);
            node.childKeys.push([Buffer.from(part, 'utf8'), child]);
          }
          node = child;
        }
      }
      if (h.onValue) node.onValue = h.onValue;
      if (h.onEnd) node.onEnd = h.onEnd;
    }
  }

  /** Whether a container at this path (no `*`) was walked. */
  saw(path: string[]): boolean {
    let node: TrieNode | undefined = this.root;
    for (const part of path) node = node?.children.get(part);
    return node?.entered ?? false;
  }

  private fail(message: string, at: number): never {
    throw new JsonStreamError(
      `malformed JSON at offset ${this.offset + at}: ${message}`,
    );
  }

  /** Feeds the next bytes (a string is encoded as UTF-8 first). */
  write(input: Uint8Array | string): void {
    // A Buffer view (no copy): Buffer#indexOf is a fast native search.
    let chunk =
      typeof input === 'string'
        ? Buffer.from(input, 'utf8')
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (!this.bomChecked && chunk.length > 0) {
      this.bomChecked = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        this.offset += 3;
      }
    }
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.value) {
        i = this.consumeValue(chunk, i);
        continue;
      }
      if (this.key) {
        i = this.consumeKey(chunk, i);
        continue;
      }
      const c = chunk[i];
      if (isWhitespace(c)) {
        i++;
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (!top) {
        if (this.rootDone) this.fail('unexpected data after the end', i);
        if (c !== OPEN_BRACE) this.fail('expected an object', i);
        this.startValue(this.root);
        continue;
      }
      const ch = String.fromCharCode(c);
      if (top.kind === 'object') {
        switch (top.expect) {
          case 'keyOrEnd':
          case 'key':
            if (c === CLOSE_BRACE && top.expect === 'keyOrEnd') {
              this.pop();
              i++;
            } else if (c === QUOTE) {
              this.key = { parts: [], escape: false };
              i++;
            } else {
              this.fail(`expected a key, found '${ch}'`, i);
            }
            break;
          case 'colon':
            if (c !== COLON) this.fail(`expected ':', found '${ch}'`, i);
            top.expect = 'value';
            i++;
            break;
          case 'value':
            this.startValue(top.next);
            break;
          case 'commaOrEnd':
            if (c === COMMA) top.expect = 'key';
            else if (c === CLOSE_BRACE) this.pop();
            else this.fail(`expected ',' or '}', found '${ch}'`, i);
            i++;
            break;
          default:
            this.fail('bad state', i);
        }
      } else {
        switch (top.expect) {
          case 'valueOrEnd':
            if (c === CLOSE_BRACKET) {
              this.pop();
              i++;
            } else {
              this.startValue(top.node.star);
            }
            break;
          case 'value':
            this.startValue(top.node.star);
            break;
          case 'commaOrEnd':
            if (c === COMMA) top.expect = 'value';
            else if (c === CLOSE_BRACKET) this.pop();
            else this.fail(`expected ',' or ']', found '${ch}'`, i);
            i++;
            break;
          default:
            this.fail('bad state', i);
        }
      }
    }
    this.offset += n;
  }

  /** Call when the input is complete. */
  end(): void {
    if (this.value && this.value.kind === 'scalar' && this.value.started) {
      this.finishValue();
    }
    if (this.value || this.key || this.stack.length > 0 || !this.rootDone) {
      throw new JsonStreamError(
        this.rootDone || this.stack.length > 0 || this.value
          ? `truncated JSON: the answer ended after ${this.offset} characters`
          : 'empty answer',
      );
    }
  }

  private pop() {
    const frame = this.stack.pop()!;
    frame.node.onEnd?.();
    this.afterValue();
  }

  private afterValue() {
    const top = this.stack[this.stack.length - 1];
    if (top) top.expect = 'commaOrEnd';
    else this.rootDone = true;
  }

  private startValue(node: TrieNode | undefined) {
    const walk =
      node &&
      !node.onValue &&
      (node.children.size > 0 || node.star || node.onEnd);
    this.value = {
      onValue: node?.onValue,
      navigate: walk ? node : undefined,
      parts: [],
      started: false,
      kind: 'scalar',
      depth: 0,
      inString: false,
      escape: false,
      length: 0,
    };
  }

  private consumeKey(chunk: Buffer, i: number): number {
    const key = this.key!;
    const end = findStringEnd(chunk, i, key.escape, this.scratch);
    if (end === -1) {
      key.parts.push(chunk.subarray(i));
      key.escape = this.scratch.escape;
      return chunk.length;
    }
    key.parts.push(chunk.subarray(i, end));
    const top = this.stack[this.stack.length - 1];
    top.next = top.node.star;
    // Only walked objects with named children need to know the key.
    if (top.node.childKeys.length > 0) {
      const raw =
        key.parts.length === 1 ? key.parts[0] : Buffer.concat(key.parts);
      if (raw.includes(BACKSLASH)) {
        let decoded: string;
        try {
          decoded = JSON.parse(`"${raw.toString('utf8')}"`);
        } catch {
          this.fail('bad string escape in a key', end);
        }
        top.next = top.node.children.get(decoded!) ?? top.node.star;
      } else {
        for (const [bytes, child] of top.node.childKeys) {
          if (bytes.equals(raw)) {
            top.next = child;
            break;
          }
        }
      }
    }
    top.expect = 'colon';
    this.key = undefined;
    return end + 1;
  }

  private consumeValue(chunk: Buffer, i: number): number {
    const v = this.value!;
    const n = chunk.length;
    let j = i;
    if (!v.started) {
      const c = chunk[j];
      const container = c === OPEN_BRACE || c === OPEN_BRACKET;
      if (v.navigate && container) {
        const node = v.navigate;
        this.value = undefined;
        node.entered = true;
        this.stack.push({
          kind: c === OPEN_BRACE ? 'object' : 'array',
          node,
          expect: c === OPEN_BRACE ? 'keyOrEnd' : 'valueOrEnd',
        });
        return j + 1;
      }
      const ch = String.fromCharCode(c);
      if (v.navigate?.onEnd) {
        this.fail(`expected an object or array, found '${ch}'`, j);
      }
      v.started = true;
      if (c === QUOTE) {
        v.kind = 'string';
        v.inString = true;
        j++;
      } else if (container) {
        v.kind = 'container';
        v.depth = 1;
        j++;
      } else if (isScalarStart(c)) {
        v.kind = 'scalar';
      } else {
        this.fail(`expected a value, found '${ch}'`, j);
      }
    }
    while (j < n) {
      if (v.inString) {
        const end = findStringEnd(chunk, j, v.escape, this.scratch);
        if (end === -1) {
          v.escape = this.scratch.escape;
          j = n;
          break;
        }
        v.escape = false;
        v.inString = false;
        j = end + 1;
        if (v.kind === 'string') {
          if (v.onValue) v.parts.push(chunk.subarray(i, j));
          this.finishValue();
          return j;
        }
        continue;
      }
      if (v.kind === 'scalar') {
        let stop = j;
        while (stop < n && !isScalarEnd(chunk[stop])) stop++;
        v.length += stop - j;
        if (stop === n) {
          j = n;
          break;
        }
        if (v.length === 0) this.fail('expected a value', j);
        if (v.onValue) v.parts.push(chunk.subarray(i, stop));
        this.finishValue();
        return stop;
      }
      // Inside a skipped or captured container: find the next structural byte.
      for (; j < n; j++) {
        const c = chunk[j];
        if (c === QUOTE) {
          v.inString = true;
          j++;
          break;
        }
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          v.depth++;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          if (--v.depth === 0) {
            j++;
            if (v.onValue) v.parts.push(chunk.subarray(i, j));
            this.finishValue();
            return j;
          }
        }
      }
    }
    if (v.onValue) v.parts.push(chunk.subarray(i, n));
    return n;
  }

  private finishValue() {
    const v = this.value!;
    this.value = undefined;
    if (v.onValue) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(decode(v.parts));
      } catch (e) {
        throw new JsonStreamError(
          `malformed JSON: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      v.onValue(parsed);
    }
    this.afterValue();
  }
}

/** Feeds a web ReadableStream of bytes into an extractor. */
export async function extractJson(
  body: ReadableStream<Uint8Array>,
  handlers: JsonPathHandler[],
): Promise<JsonStreamExtractor> {
  const extractor = new JsonStreamExtractor(handlers);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      extractor.write(value);
    }
    extractor.end();
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  return extractor;
}
