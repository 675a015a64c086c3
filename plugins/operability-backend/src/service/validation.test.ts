import fc from 'fast-check';
import { z } from 'zod';
import {
  exemptionBodySchema,
  exemptionIdParamsSchema,
  parseInput,
  parseIsoInstant,
  parseWhoOwnsQuery,
  refreshBodySchema,
  scorecardsQuerySchema,
  shiftsQuerySchema,
} from './validation';

function query<T extends z.ZodTypeAny>(schema: T, input: unknown) {
  return parseInput(schema, input, 'query parameter');
}

describe('parseIsoInstant', () => {
  it.each([
    ['2026-03-02T09:00:00Z', '2026-03-02T09:00:00.000Z'],
    ['2026-03-02T09:00Z', '2026-03-02T09:00:00.000Z'],
    ['2026-03-02T09:00:00.5+01:00', '2026-03-02T08:00:00.500Z'],
    ['2026-03-02T09:00:00-0530', '2026-03-02T14:30:00.000Z'],
    ['2028-02-29T23:59:59+14:00', '2028-02-29T09:59:59.000Z'],
    ['2026-12-31T23:30:00-23:59', '2027-01-01T23:29:00.000Z'],
  ])('reads %s', (input, instant) => {
    expect(parseIsoInstant(input)?.toISOString()).toBe(instant);
  });

  it.each([
    '2026-02-30T09:00:00Z',
    '2026-02-29T09:00:00Z',
    '2100-02-29T09:00:00Z',
    '2026-04-31T09:00:00Z',
    '2026-00-10T09:00:00Z',
    '2026-13-10T09:00:00Z',
    '2026-03-00T09:00:00Z',
    '2026-03-02T24:00:00Z',
    '2026-03-02T09:60:00Z',
    '2026-03-02T09:00:60Z',
    '2026-03-02T09:00:00+24:00',
    '2026-03-02T09:00:00+01:60',
    '2026-03-02T09:00:00',
    '2026-03-02',
    '2026-03-02T09:00:00.1234567890Z',
    ' 2026-03-02T09:00:00Z',
    'yesterday',
  ])('refuses %j', input => {
    expect(parseIsoInstant(input)).toBeUndefined();
  });

  it('reads back every instant written in any offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9998-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (date, offset) => {
          const wall = new Date(date.getTime() + offset * 60_000);
          const pad = (n: number, w = 2) => String(n).padStart(w, '0');
          const abs = Math.abs(offset);
          const text = `${pad(wall.getUTCFullYear(), 4)}-${pad(
            wall.getUTCMonth() + 1,
          )}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(
            wall.getUTCMinutes(),
          )}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}${
            offset < 0 ? '-' : '+'
          }${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
          expect(parseIsoInstant(text)?.getTime()).toBe(date.getTime());
        },
      ),
    );
  });

  it('never reads a day that is not in the calendar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        (year, month, day) => {
          const pad = (n: number, w = 2) => String(n).padStart(w, '0');
          const parsed = parseIsoInstant(
            `${pad(year, 4)}-${pad(month)}-${pad(day)}T12:00:00Z`,
          );
          const exists =
            month >= 1 &&
            month <= 12 &&
            day >= 1 &&
            day <= new Date(Date.UTC(2000, month, 0)).getUTCDate() &&
            (month !== 2 ||
              day < 29 ||
              (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)));
          expect(parsed !== undefined).toBe(exists);
        },
      ),
    );
  });
});

describe('numeric query parameters', () => {
  it.each([
    '0x10',
    '1e1',
    ' 5',
    '5 ',
    '+5',
    '-5',
    '5.0',
    '0b11',
    '',
    'Infinity',
  ])('refuses limit=%j', limit => {
    expect(() => query(scorecardsQuerySchema, { limit })).toThrow(
      /query parameter 'limit': must be a whole number in decimal digits/,
    );
  });

  it('reads decimal digits and keeps the bounds', () => {
    expect(query(scorecardsQuerySchema, { limit: '007' }).limit).toBe(7);
    expect(query(scorecardsQuerySchema, {}).limit).toBe(50);
    expect(query(shiftsQuerySchema, { count: '52' }).count).toBe(52);
    expect(() => query(shiftsQuerySchema, { count: '53' })).toThrow(/'count'/);
    expect(() => query(shiftsQuerySchema, { count: '0' })).toThrow(/'count'/);
    expect(() => query(shiftsQuerySchema, { count: '9'.repeat(30) })).toThrow(
      /'count'/,
    );
  });

  it('refuses a parameter given twice', () => {
    expect(() => query(shiftsQuerySchema, { count: ['1', '2'] })).toThrow(
      /'count'/,
    );
  });
});

describe('cursor', () => {
  it('is an offset, exactly', () => {
    expect(query(scorecardsQuerySchema, { cursor: '0' }).cursor).toBe(0);
    expect(query(scorecardsQuerySchema, { cursor: '50' }).cursor).toBe(50);
    expect(
      query(scorecardsQuerySchema, { cursor: String(2 ** 31 - 1) }).cursor,
    ).toBe(2 ** 31 - 1);
  });

  it.each([
    String(2 ** 31),
    '99999999999999999999',
    '9999999999999999999999999',
    '1e3',
    '-1',
    '',
  ])('refuses %j', cursor => {
    expect(() => query(scorecardsQuerySchema, { cursor })).toThrow(
      "query parameter 'cursor': must be a cursor returned by a previous page",
    );
  });
});

describe('control characters', () => {
  it.each(['owner', 'kind', 'type', 'lifecycle', 'failing', 'q'])(
    'are refused in %s',
    field => {
      for (const bad of ['a\u0000b', 'a\nb', '\t', 'a\u007fb', 'a\u0085b']) {
        expect(() => query(scorecardsQuerySchema, { [field]: bad })).toThrow(
          `query parameter '${field}': must not contain control characters`,
        );
      }
      expect(query(scorecardsQuerySchema, { [field]: 'Zürich ☕' })).toEqual(
        expect.objectContaining({ [field]: 'Zürich ☕' }),
      );
    },
  );

  it('are refused in who-owns text and label values', () => {
    expect(() => parseWhoOwnsQuery({ q: 'a\u0000' })).toThrow(/'q'/);
    expect(() => parseWhoOwnsQuery({ 'label.job': 'a\u0000' })).toThrow(
      "Invalid query parameter 'label.job': must not contain control characters",
    );
  });

  it('are refused in an exemption, but for tabs and line breaks in its reason', () => {
    const body = {
      checkId: 'ownership.in-system',
      reason: 'moving\n\tsee ticket\r\n',
      expiresAt: '2030-01-01T00:00:00Z',
    };
    expect(parseInput(exemptionBodySchema, body, 'body field').reason).toBe(
      'moving\n\tsee ticket',
    );
    expect(() =>
      parseInput(
        exemptionBodySchema,
        { ...body, reason: 'a\u0000b' },
        'body field',
      ),
    ).toThrow(/'reason'/);
    expect(() =>
      parseInput(
        exemptionBodySchema,
        { ...body, checkId: 'a\u0000b' },
        'body field',
      ),
    ).toThrow(/'checkId'/);
  });

  it('are refused in an exemption id', () => {
    const parse = (id: string) =>
      parseInput(exemptionIdParamsSchema, { id }, 'path parameter');
    expect(parse('8d5c1f0e-3b1a-4c5e-9f3a-2a7d6b1c0e9f').id).toBe(
      '8d5c1f0e-3b1a-4c5e-9f3a-2a7d6b1c0e9f',
    );
    for (const bad of ['a\u0000b', 'a/b', 'é', 'x'.repeat(65)]) {
      expect(() => parse(bad)).toThrow(/path parameter 'id'/);
    }
  });
});

describe('refresh body', () => {
  const parse = (entityRef: unknown) =>
    parseInput(refreshBodySchema, { entityRef }, 'body field');

  it.each(['component:default/ledger', 'component:ledger', 'Group:ns/a.b_c-d'])(
    'takes %j',
    ref => {
      expect(parse(ref).entityRef).toBe(ref);
    },
  );

  it.each([
    'not a ref',
    'ledger',
    'component:',
    ':ledger',
    'component:default/',
    'component:/ledger',
    'component:a/b/c',
    'component:default/led\u0000ger',
    '',
    42,
  ])('refuses %j', ref => {
    expect(() => parse(ref)).toThrow(/body field 'entityRef'/);
  });
});
