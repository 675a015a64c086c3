import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startOperabilityTestBackend } from '../__testUtils__/testBackend';

// Each finding of the bad-input probe (issue 10): a 4xx that names the field,
// never a 5xx, on every database.

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('bad input (%s)', databaseId => {
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

  const api = '/api/operability';
  const ledger = `${api}/v1/entities/component/default/ledger`;
  const future = () => new Date(Date.now() + 86_400_000).toISOString();

  /** Status and message of an answer, to compare with `badInput`. */
  const outcome = (res: request.Response) => ({
    status: res.status,
    message: res.body?.error?.message,
  });
  /** A 400 whose message names the field. */
  const badInput = (field: string) => ({
    status: 400,
    message: expect.stringContaining(field),
  });

  describe('scorecard cursors', () => {
    it.each([
      '99999999999999999999',
      '9999999999999999999999999',
      '2147483648',
    ])(
      'refuses the out-of-range cursor %s with a 400 naming it',
      async cursor => {
        expect(
          outcome(
            await request(server).get(`${api}/v1/scorecards?cursor=${cursor}`),
          ),
        ).toEqual(badInput("'cursor'"));
      },
    );

    it.each(['1e3', '0x10', '-1', '1.0', ' 1', '', 'abc'])(
      'refuses the malformed cursor %j with a 400 naming it',
      async cursor => {
        expect(
          outcome(
            await request(server).get(`${api}/v1/scorecards`).query({ cursor }),
          ),
        ).toEqual(badInput("'cursor'"));
      },
    );

    it('answers an empty page for a cursor past the end', async () => {
      const res = await request(server).get(
        `${api}/v1/scorecards?cursor=2147483647`,
      );
      expect({ status: res.status, body: res.body }).toEqual({
        status: 200,
        body: { items: [], total: 2 },
      });
    });
  });

  describe('control characters', () => {
    it.each(['q', 'owner', 'kind', 'type', 'lifecycle', 'failing'])(
      'refuses NUL in the scorecards filter %s',
      async field => {
        expect(
          outcome(
            await request(server).get(`${api}/v1/scorecards?${field}=a%00b`),
          ),
        ).toEqual(badInput(`'${field}'`));
      },
    );

    it('refuses a line break in a filter', async () => {
      expect(
        outcome(await request(server).get(`${api}/v1/scorecards?owner=a%0Ab`)),
      ).toEqual(badInput("'owner'"));
    });

    it('refuses NUL in who-owns text and label values', async () => {
      expect(
        outcome(await request(server).get(`${api}/v1/who-owns?q=led%00ger`)),
      ).toEqual(badInput("'q'"));
      expect(
        outcome(
          await request(server).get(`${api}/v1/who-owns?label.job=led%00ger`),
        ),
      ).toEqual(badInput("'label.job'"));
    });

    it('refuses NUL in an exemption id', async () => {
      expect(
        outcome(await request(server).delete(`${ledger}/exemptions/a%00b`)),
      ).toEqual(badInput("'id'"));
    });

    it("refuses NUL in an exemption's reason, and keeps line breaks", async () => {
      expect(
        outcome(
          await request(server).post(`${ledger}/exemptions`).send({
            checkId: 'ownership.in-system',
            reason: 'being\u0000moved',
            expiresAt: future(),
          }),
        ),
      ).toEqual(badInput("'reason'"));
      const created = await request(server).post(`${ledger}/exemptions`).send({
        checkId: 'ownership.team-contact',
        reason: 'being moved:\n\tsee the ticket',
        expiresAt: future(),
      });
      expect(created.status).toBe(201);
      await request(server)
        .delete(`${ledger}/exemptions/${created.body.id}`)
        .expect(204);
    });
  });

  describe('impossible dates', () => {
    it.each([
      ['on-call', 'at', '2026-02-30T09:00:00Z'],
      ['on-call', 'at', '2026-03-02T24:00:00Z'],
      ['on-call', 'at', '2026-13-01T09:00:00Z'],
      ['on-call', 'at', '2026-03-02T09:60:00Z'],
      ['on-call', 'at', '2026-03-02T09:00:00+01:60'],
      ['on-call/shifts', 'from', '2026-02-29T09:00:00+01:00'],
      ['history', 'from', '2026-04-31T00:00:00Z'],
      ['history', 'to', '2026-06-31T00:00:00Z'],
    ])('refuses %s?%s=%s', async (route, field, value) => {
      expect(
        outcome(
          await request(server)
            .get(`${ledger}/${route}`)
            .query({ [field]: value }),
        ),
      ).toEqual(badInput(`'${field}'`));
    });

    it('accepts a leap day and an offset', async () => {
      const res = await request(server)
        .get(`${api}/v1/entities/component/default/paged/on-call`)
        .query({ at: '2028-02-29T23:30:00-05:00' });
      expect(res.status).toBe(200);
      expect(res.body.asOf).toBe('2028-03-01T04:30:00.000Z');
    });

    it('refuses an impossible expiresAt instead of storing the next month', async () => {
      const year = new Date().getUTCFullYear() + 2;
      expect(
        outcome(
          await request(server)
            .post(`${ledger}/exemptions`)
            .send({
              checkId: 'ownership.in-system',
              reason: 'being moved',
              expiresAt: `${year}-02-30T09:00:00Z`,
            }),
        ),
      ).toEqual(badInput("'expiresAt'"));
    });
  });

  describe('numbers', () => {
    it.each([
      ['on-call/shifts', 'count', '0x10'],
      ['on-call/shifts', 'count', '1e1'],
      ['on-call/shifts', 'count', ' 5'],
      ['on-call/shifts', 'count', '5.0'],
      ['on-call/shifts', 'count', '+5'],
    ])('refuses %s?%s=%j', async (route, field, value) => {
      expect(
        outcome(
          await request(server)
            .get(`${ledger}/${route}`)
            .query({ [field]: value }),
        ),
      ).toEqual(badInput(`'${field}'`));
    });

    it.each([
      ['scorecards', '0x10'],
      ['scorecards', '1e1'],
      ['who-owns?q=ledger', 'Infinity'],
      ['who-owns?q=ledger', '0b11'],
    ])('refuses %s limit=%j', async (route, value) => {
      expect(
        outcome(
          await request(server)
            .get(`${api}/v1/${route}`)
            .query({ limit: value }),
        ),
      ).toEqual(badInput("'limit'"));
    });

    it('reads plain decimal digits', async () => {
      const res = await request(server).get(
        `${ledger}/on-call/shifts?from=2026-02-25T12:00:00Z&count=02`,
      );
      expect(res.status).toBe(200);
      expect(
        res.body.shifts.filter((s: any) => s.role === 'primary'),
      ).toHaveLength(2);
    });
  });

  describe('refresh', () => {
    it.each([
      'not a ref',
      'component:',
      ':ledger',
      'component:default/',
      'a/b',
    ])('refuses the entityRef %j', async entityRef => {
      expect(
        outcome(
          await request(server).post(`${api}/v1/refresh`).send({ entityRef }),
        ),
      ).toEqual(badInput("'entityRef'"));
    });

    it.each(['component:default/ledger', 'component:ledger'])(
      'takes the entityRef %j',
      async entityRef => {
        const res = await request(server)
          .post(`${api}/v1/refresh`)
          .send({ entityRef });
        expect(res.status).not.toBe(400);
        expect(res.status).toBeLessThan(500);
      },
    );
  });

  describe('exemptions', () => {
    it('refuses a second active exemption of the same check with a 409', async () => {
      const body = {
        checkId: 'ownership.in-system',
        reason: 'being moved',
        expiresAt: future(),
      };
      const first = await request(server)
        .post(`${ledger}/exemptions`)
        .send(body);
      expect(first.status).toBe(201);
      const second = await request(server)
        .post(`${ledger}/exemptions`)
        .send({ ...body, reason: 'again' });
      expect(second.status).toBe(409);
      expect(second.body.error.name).toBe('ConflictError');
      expect(second.body.error.message).toContain("'ownership.in-system'");

      // Another check, or the same one on another entity, is no conflict.
      const other = await request(server)
        .post(`${api}/v1/entities/component/default/paged/exemptions`)
        .send(body);
      expect(other.status).toBe(201);

      // Once the first is removed, the check can be exempted again.
      await request(server)
        .delete(`${ledger}/exemptions/${first.body.id}`)
        .expect(204);
      const again = await request(server)
        .post(`${ledger}/exemptions`)
        .send(body);
      expect(again.status).toBe(201);
    });
  });

  describe('bodies', () => {
    const exemptions = `${ledger}/exemptions`;
    const refresh = `${api}/v1/refresh`;

    it.each([
      ['null', 'not null'],
      ['42', 'not a number'],
      ['"text"', 'not a string'],
      ['true', 'not a boolean'],
      ['[]', 'not an array'],
      ['[{"checkId":"x"}]', 'not an array'],
      ['{"checkId": ', 'not valid JSON'],
      ["{'checkId': 'x'}", 'not valid JSON'],
    ])('refuses the JSON body %s', async (raw, why) => {
      for (const path of [exemptions, refresh]) {
        const res = await request(server)
          .post(path)
          .set('Content-Type', 'application/json')
          .send(raw);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringMatching(new RegExp(`^Invalid body: .*${why}`)),
        });
        expect(res.body.error.name).toBe('InputError');
      }
    });

    it('refuses a body that is not JSON', async () => {
      for (const path of [exemptions, refresh]) {
        const res = await request(server)
          .post(path)
          .set('Content-Type', 'text/plain')
          .send('checkId=ownership.in-system');
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^Invalid body: .*application\/json/),
        });
      }
    });

    it('refuses a body over the limit with a 413, as the body parser does', async () => {
      const reason = 'x'.repeat(150 * 1024);
      for (const path of [exemptions, refresh]) {
        const res = await request(server)
          .post(path)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify({ checkId: 'ownership.in-system', reason }));
        expect(res.status).toBe(413);
        expect(res.body.error).toMatchObject({
          name: 'PayloadTooLargeError',
          message: expect.stringMatching(
            /^Invalid body: too large \(\d+ bytes, over the limit of 102400 bytes\)$/,
          ),
        });
      }
      // Just under the limit, the body is read and judged on its fields.
      const under = await request(server)
        .post(exemptions)
        .set('Content-Type', 'application/json')
        .send(
          JSON.stringify({
            checkId: 'ownership.in-system',
            reason: 'x'.repeat(90 * 1024),
          }),
        );
      expect(under.status).toBe(400);
      expect(under.body.error.name).toBe('InputError');
    });

    it('still takes a refresh without a body', async () => {
      const res = await request(server).post(refresh);
      expect(res.status).toBe(202);
    });
  });

  describe('path parameters', () => {
    it.each([
      ['a very long name', `component/default/${'x'.repeat(5000)}`],
      ['unicode', 'component/default/%C3%A9l%C3%A9phant'],
      ['an encoded slash', 'component/default/a%2Fb'],
      ['an encoded NUL', 'component/default/a%00b'],
      ['a malformed escape', 'component/default/a%E0%A4%A'],
      ['a lone %', 'component/default/100%'],
      ['dots', 'component/default/..'],
    ])('answers 400 or 404 for %s', async (_what, path) => {
      for (const suffix of ['', '/on-call', '/history', '/exemptions']) {
        const res = await request(server).get(
          `${api}/v1/entities/${path}${suffix}`,
        );
        expect([400, 404]).toContain(res.status);
      }
      const res = await request(server).delete(
        `${api}/v1/entities/${path}/exemptions/x`,
      );
      expect([400, 404]).toContain(res.status);
    });

    it.each([
      ['a very long id', 'x'.repeat(5000)],
      ['unicode', '%C3%A9'],
      ['an encoded slash', 'a%2Fb'],
      ['a malformed escape', '%E0%A4%A'],
    ])('answers 400 or 404 for an exemption id with %s', async (_what, id) => {
      const res = await request(server).delete(`${ledger}/exemptions/${id}`);
      expect([400, 404]).toContain(res.status);
    });
  });
});
