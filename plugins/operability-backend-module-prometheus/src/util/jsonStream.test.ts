import { JsonStreamExtractor } from './jsonStream';

function extract(chunks: (string | Uint8Array)[], paths: string[][]) {
  const found: Record<string, unknown[]> = {};
  const ex = new JsonStreamExtractor(
    paths.map(path => ({
      path,
      onValue: v => {
        (found[path.join('.')] ??= []).push(v);
      },
    })),
  );
  for (const c of chunks) ex.write(c);
  ex.end();
  return { found, ex };
}

const DOC = {
  status: 'success',
  data: {
    activeTargets: [
      {
        labels: { job: 'a', 'x"y': '}]\\' },
        health: 'up',
        n: -1.5e3,
        ok: true,
        none: null,
      },
      {
        labels: { job: 'b' },
        health: 'down',
        nested: [[{}], []],
        s: 'é ☃ \u2028',
      },
    ],
    droppedTargets: [{ discoveredLabels: { a: '{[' } }],
  },
  warnings: ['w'],
};

describe('JsonStreamExtractor', () => {
  const text = JSON.stringify(DOC, null, 1);
  const paths = [['status'], ['warnings'], ['data', 'activeTargets', '*']];

  it('extracts values at paths, skipping the rest', () => {
    const { found, ex } = extract([text], paths);
    expect(found.status).toEqual(['success']);
    expect(found.warnings).toEqual([['w']]);
    expect(found['data.activeTargets.*']).toEqual(DOC.data.activeTargets);
    expect(ex.saw(['data', 'activeTargets'])).toBe(true);
    expect(ex.saw(['data', 'droppedTargets'])).toBe(false);
  });

  it('gives the same result whatever the chunk boundaries (bytes)', () => {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i <= bytes.length; i++) {
      const { found } = extract(
        [bytes.subarray(0, i), bytes.subarray(i)],
        paths,
      );
      expect(found['data.activeTargets.*']).toEqual(DOC.data.activeTargets);
      expect(found.status).toEqual(['success']);
    }
    const single = [...bytes].map(b => Uint8Array.of(b));
    expect(extract(single, paths).found['data.activeTargets.*']).toEqual(
      DOC.data.activeTargets,
    );
  });

  it('walks elements field by field and reports their end', () => {
    const got: unknown[] = [];
    let cur: Record<string, unknown> = {};
    const ex = new JsonStreamExtractor([
      {
        path: ['data', 'activeTargets', '*', 'labels'],
        onValue: v => (cur.labels = v),
      },
      {
        path: ['data', 'activeTargets', '*', 'health'],
        onValue: v => (cur.health = v),
      },
      {
        path: ['data', 'activeTargets', '*'],
        onEnd: () => {
          got.push(cur);
          cur = {};
        },
      },
    ]);
    for (let i = 0; i < text.length; i += 5) ex.write(text.slice(i, i + 5));
    ex.end();
    expect(got).toEqual(
      DOC.data.activeTargets.map(t => ({ labels: t.labels, health: t.health })),
    );
    const bad = new JsonStreamExtractor([
      { path: ['a', '*'], onEnd: () => {} },
    ]);
    expect(() => bad.write('{"a":[1]}')).toThrow(
      /expected an object or array, found '1'/,
    );
  });

  it('rejects malformed and truncated input', () => {
    expect(() => extract(['[1,2]'], paths)).toThrow(/expected an object/);
    expect(() => extract(['{"a" 1}'], paths)).toThrow(/expected ':'/);
    expect(() => extract(['{"a":1 "b":2}'], paths)).toThrow(
      /expected ',' or '}'/,
    );
    expect(() => extract(['{"status":}'], paths)).toThrow(/expected a value/);
    expect(() => extract(['{"a":x}'], paths)).toThrow(
      /expected a value, found 'x'/,
    );
    expect(() =>
      extract(['{"data":{"activeTargets":[{"a":1,}]}}'], paths),
    ).toThrow(/malformed JSON/);
    expect(() => extract(['{"data":{"activeTargets":[{"a":1}'], paths)).toThrow(
      /truncated JSON/,
    );
    expect(() => extract(['{} {}'], paths)).toThrow(/after the end/);
    expect(() => extract([''], paths)).toThrow(/empty answer/);
  });
});
