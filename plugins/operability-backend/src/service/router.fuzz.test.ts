import { startTestBackend } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startOperabilityTestBackend } from '../__testUtils__/testBackend';

// Property: whatever a client sends in a path, a query or a body, the answer
// is never a 5xx; a 400 names the field at fault (or says what is wrong with
// the body), anything else is a success, a 404 or, for a second exemption of
// the same check, a 409 naming the check.

/**
 * Runs per property and database: 9 properties, ~900 requests, 10–20 s a
 * database on a quiet machine.
 */
const RUNS = 100;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Date-times near and far from valid: impossible days, 24:00, odd offsets. */
const dateish = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('Z', '+01:00', '-05:30', '+0530', '-23:59', '+24:00', ''),
  )
  .map(
    ([y, mo, d, h, mi, s, tz]) =>
      `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${tz}`,
  );

const validInstant = fc
  .date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map(d => d.toISOString());

/** Values a route takes: with them, the other parameters reach the database. */
const plausible = fc.oneof(
  fc.constantFrom(
    'ledger',
    'payments',
    'group:default/payments',
    'component',
    'service',
    'production',
    'on-call.schedule',
    'gold',
    'score',
    'desc',
    '2',
    '10',
    '50',
  ),
  validInstant,
);

/** Control characters, alone or in the middle of a value. */
const withControl = fc
  .tuple(
    fc.oneof(fc.constant(''), plausible),
    fc.constantFrom('\u0000', '\n', '\t', '\r', '\u001b', '\u007f', '\u0085'),
    fc.string({ maxLength: 5 }),
  )
  .map(([a, c, b]) => a + c + b);

/** Numbers in every notation and size. */
const numberish = fc.oneof(
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.double().map(String),
  fc.nat().map(String),
  fc.nat({ max: 2 ** 32 }).map(n => `0x${n.toString(16)}`),
  fc.constantFrom(
    '-1',
    '+5',
    '0b11',
    '1e1',
    '1e+25',
    ' 5',
    '5 ',
    '5.0',
    '2147483647',
    '2147483648',
    '9223372036854775808',
    '99999999999999999999',
    'NaN',
    'Infinity',
  ),
);

/** Strings a client might send, by mistake or not. */
const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: plausible },
  { weight: 2, arbitrary: withControl },
  { weight: 2, arbitrary: numberish },
  { weight: 1, arbitrary: dateish },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 600 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u202e',
      '\ud800',
      'null',
      'true',
      '[]',
      '{}',
      '__proto__',
      'constructor',
      '.',
      '..',
      '/',
      '%',
      "'",
      '\\',
      '%_',
    ),
  },
);

/** Percent-encodes every byte of the string's UTF-8 but the unreserved ones. */
function encode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map(b =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** What a parameter holds: its values are mostly near misses of that. */
type Kind = 'date' | 'number' | 'text' | 'word';
const near: Record<Kind, fc.Arbitrary<string>> = {
  date: fc.oneof({ weight: 3, arbitrary: dateish }, nasty),
  number: fc.oneof({ weight: 3, arbitrary: numberish }, nasty),
  text: fc.oneof({ weight: 3, arbitrary: withControl }, nasty),
  word: nasty,
};

/** A query value: one string, repeated keys, or qs's nested objects. */
type QueryValue = string | string[] | { [key: string]: QueryValue };
function queryValue(strings: fc.Arbitrary<string>): fc.Arbitrary<QueryValue> {
  return fc.letrec<{ value: QueryValue }>(tie => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: strings },
      {
        weight: 1,
        arbitrary: fc.array(strings, { minLength: 2, maxLength: 3 }),
      },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.stringMatching(/^[a-z0-9]{1,4}$/),
          tie('value'),
          { minKeys: 1, maxKeys: 2 },
        ),
      },
    ),
  })).value;
}

/** The key as the server reads it: a lone surrogate arrives as U+FFFD. */
const asSent = (key: string) => Buffer.from(key, 'utf8').toString('utf8');

function queryString(entries: [string, QueryValue][]): string {
  const parts: string[] = [];
  const add = (key: string, value: QueryValue) => {
    if (typeof value === 'string') {
      parts.push(`${key}=${encode(value)}`);
    } else if (Array.isArray(value)) {
      for (const v of value) parts.push(`${key}=${encode(v)}`);
    } else {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    }
  };
  for (const [key, value] of entries) add(encode(key), value);
  return parts.join('&');
}

/**
 * Some of the route's parameters, with values near what each holds, and
 * unknown ones. Mostly one parameter alone: then a bad value is not hidden
 * behind another parameter's 400, and reaches the database.
 */
