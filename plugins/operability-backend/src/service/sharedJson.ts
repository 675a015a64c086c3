import type express from 'express';
import * as zlib from 'zlib';

/**
 * JSON answers assembled from parts, some of them shared between requests
 * (a scorecards page, an entity's readiness, a team's members), each shared
 * part serialised and compressed once.
 *
 * A gzip answer is built from raw deflate segments: each part is compressed
 * on its own and ends with a sync flush (byte-aligned, not final), which lets
 * compressed parts follow one another; an empty final block, the CRC-32 and
 * the length close it. What a client decompresses is the parts' text, one
 * after the other. The framework's compression middleware leaves an answer
 * that says its encoding alone.
 */

/** A part shared between answers: its text, and its compressed form once asked. */
interface SharedPart {
  text: string;
  bytes: Buffer;
  deflated?: Buffer;
  /** The whole answer when this part is all of it. */
  gzip?: Buffer;
}

/** Parts are compressed fast: the answers are small and asked often. */
const DEFLATE_OPTIONS: zlib.ZlibOptions = {
  level: 1,
  finishFlush: zlib.constants.Z_SYNC_FLUSH,
};
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
/** A final, empty block (fixed Huffman, end of block). */
const FINAL_BLOCK = Buffer.from([3, 0]);
/** Below this, an answer is sent as it is. */
const MIN_GZIP_BYTES = 1024;

const canGzipParts = typeof zlib.crc32 === 'function';

/** A part of an answer: text of this answer only, or a shared value's JSON. */
export type AnswerPart = string | { shared: object | null };

export class SharedJson {
  private readonly parts = new WeakMap<object, SharedPart>();

  /** The JSON of a shared value, serialised once. */
  json(value: object | null): string {
    return value === null ? 'null' : this.part(value).text;
  }

  private part(value: object): SharedPart {
    let part = this.parts.get(value);
    if (!part) {
      const text = JSON.stringify(value);
      part = { text, bytes: Buffer.from(text) };
      this.parts.set(value, part);
    }
    return part;
  }

  /** The answer's parts, in order, as one text. */
  text(parts: AnswerPart[]): string {
    return parts
      .map(p => (typeof p === 'string' ? p : this.json(p.shared)))
      .join('');
  }

  /** The answer's parts as one gzip stream (see the top of this file). */
  gzip(parts: AnswerPart[]): Buffer {
    const only = parts.length === 1 ? parts[0] : undefined;
    if (typeof only === 'object' && only.shared !== null) {
      const part = this.part(only.shared);
      part.gzip ??= this.gzipParts(parts);
      return part.gzip;
    }
    return this.gzipParts(parts);
  }

  private gzipParts(parts: AnswerPart[]): Buffer {
    const out: Buffer[] = [GZIP_HEADER];
    let crc = 0;
    let length = 0;
    for (const p of parts) {
      // Empty parts add nothing (and Node's crc32 of an empty buffer that
      // went through deflate answers 0, not the CRC it was given).
      if (p === '') continue;
      let bytes: Buffer;
      let deflated: Buffer;
      if (typeof p === 'string') {
        bytes = Buffer.from(p);
        crc = zlib.crc32(bytes, crc);
        deflated = zlib.deflateRawSync(bytes, DEFLATE_OPTIONS);
      } else if (p.shared === null) {
        bytes = Buffer.from('null');
        crc = zlib.crc32(bytes, crc);
        deflated = zlib.deflateRawSync(bytes, DEFLATE_OPTIONS);
      } else {
        const part = this.part(p.shared);
        bytes = part.bytes;
        crc = zlib.crc32(bytes, crc);
        part.deflated ??= zlib.deflateRawSync(part.bytes, DEFLATE_OPTIONS);
        deflated = part.deflated;
      }
      length += bytes.length;
      out.push(deflated);
    }
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(crc >>> 0, 0);
    trailer.writeUInt32LE(length >>> 0, 4);
    out.push(FINAL_BLOCK, trailer);
    return Buffer.concat(out);
  }

  /**
   * Sends the answer as JSON: gzip-encoded from the parts when the client
   * accepts gzip and the answer is not tiny, else as text.
   */
  send(req: express.Request, res: express.Response, parts: AnswerPart[]) {
    res.type('application/json');
    res.vary('Accept-Encoding');
    let length = 0;
    for (const p of parts) {
      length += typeof p === 'string' ? p.length : this.json(p.shared).length;
    }
    if (
      canGzipParts &&
      length >= MIN_GZIP_BYTES &&
      req.acceptsEncodings('gzip', 'identity') === 'gzip'
    ) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(this.gzip(parts));
      return;
    }
    res.send(this.text(parts));
  }
}
