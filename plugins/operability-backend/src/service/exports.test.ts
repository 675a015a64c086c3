import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ALICE,
  GUEST,
  startCatalogPolicyBackend,
  waitFor,
  writePolicyTestCatalog,
} from '../__testUtils__/catalogPolicyBackend';

// The exports of "Exports and links" over real HTTP, on the real catalog
// under a site policy that hides the Payments team's service from the guest.

/** Parses CSV as RFC 4180 writes it (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  if (field || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** The content lines of an iCalendar file, unfolded (RFC 5545 3.1). */
function icalLines(text: string): string[] {
  expect(text.endsWith('\r\n')).toBe(true);
  for (const line of text.split('\r\n')) {
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  }
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
}

describe('exports', () => {
  const databases = createTestDatabases();
  let catalog: ReturnType<typeof writePolicyTestCatalog>;

  beforeAll(() => {
    catalog = writePolicyTestCatalog();
  });
  afterAll(() => catalog.remove());

  it.each(databases.eachSupportedId())(
    'CSV and iCalendar downloads, with the lists’ permissions and validation (%s)',
    async databaseId => {
      const backend = await startCatalogPolicyBackend({
        entitiesFile: catalog.file,
        knexFor: () => databases.init(databaseId),
      });
      const server = backend.server;
      const api = '/api/operability';
      const get = (path: string, user = ALICE) =>
        request(server)
          .get(`${api}${path}`)
          .set('Authorization', mockCredentials.user.header(user))
          .buffer(true)
          .parse((res, done) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => done(null, text));
          });
      try {
        await waitFor('both services scored, with on-call', async seen => {
          const res = await request(server)
            .get(`${api}/v1/scorecards`)
            .set('Authorization', mockCredentials.user.header(ALICE));
          seen(res.body);
          const payments = res.body.items?.find(
            (i: any) => i.entityRef === 'component:default/payments-api',
          );
          return res.body.total === 2 && payments?.onCall?.primary
            ? true
            : undefined;
        });

        // The services table, every row, as the JSON rows say.
        const csv = await get('/v1/scorecards.csv');
        expect(csv.status).toBe(200);
        expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(csv.headers['content-disposition']).toMatch(
          /^attachment; filename="scorecards-\d{4}-\d{2}-\d{2}\.csv"$/,
        );
        const json = await request(server)
          .get(`${api}/v1/scorecards`)
          .set('Authorization', mockCredentials.user.header(ALICE));
        const rows = parseCsv(csv.body);
        expect(rows[0]).toEqual([
          'entity_ref',
          'title',
          'owner',
          'on_call_primary',
          'score',
          'level',
          'failing_checks',
        ]);
        expect(rows.slice(1)).toEqual(
          json.body.items.map((item: any) => [
            item.entityRef,
            item.title ?? '',
            item.owner.ref ?? item.owner.declared ?? '',
            item.onCall?.primary?.ref ?? '',
            String(item.score),
            item.level,
            item.failedChecks.join(' '),
          ]),
        );
        expect(rows[1][3]).toBe('user:default/alice');

        // The same filters and sort as the JSON route.
        const desc = parseCsv(
          (await get('/v1/scorecards.csv?order=desc')).body,
        );
        expect(desc.slice(1).map(r => r[0])).toEqual([
          'component:default/search-api',
          'component:default/payments-api',
        ]);
        const ownedRes = await get(
          `/v1/scorecards.csv?owner=${encodeURIComponent(
            'group:default/search',
          )}`,
        );
        expect({ status: ownedRes.status, body: ownedRes.body }).toEqual({
          status: 200,
          body: expect.anything(),
        });
        const owned = parseCsv(ownedRes.body);
        expect(owned.slice(1).map(r => r[0])).toEqual([
          'component:default/search-api',
        ]);

        // What the guest may not read is not in its files.
        const guestCsv = await get('/v1/scorecards.csv', GUEST);
        expect(
          parseCsv(guestCsv.body)
            .slice(1)
            .map(r => r[0]),
        ).toEqual(['component:default/search-api']);
        expect(guestCsv.body).not.toContain('payments');
        const teams = parseCsv((await get('/v1/teams.csv')).body);
        expect(teams[0]).toEqual([
          'team',
          'title',
          'services',
          'average_score',
          'none',
          'bronze',
          'silver',
          'gold',
          'most_failed_checks',
        ]);
        const teamsJson = await request(server)
          .get(`${api}/v1/teams`)
          .set('Authorization', mockCredentials.user.header(ALICE));
        expect(teams.slice(1)).toEqual(
          teamsJson.body.items.map((t: any) => [
            t.ref,
            t.title ?? '',
            String(t.services),
            String(t.averageScore),
            String(t.levels.none),
            String(t.levels.bronze),
            String(t.levels.silver),
            String(t.levels.gold),
            t.mostFailedChecks
              .map((c: any) => `${c.id}:${c.failing}`)
              .join(' '),
          ]),
        );
        expect(teams.length).toBeGreaterThan(1);
        const guestTeams = await get('/v1/teams.csv', GUEST);
        expect(guestTeams.headers['content-disposition']).toMatch(
          /^attachment; filename="teams-[\d-]+\.csv"$/,
        );
        expect(
          parseCsv(guestTeams.body)
            .slice(1)
            .map(r => r[0]),
        ).not.toContain('group:default/payments');

        // The JSON routes' validation: a 400 that names the field.
        for (const [path, field] of [
          ['/v1/scorecards.csv?limit=5', 'limit'],
          ['/v1/scorecards.csv?cursor=5', 'cursor'],
          ['/v1/scorecards.csv?level=platinum', 'level'],
          ['/v1/scorecards.csv?sort=colour', 'sort'],
          ['/v1/teams.csv?owner=x', 'owner'],
          [
            '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=0',
            'weeks',
          ],
          [
            '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=53',
            'weeks',
          ],
          [
            '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=1e1',
            'weeks',
          ],
        ]) {
          const res = await request(server)
            .get(`${api}${path}`)
            .set('Authorization', mockCredentials.user.header(ALICE));
          expect({ path, status: res.status }).toEqual({ path, status: 400 });
          expect(res.body.error.message).toContain(`'${field}'`);
        }

        // The next shifts as iCalendar: UTC times, the schedule's zone named.
        const ics = await get(
          '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=3',
        );
        expect(ics.status).toBe(200);
        expect(ics.headers['content-type']).toBe(
          'text/calendar; charset=utf-8',
        );
        expect(ics.headers['content-disposition']).toBe(
          'attachment; filename="on-call-payments-api.ics"',
        );
        const lines = icalLines(ics.body);
        expect(lines[0]).toBe('BEGIN:VCALENDAR');
        expect(lines).toContain('VERSION:2.0');
        expect(lines).toContain('X-WR-TIMEZONE:UTC');
        const events = lines.filter(l => l === 'BEGIN:VEVENT').length;
        expect(events).toBeGreaterThanOrEqual(1);
        const starts = lines.filter(l => l.startsWith('DTSTART:'));
        expect(starts).toHaveLength(events);
        for (const start of starts) {
          expect(start).toMatch(/^DTSTART:\d{8}T\d{6}Z$/);
        }
        const summaries = lines.filter(l => l.startsWith('SUMMARY:'));
        expect(summaries.some(s => /^SUMMARY:Primary on call: /.test(s))).toBe(
          true,
        );
        expect(lines.filter(l => l.startsWith('DTSTAMP:'))).toHaveLength(
          events,
        );
        // The same shifts keep their UIDs from one download to the next.
        const again = icalLines(
          (
            await get(
              '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=3',
            )
          ).body,
        );
        expect(again.filter(l => l.startsWith('UID:'))).toEqual(
          lines.filter(l => l.startsWith('UID:')),
        );

        // Hidden from the guest, as the entity itself is; no schedule: 404.
        expect(
          (
            await get(
              '/v1/entities/component/default/payments-api/on-call/shifts.ics',
              GUEST,
            )
          ).status,
        ).toBe(404);
        expect(
          (
            await get(
              '/v1/entities/component/default/search-api/on-call/shifts.ics',
            )
          ).status,
        ).toBe(404);
      } finally {
        await backend.stop();
      }
    },
    120_000,
  );
});