function queryOf(
  known: Record<string, Kind>,
  extraKeys: fc.Arbitrary<string>[] = [],
) {
  const entry: fc.Arbitrary<[string, QueryValue]> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .constantFrom(...Object.keys(known))
        .chain(key => fc.tuple(fc.constant(key), queryValue(near[known[key]]))),
    },
    fc.tuple(
      fc.oneof(fc.stringMatching(/^[a-z]{1,6}$/), ...extraKeys),
      queryValue(nasty),
    ),
  );
  return fc.oneof(
    { weight: 2, arbitrary: entry.map(e => [e]) },
    fc.array(entry, { maxLength: 3 }),
  );
}

/** A path segment: encoded anything, a raw malformed escape, or a real name. */
const segment = fc.oneof(
  { weight: 3, arbitrary: nasty.map(encode) },
  fc.constantFrom('%', '%E0%A4%A', '%zz', '%C0%AF', '%2e%2e', '%00'),
  fc.string({ unit: 'binary', minLength: 254, maxLength: 350 }).map(encode),
  fc.constantFrom('component', 'default', 'ledger', 'paged', 'Component'),
);

const checkIds = [
  'ownership.in-system',
  'ownership.team-contact',
  'on-call.schedule',
  'documentation.runbook',
];
const future = () => new Date(Date.now() + 86_400_000).toISOString();

const bodyValue = fc.oneof(nasty, fc.jsonValue({ maxDepth: 3 }));

