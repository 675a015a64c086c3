import { mockCredentials } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  ALICE,
  GUEST,
  startCatalogPolicyBackend,
  waitFor,
  writePolicyTestCatalog,
} from '../__testUtils__/catalogPolicyBackend';

// The real catalog (payments-api on a weekly UTC schedule with Alice as the
// only primary; search-api with no schedule), the real scheduler and
// database, and an incident export: pages are collected by the task, served
// by the load route and judged by on-call.page-load in the readiness cycle.

jest.setTimeout(90_000);

const MINUTE = 60_000;

describe('the on-call load, end to end', () => {
  const databases = createTestDatabases();
  let catalog: ReturnType<typeof writePolicyTestCatalog>;
  let dir: string;
  let csv: string;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(() => {
    catalog = writePolicyTestCatalog();
    dir = mkdtempSync(join(tmpdir(), 'operability-load-'));
    csv = join(dir, 'incidents.csv');
    // 30 pages in the last minute: more than 2 per 12 hours for whichever
    // weekly shift holds them. One more, older, acknowledged and resolved.
    const rows = [
      'id,description,service_name,created_on,acknowledged_on,resolved_on',
      `old,Disk full,payments-api,${iso(now - 3 * 86_400_000)},${iso(
        now - 3 * 86_400_000 + 2 * MINUTE,
      )},${iso(now - 3 * 86_400_000 + 60 * MINUTE)}`,
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `flap-${i},Flapping,payments-api,${iso(now - MINUTE + i * 1000)},,`,
      ),
      `s1,Search down,search-api,${iso(now - 2 * 86_400_000)},,`,
    ];
    writeFileSync(csv, rows.join('\n'));
  });
  afterAll(() => {
    catalog.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())(
    'collects, attributes and judges pages (%s)',
    async databaseId => {
      const backend = await startCatalogPolicyBackend({
        entitiesFile: catalog.file,
        knexFor: () => databases.init(databaseId),
        operability: {
          onCall: {
            pages: {
              files: [{ path: csv }],
              schedule: {
                frequency: { seconds: 1 },
                timeout: { seconds: 30 },
                initialDelay: { milliseconds: 100 },
              },
            },
          },
        },
      });
      const server = backend.server;
      const as = (user: string) => mockCredentials.user.header(user);
      const base = '/api/operability/v1/entities/component/default';
      try {
        const load = await waitFor('the pages collected', async seen => {
          const res = await request(server)
            .get(`${base}/payments-api/on-call/load`)
            .set('Authorization', as(ALICE));
          seen(res.body);
          return res.status === 200 && res.body.pages?.length === 31
            ? res.body
            : undefined;
        });
        expect(Object.keys(load).sort()).toEqual([
          'busiestShare',
          'from',
          'mtta',
          'mttr',
          'pages',
          'people',
          'shifts',
          'timeZone',
          'to',
        ]);
        expect(Date.parse(load.to) - Date.parse(load.from)).toBe(
          28 * 86_400_000,
        );
        expect(load.timeZone).toBe('UTC');
        expect(load.pages[0]).toMatchObject({
          title: 'Disk full',
          source: 'file',
          primary: { ref: ALICE, email: 'alice@example.com' },
        });
        expect(typeof load.pages[0].offHours).toBe('boolean');
        expect(load.people).toEqual([
          expect.objectContaining({
            person: expect.objectContaining({ ref: ALICE }),
            pages: 31,
          }),
        ]);
        expect(load.busiestShare).toBe(1);
        expect(load.mtta).toBe(120);
        expect(load.mttr).toBe(3600);
        const shiftPages = load.shifts.reduce(
          (n: number, s: any) => n + s.pages,
          0,
        );
        expect(shiftPages).toBe(31);

        // An explicit window: only the older page.
        const narrow = await request(server)
          .get(
            `${base}/payments-api/on-call/load?from=${encodeURIComponent(
              iso(now - 4 * 86_400_000),
            )}&to=${encodeURIComponent(iso(now - 86_400_000))}`,
          )
          .set('Authorization', as(ALICE));
        expect(narrow.status).toBe(200);
        expect(narrow.body.pages.map((p: any) => p.title)).toEqual([
          'Disk full',
        ]);

        // Hidden from the guest: as if it did not exist.
        const hidden = await request(server)
          .get(`${base}/payments-api/on-call/load`)
          .set('Authorization', as(GUEST));
        expect(hidden.status).toBe(404);
        const missing = await request(server)
          .get(`${base}/nope/on-call/load`)
          .set('Authorization', as(ALICE));
        expect(missing.status).toBe(404);

        // Bad input: 400 naming the field.
        for (const [query, message] of [
          ['from=yesterday', /query parameter 'from'/],
          ['to=2026-02-30T00:00:00Z', /query parameter 'to'/],
          [
            'from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
            /'from' must be before 'to'/,
          ],
          [
            'from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
            /at most 366 days/,
          ],
          ['limit=5', /unknown query parameter 'limit'/],
        ] as const) {
          const res = await request(server)
            .get(`${base}/payments-api/on-call/load?${query}`)
            .set('Authorization', as(ALICE));
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(message);
        }

        // The check: the flapping shift fails it; search-api has no primary turns.
        const checks = await waitFor('on-call.page-load judged', async seen => {
          const res = await request(server)
            .get(`${base}/payments-api`)
            .set('Authorization', as(ALICE));
          const byId = Object.fromEntries(
            (res.body.readiness?.checks ?? []).map((c: any) => [c.id, c]),
          );
          seen(byId['on-call.page-load']);
          return byId['on-call.page-load']?.status === 'fail'
            ? byId
            : undefined;
        });
        expect(checks['on-call.page-load'].level).toBe('gold');
        expect(checks['on-call.page-load'].message).toMatch(
          /a primary shift averaged [\d.]+ pages per 12 hours on call, more than 2/,
        );
        expect(checks['on-call.page-load'].evidence[0].text).toMatch(
          /^busiest primary shift: .*alice.*: 3[01] pages/,
        );
        // It says why, as a problem of the entity's own input.
        const search = await waitFor('search-api judged', async seen => {
          const res = await request(server)
            .get(`${base}/search-api`)
            .set('Authorization', as(ALICE));
          const check = res.body.readiness?.checks?.find(
            (c: any) => c.id === 'on-call.page-load',
          );
          const problem = res.body.readiness?.problems?.find(
            (p: any) => p.provider === 'on-call-pages',
          );
          seen(res.body.readiness);
          return check?.status === 'unknown' &&
            /no primary turns are known: no Schedule covers it/.test(
              problem?.message,
            )
            ? check
            : undefined;
        });
        expect(search.level).toBe('gold');
      } finally {
        await backend.stop();
      }
    },
  );
});
