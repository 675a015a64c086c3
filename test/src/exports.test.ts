import ICAL from 'ical.js';
import { guestToken, RunningBackend, startDemoBackend } from './backend';

jest.setTimeout(300_000);

/**
 * The exports of "Exports and links" from the real demo backend, read as a
 * calendar and a spreadsheet would: the iCalendar file through ical.js, the
 * CSV files by RFC 4180.
 */
describe('demo exports', () => {
  let backend: RunningBackend;
  let token: string;

  const get = (path: string) =>
    fetch(`${backend.baseUrl}/api/operability${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    backend = await startDemoBackend();
    token = await guestToken(backend.baseUrl);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await get('/v1/scorecards?limit=1');
      const body = res.ok ? await res.json() : undefined;
      if (body?.total >= 24) break;
      if (Date.now() > deadline) throw new Error('demo not scored in time');
      await new Promise(r => setTimeout(r, 1_000));
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it("gives a rotation's next weeks as iCalendar that ical.js reads, shift for shift", async () => {
    const res = await get(
      '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=4',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'text/calendar; charset=utf-8',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="on-call-payments-api.ics"',
    );
    const text = await res.text();
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    const zone = calendar.getFirstPropertyValue('x-wr-timezone');
    expect(zone).toBe('America/Toronto');
    const vevents = calendar.getAllSubcomponents('vevent');
    const events = vevents.map(v => new ICAL.Event(v));

    // The same shifts as the JSON route, from the same instant on.
    const json = await (
      await get(
        `/v1/entities/component/default/payments-api/on-call/shifts?count=20`,
      )
    ).json();
    const horizon = Date.now() + 4 * 7 * 86_400_000;
    const expected = json.shifts.filter(
      (s: any) => s.role !== 'shadow' && Date.parse(s.start) < horizon,
    );
    expect(
      events.map(e => [
        e.startDate.toJSDate().toISOString(),
        e.endDate.toJSDate().toISOString(),
      ]),
    ).toEqual(expected.map((s: any) => [s.start, s.end]));
    for (const [i, event] of events.entries()) {
      const shift = expected[i];
      const role = shift.role === 'primary' ? 'Primary' : 'Secondary';
      expect(event.summary).toBe(
        `${role} on call: ${
          shift.person.title ?? shift.person.ref
        } (Payments API)`,
      );
      expect(event.startDate.zone?.tzid).toBe('UTC');
      expect(event.description).toContain(`time zone ${zone}`);
      expect(vevents[i].getFirstPropertyValue('dtstamp')).toBeTruthy();
    }
    // Unique and stable: the same UIDs on the next download.
    const uids = events.map(e => e.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const again = new ICAL.Component(
      ICAL.parse(
        await (
          await get(
            '/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=4',
          )
        ).text(),
      ),
    );
    expect(
      again.getAllSubcomponents('vevent').map(v => new ICAL.Event(v).uid),
    ).toEqual(uids);
  });

  it('gives every row of the services table, and the team roll-up, as CSV', async () => {
    const res = await get('/v1/scorecards.csv?sort=score&order=desc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(
      'entity_ref,title,owner,on_call_primary,score,level,failing_checks',
    );
    const json = await (
      await get('/v1/scorecards?sort=score&order=desc&limit=500')
    ).json();
    expect(lines.length - 1).toBe(json.total);
    expect(lines.slice(1).map(l => l.split(',')[0])).toEqual(
      json.items.map((i: any) => i.entityRef),
    );

    const teams = await get('/v1/teams.csv');
    expect(teams.status).toBe(200);
    const teamLines = (await teams.text()).split('\r\n').filter(Boolean);
    const teamsJson = await (await get('/v1/teams')).json();
    expect(teamLines.slice(1).map(l => l.split(',')[0])).toEqual(
      teamsJson.items.map((t: any) => t.ref),
    );
  });
});
