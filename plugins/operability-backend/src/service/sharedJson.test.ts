import express from 'express';
import request from 'supertest';
import { gunzipSync } from 'zlib';
import { SharedJson, type AnswerPart } from './sharedJson';

describe('SharedJson', () => {
  const team = {
    ref: 'group:default/payments',
    title: 'Paiements – équipe ☕',
    members: Array.from({ length: 50 }, (_, i) => ({
      ref: `user:default/u${i}`,
    })),
  };
  const readiness = { score: 50, level: 'bronze', checks: [{ id: 'a.b' }] };
  const parts = (onCall: unknown): AnswerPart[] => [
    '{"entityRef":"component:default/a","owner":',
    { shared: team },
    `,"onCall":${JSON.stringify(onCall)},"readiness":`,
    { shared: readiness },
    ',"none":',
    { shared: null },
    '',
    '}',
  ];
  const expected = (onCall: unknown) => ({
    entityRef: 'component:default/a',
    owner: team,
    onCall,
    readiness,
    none: null,
  });

  it('joins the parts into the JSON of the whole, as text and as gzip', () => {
    const shared = new SharedJson();
    for (const onCall of [null, { primary: 'user:default/ada' }]) {
      expect(JSON.parse(shared.text(parts(onCall)))).toEqual(expected(onCall));
      expect(
        JSON.parse(gunzipSync(shared.gzip(parts(onCall))).toString()),
      ).toEqual(expected(onCall));
    }
  });

  it('serialises a shared value once, as it was when first asked', () => {
    const shared = new SharedJson();
    const value = { n: 1 };
    expect(shared.json(value)).toBe('{"n":1}');
    value.n = 2;
    expect(shared.json(value)).toBe('{"n":1}');
    expect(gunzipSync(shared.gzip([{ shared: value }])).toString()).toBe(
      '{"n":1}',
    );
  });

  it('sends gzip to clients that accept it, text to the others', async () => {
    const shared = new SharedJson();
    const app = express().get('/a', (req, res) =>
      shared.send(req, res, parts(null)),
    );
    // The client decompresses what it is sent: a valid gzip stream.
    const gzipped = await request(app).get('/a').set('accept-encoding', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/^application\/json/);
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(gzipped.body).toEqual(expected(null));

    const plain = await request(app)
      .get('/a')
      .set('accept-encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(expected(null));
  });
});