/** A body as sent: a content type and the raw text. */
type RawBody = { contentType: string; text: string; fields: string[] };
function bodyOf(fields: Record<string, fc.Arbitrary<unknown>>) {
  const known = Object.keys(fields);
  const object = fc
    .tuple(
      fc.record(fields, { requiredKeys: [] }),
      fc.dictionary(fc.oneof(nasty, fc.constantFrom(...known)), bodyValue, {
        maxKeys: 2,
      }),
    )
    .map(([record, extra]) => ({ ...extra, ...record }));
  const json = fc.oneof(
    { weight: 4, arbitrary: object },
    fc.jsonValue({ maxDepth: 4 }),
  );
  const text = fc.oneof(
    { weight: 5, arbitrary: json.map(v => JSON.stringify(v)) },
    fc.string({ maxLength: 50 }),
    fc.nat({ max: 3000 }).map(n => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    fc
      .integer({ min: 1, max: 3000 })
      .map(n => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.constantFrom('', '{', '{"checkId":', "{'a':1}", '{"a":1}{"b":2}', 'nul'),
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    fc.constantFrom(
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/vnd.api+json',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ),
  );
  return fc
    .tuple(contentType, text)
    .map(([ct, t]): RawBody => ({ contentType: ct, text: t, fields: known }));
}

/** The body as the server reads it, if it is JSON. */
function parsed(body: RawBody): unknown {
  try {
    return JSON.parse(body.text);
  } catch {
    return undefined;
  }
}

/** The fields a 400 may name: the route's, and those the body carries. */
function fieldsOf(body: RawBody): string[] {
  const value = parsed(body);
  return [
    ...body.fields,
    ...(value && typeof value === 'object' ? Object.keys(value) : []),
  ];
}

/** Throws, saying what was sent and answered, unless the answer is fine. */
function expectSafe(
  res: request.Response,
  fields: string[],
  allow: { decodeError?: boolean; conflict?: string } = {},
) {
  const message: string = res.body?.error?.message ?? '';
  const namesField =
    fields.some(f => message.includes(`'${f}'`)) ||
    message.startsWith('Invalid body: ');
  const fine =
    [200, 201, 202, 204, 404].includes(res.status) ||
    (res.status === 400 && namesField) ||
    (res.status === 400 &&
      allow.decodeError &&
      message.startsWith('Failed to decode param')) ||
    (res.status === 409 &&
      allow.conflict !== undefined &&
      message.includes(`'${allow.conflict}'`));
  if (!fine) {
    const sent = (res as any).req;
    throw new Error(
      `${sent?.method} ${sent?.path} answered ${res.status}: ${JSON.stringify(
        res.body,
      )} (fields ${fields.join(', ')})`,
    );
  }
}

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'router fuzzing (%s)',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let server: typeof backend.server;

    beforeAll(async () => {
      backend = await startOperabilityTestBackend(
        await databases.init(databaseId),
      );
      server = backend.server;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const api = '/api/operability/v1';
    const pathParams = ['kind', 'namespace', 'name'];
    const entity = fc.constantFrom('ledger', 'paged');
    // A request that hangs fails its run, saying which it was.
    const answer = (test: request.Test) => test.timeout(10_000);
    const params = { numRuns: RUNS };

    it('entity path parameters', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(segment, segment, segment),
          segment,
          fc.constantFrom('', '/on-call', '/on-call/shifts', '/history'),
          fc.constantFrom('get', 'delete', 'getExemptions'),
          async ([kind, namespace, name], id, suffix, method) => {
            const path = `${api}/entities/${kind}/${namespace}/${name}`;
            const res = await answer(
              {
                get: () => request(server).get(path + suffix),
                delete: () =>
                  request(server).delete(`${path}/exemptions/${id}`),
                getExemptions: () => request(server).get(`${path}/exemptions`),
              }[method](),
            );
            expectSafe(res, [...pathParams, 'id'], { decodeError: true });
          },
        ),
        params,
      );
    });

    it('exemption ids', async () => {
      await fc.assert(
        fc.asyncProperty(entity, segment, async (name, id) => {
          const res = await answer(
            request(server).delete(
              `${api}/entities/component/default/${name}/exemptions/${id}`,
            ),
          );
          expectSafe(res, ['id'], { decodeError: true });
        }),
        params,
      );
    });

    it.each<[string, Record<string, Kind>]>([
      ['on-call', { at: 'date' }],
      ['on-call/shifts', { from: 'date', count: 'number' }],
      ['history', { from: 'date', to: 'date' }],
    ])('the query of %s', async (route, known) => {
      await fc.assert(
        fc.asyncProperty(entity, queryOf(known), async (name, entries) => {
          const res = await answer(
            request(server).get(
              `${api}/entities/component/default/${name}/${route}?${queryString(
                entries,
              )}`,
            ),
          );
          expectSafe(res, [
            ...Object.keys(known),
            ...entries.map(([k]) => asSent(k)),
          ]);
        }),
        params,
      );
    });

    it('the query of scorecards', async () => {
      const known: Record<string, Kind> = {
        owner: 'text',
        level: 'word',
        kind: 'text',
        type: 'text',
        lifecycle: 'text',
        q: 'text',
        sort: 'word',
        order: 'word',
        failing: 'text',
        limit: 'number',
        cursor: 'number',
      };
      await fc.assert(
        fc.asyncProperty(queryOf(known), async entries => {
          const res = await answer(
            request(server).get(`${api}/scorecards?${queryString(entries)}`),
          );
          expectSafe(
            res,
            entries.map(([k]) => asSent(k)),
          );
        }),
        params,
      );
    });

    it('the query of who-owns', async () => {
      const label = fc.oneof(
        fc.constantFrom('label.job', 'label.service', 'label.alertname'),
        // Brackets left out: qs reads them as nesting, so the key the server
        // sees (and names) is not the one sent.
        nasty.map(n => `label.${n.replace(/[[\]]/g, '')}`),
      );
      await fc.assert(
        fc.asyncProperty(
          queryOf({ q: 'text', limit: 'number' }, [label]),
          async entries => {
            const res = await answer(
              request(server).get(`${api}/who-owns?${queryString(entries)}`),
            );
            expectSafe(res, ['q', ...entries.map(([k]) => asSent(k))]);
          },
        ),
        params,
      );
    });

    it('the body of a new exemption', async () => {
      await fc.assert(
        fc.asyncProperty(
          entity,
          bodyOf({
            checkId: fc.oneof(fc.constantFrom(...checkIds), bodyValue),
            reason: fc.oneof(fc.constant('being moved'), bodyValue),
            expiresAt: fc.oneof(fc.constant(future()), dateish, bodyValue),
          }),
          async (name, body) => {
            const res = await answer(
              request(server)
                .post(`${api}/entities/component/default/${name}/exemptions`)
                .set('Content-Type', body.contentType)
                .send(body.text),
            );
            const checkId = (parsed(body) as { checkId?: unknown } | null)
              ?.checkId;
            expectSafe(res, fieldsOf(body), {
              conflict: typeof checkId === 'string' ? checkId : undefined,
            });
          },
        ),
        params,
      );
    });

    it('the body of a refresh', async () => {
      await fc.assert(
        fc.asyncProperty(
          bodyOf({
            entityRef: fc.oneof(
              fc.constantFrom(
                'component:default/ledger',
                'component:ledger',
                'component:default/nope',
              ),
              bodyValue,
            ),
          }),
          async body => {
            const res = await answer(
              request(server)
                .post(`${api}/refresh`)
                .set('Content-Type', body.contentType)
                .send(body.text),
            );
            expectSafe(res, fieldsOf(body));
          },
        ),
        params,
      );
    });
  },
);
