import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import {
  guestToken,
  repoRoot,
  RunningBackend,
  startDemoBackend,
} from './backend';
import {
  browserAvailable,
  buildApp,
  launchBrowser,
  screenshotsDir,
  signInAsGuest,
  writeScreenshots,
} from './browser';

jest.setTimeout(900_000);

const run = browserAvailable() ? describe : describe.skip;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const TAB = '/catalog/default/component/payments-api/operability';
const TEAM_PAGE = '/catalog/default/group/payments';
const DEMO_PAGES = path.join(repoRoot, 'examples/pages/demo-incidents.csv');

/**
 * payments-on-call as examples/schedules.yaml writes it: Monday 09:00
 * Toronto time, one week each, from 2026-01-05, and Grace's two overrides.
 * The test attributes the demo's pages itself, from these, to check the card.
 */
const PAYMENTS = {
  zone: 'America/Toronto',
  start: Date.UTC(2026, 0, 5, 9, 0),
  members: [
    'alice',
    'bob',
    'carol',
    'dan',
    'erin',
    'frank',
    'grace',
    'hiro',
  ].map(n => `user:default/${n}`),
  overrides: [
    [Date.UTC(2026, 2, 2, 9), Date.UTC(2026, 2, 3, 9)],
    [Date.UTC(2026, 11, 24, 9), Date.UTC(2026, 11, 28, 9)],
  ].map(([start, end]) => ({ start, end, user: 'user:default/grace' })),
};

interface Row {
  id: string;
  serviceId: string;
  service: string;
  at: number;
  acknowledgedAt?: number;
}

/** The start of the current week, Monday 00:00 UTC: what relative times count from. */
function weekStart(now: number): number {
  const d = new Date(now);
  const day = (d.getUTCDay() + 6) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
}

/** A time of the incident export: ISO, or a duration from the start of the week (-P3DT4H). */
function timeOf(text: string, now: number): number | undefined {
  if (!text) return undefined;
  const relative =
    /^([+-]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(text);
  if (!relative) return Date.parse(text);
  const [, sign, d, h, m, s] = relative;
  const ms =
    Number(d ?? 0) * DAY +
    Number(h ?? 0) * HOUR +
    Number(m ?? 0) * MINUTE +
    Number(s ?? 0) * 1000;
  return weekStart(now) + (sign === '-' ? -ms : ms);
}

/** The rows of an incident export (PagerDuty's columns), with relative times resolved. */
function readIncidents(file: string, now: number): Row[] {
  const [header, ...lines] = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter(l => l.trim() !== '');
  const columns = header.split(',');
  const col = (cells: string[], name: string) =>
    cells[columns.indexOf(name)] ?? '';
  return lines.map(line => {
    const cells = line.split(',');
    return {
      id: col(cells, 'id'),
      serviceId: col(cells, 'service_id'),
      service: col(cells, 'service_name').toLowerCase(),
      at: timeOf(col(cells, 'created_on'), now)!,
      acknowledgedAt: timeOf(col(cells, 'acknowledged_on'), now),
    };
  });
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Local time in a zone: the wall clock as UTC ms, the ISO weekday and the minute of the day. */
function local(at: number, zone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  }).formatToParts(new Date(at));
  const get = (type: string) => parts.find(p => p.type === type)!.value;
  const hour = Number(get('hour')) % 24;
  return {
    wall: Date.UTC(
      Number(get('year')),
      Number(get('month')) - 1,
      Number(get('day')),
      hour,
      Number(get('minute')),
      Number(get('second')),
    ),
    weekday: WEEKDAYS.indexOf(get('weekday')) + 1,
    minute: hour * 60 + Number(get('minute')),
  };
}

/** Outside the default working hours (Monday–Friday 09:00–18:00) in a zone. */
function offHours(at: number, zone: string): boolean {
  const { weekday, minute } = local(at, zone);
  return weekday > 5 || minute < 9 * 60 || minute >= 18 * 60;
}

/** Who was payments-on-call's primary at an instant. */
function paymentsPrimaryAt(at: number): string {
  const { wall } = local(at, PAYMENTS.zone);
  const override = PAYMENTS.overrides.find(
    o => o.start <= wall && wall < o.end,
  );
  if (override) return override.user;
  const turn = Math.floor((wall - PAYMENTS.start) / WEEK);
  return PAYMENTS.members[turn % PAYMENTS.members.length];
}

const localIso = (wall: number) => new Date(wall).toISOString().slice(0, 16);

interface Load {
  from: string;
  to: string;
  timeZone: string;
  pages: { at: string; primary: { ref: string } | null; offHours: boolean }[];
  shifts: {
    primary: { ref: string } | null;
    pages: number;
    offHoursPages: number;
  }[];
  people: { person: { ref: string; title?: string }; pages: number }[];
  busiestShare: number;
}

/**
 * The on-call health of the demo as its guest, Alice (Payments), sees it:
 * the Payments API's On-call load card with the pages of the demo's incident
 * export (examples/pages/), the team card's load of the Payments services,
 * and a hand-off report in her notifications. The hand-off comes from a
 * drill schedule the test adds to the demo catalog, covering a drill
 * service with three pages of its own: Bob is primary for three days, and
 * an override makes Alice primary a few minutes after the backend starts.
 */
run('on-call health in the demo app', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let page: Page;
  let token: string;
  let dir: string;
  /** When the drill's override makes Alice primary (a whole UTC minute). */
  let handoffAt: number;
  /** When Bob's turn on the drill schedule began: three days ago. */
  let shiftStart: number;
  let drillPages: number[];

  /**
   * The drill: a service and its schedule, Bob primary since `shiftStart`;
   * with `aliceAt`, an override makes Alice primary from then for a day.
   */
  const writeDrill = (aliceAt?: number) =>
    fs.writeFileSync(
      path.join(dir, 'drill.yaml'),
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: handoff-drill
  title: Hand-off drill
  annotations:
    operability.io/on-call-schedule: handoff-drill
spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments
---
apiVersion: operability.io/v1alpha1
kind: Schedule
metadata:
  name: handoff-drill
  title: Hand-off drill
spec:
  owner: group:default/payments
  timeZone: UTC
  handoff: { start: ${localIso(shiftStart)}, turn: P1W }
  primary: [user:default/bob, user:default/carol, user:default/dan]
  secondary: next-in-rotation
${
  aliceAt
    ? `  overrides:
    - role: primary
      user: user:default/alice
      start: ${localIso(aliceAt)}
      end: ${localIso(aliceAt + DAY)}
`
    : ''
}`,
    );

  beforeAll(async () => {
    buildApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsready-oncall-'));
    shiftStart = Math.floor((Date.now() - 3 * DAY) / MINUTE) * MINUTE;
    drillPages = [2, 30, 60].map(h => shiftStart + h * HOUR);
    writeDrill();
    fs.writeFileSync(
      path.join(dir, 'drill-incidents.csv'),
      [
        'id,incident_number,description,service_id,service_name,urgency,created_on,acknowledged_on,resolved_on',
        ...drillPages.map(
          (at, i) =>
            `D${i},${9000 + i},Drill page ${i},,handoff-drill,high,${new Date(
              at,
            ).toISOString()},,`,
        ),
      ].join('\n'),
    );
    const file = (target: string) =>
      `    - type: file\n      target: ${target}\n`;
    backend = await startDemoBackend({
      appOnBackendUrl: true,
      extraConfig:
        // The demo's locations (a list replaces the list) and the drill's.
        `catalog:\n  locations:\n${file(
          path.join(repoRoot, 'catalog-info.yaml'),
        )}${file(path.join(repoRoot, 'examples/all.yaml'))}${file(
          path.join(dir, 'drill.yaml'),
        )}` +
        `operability:\n  onCall:\n    pages:\n      files:\n` +
        `        - path: ${DEMO_PAGES}\n` +
        `        - path: ${path.join(dir, 'drill-incidents.csv')}\n` +
        `      schedule:\n        frequency: { seconds: 10 }\n        timeout: { minutes: 2 }\n        initialDelay: { seconds: 2 }\n`,
    });
    token = await guestToken(backend.baseUrl);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsGuest(page, backend.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    // The backend's log, for a failure (it is not printed).
    if (backend) {
      fs.writeFileSync(
        path.join(os.tmpdir(), 'oncall-health-backend.log'),
        backend.output(),
      );
    }
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = async (
    method: string,
    apiPath: string,
  ): Promise<{ status: number; body: any }> => {
    // Through a restart of the dev server (a source file changed): retried.
    // A restarted backend has new signing keys: the guest signs in again.
    let res: Response | undefined;
    for (let tries = 0; !res; tries++) {
      try {
        res = await fetch(`${backend.baseUrl}/api${apiPath}`, {
          method,
          headers: { Authorization: `Bearer ${token}` },
        });
        if (res.status === 401 && tries < 30) {
          res = undefined;
          token = await guestToken(backend.baseUrl);
        }
      } catch (error) {
        if (tries >= 30) throw error;
        await new Promise(r => setTimeout(r, 3_000));
      }
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  };

  const loadOf = async (name: string): Promise<Load | undefined> => {
    const { status, body } = await api(
      'GET',
      `/operability/v1/entities/component/default/${name}/on-call/load`,
    );
    return status === 200 ? body : undefined;
  };

  /**
   * The export's rows of a service in a load's window: those naming its
   * PagerDuty service id (the annotation), or its name or title.
   */
  const rowsIn = async (service: string, load: Load): Promise<Row[]> => {
    const { body: entity } = await api(
      'GET',
      `/catalog/entities/by-name/component/default/${service}`,
    );
    const serviceId =
      entity?.metadata?.annotations?.['pagerduty.com/service-id'];
    const names = [service, entity?.metadata?.title?.toLowerCase()];
    const now = Date.parse(load.to);
    const from = Date.parse(load.from);
    return [
      ...readIncidents(DEMO_PAGES, now),
      ...readIncidents(path.join(dir, 'drill-incidents.csv'), now),
    ].filter(
      r =>
        ((serviceId && r.serviceId === serviceId) ||
          names.includes(r.service)) &&
        r.at >= from &&
        r.at < now,
    );
  };

  /** Keeps asking the drill schedule's hand-off task to run: the report comes once Alice is primary. */
  const triggerHandoffs = () =>
    api(
      'POST',
      '/operability/.backstage/scheduler/v1/tasks/operability-handoff-reports/trigger',
    );

  it("shows the Payments API's pages per shift, off-hours, per person and the busiest share", async () => {
    // The first collection of the export: every page of the window stored.
    const load = await eventually('the Payments API load', async () => {
      const l = await loadOf('payments-api');
      return l && l.pages.length > 0 ? l : undefined;
    });
    // A first run of the hand-off task: it notes the drill schedule (409
    // when the task is running already).
    expect([200, 409]).toContain((await triggerHandoffs()).status);

    // What the export says, attributed here, independently of the backend.
    const rows = await rowsIn('payments-api', load);
    expect(rows.length).toBeGreaterThan(3);
    const offHoursRows = rows.filter(r => offHours(r.at, PAYMENTS.zone));
    expect(offHoursRows.length).toBeGreaterThan(0);
    // Every page of the export in the window, each to the primary then.
    const key = (at: number | string, who: string | null | undefined) =>
      `${new Date(at).toISOString()} ${who ?? 'nobody'}`;
    expect(load.pages.map(p => key(p.at, p.primary?.ref)).sort()).toEqual(
      rows.map(r => key(r.at, paymentsPrimaryAt(r.at))).sort(),
    );
    expect(load.pages.filter(p => p.offHours)).toHaveLength(
      offHoursRows.length,
    );
    const byPerson = new Map<string, number>();
    for (const r of rows) {
      const who = paymentsPrimaryAt(r.at);
      byPerson.set(who, (byPerson.get(who) ?? 0) + 1);
    }
    const expectedPeople = [...byPerson].filter(([, n]) => n > 0);
    const most = Math.max(...byPerson.values());
    const busiest = expectedPeople
      .filter(([, n]) => n === most)
      .map(([p]) => p);
    expect(busiest).toContain(load.people[0].person.ref);
    expect(load.busiestShare).toBeCloseTo(most / rows.length, 5);

    await page.goto(`${backend.baseUrl}${TAB}`);
    const card = page
      .locator('article, .MuiCard-root')
      .filter({ has: page.getByText('On-call load', { exact: true }) })
      .last();
    await card.waitFor({ timeout: 60_000 });
    const summary = card.getByLabel('Load summary');
    await summary.waitFor({ timeout: 60_000 });
    const shifts = load.shifts.filter(s => s.primary).length;
    const busiestTitle = load.people[0].person.title!;
    expect(await summary.textContent()).toContain(
      `${rows.length} pages (${
        offHoursRows.length
      } off-hours) over ${shifts} primary shift${
        shifts === 1 ? '' : 's'
      } in the last 28 days · busiest: ${busiestTitle}, ${Math.round(
        (most / rows.length) * 100,
      )}% of pages`,
    );

    // The chart: a bar per shift, off-hours pages stacked on top (and in the legend).
    const chart = card.getByRole('figure', { name: 'Pages per shift' });
    await chart.locator('.recharts-bar').first().waitFor();
    await chart.getByText('Off-hours').first().waitFor();
    const offHoursBars = chart
      .locator('.recharts-bar')
      .nth(1)
      .locator('.recharts-rectangle');
    const withOffHours = load.shifts.filter(s => s.offHoursPages > 0).length;
    expect(withOffHours).toBeGreaterThan(0);
    expect(await offHoursBars.count()).toBe(withOffHours);

    // The per-person table: each person's pages, as attributed here.
    const table = card.locator('table').filter({ hasText: 'Off-hours pages' });
    const cells = await table
      .locator('tbody tr')
      .evaluateAll(trs =>
        trs.map(tr => [
          tr.querySelector('a')?.getAttribute('href') ?? '',
          ...[...tr.querySelectorAll('td')].map(td => td.textContent ?? ''),
        ]),
      );
    const shown = new Map(
      cells.map(([href, , , pages]) => [
        `user:default/${href.split('/').pop()}`,
        Number(pages),
      ]),
    );
    expect(new Map([...shown].filter(([, pages]) => pages > 0))).toEqual(
      new Map(expectedPeople),
    );
    await card.getByText(busiestTitle).first().waitFor();

    if (writeScreenshots) {
      // Not the toasts of other notifications over the card's corner.
      await page.addStyleTag({
        content: '.notistack-SnackbarContainer { display: none !important; }',
      });
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({
        path: path.join(screenshotsDir, 'oncall-load.png'),
      });
    }
  });

  it("shows each Payments service's load on the team card", async () => {
    await page.goto(`${backend.baseUrl}${TEAM_PAGE}`);
    const summary = page.getByLabel('Team on-call load');
    await summary.waitFor({ timeout: 60_000 });
    const card = page
      .locator('article, .MuiCard-root')
      .filter({ has: page.getByText('Services and on-call', { exact: true }) })
      .last();
    const header = await card.locator('thead th').allTextContents();
    const column = header.findIndex(h => h.includes('Pages, last 28 days'));
    expect(column).toBeGreaterThan(0);
    const rows = await card.locator('tbody tr').evaluateAll(
      (trs, col) =>
        trs.map(tr => ({
          href:
            tr.querySelector('a[href*="/component/"]')?.getAttribute('href') ??
            '',
          load: tr.querySelectorAll('td')[col]?.textContent ?? '',
        })),
      column,
    );
    const withLoad = rows.filter(r => /^\d+ \(\d+ off-hours\)/.test(r.load));
    expect(withLoad.length).toBeGreaterThan(0);
    let pages = 0;
    let off = 0;
    let paymentsApiShown = false;
    for (const row of withLoad) {
      const name = /\/component\/([^/?#]+)/.exec(row.href)![1];
      const load = (await loadOf(name))!;
      const mine = await rowsIn(name, load);
      const zone = load.timeZone;
      const offHoursCount = mine.filter(r => offHours(r.at, zone)).length;
      expect({ name, load: row.load }).toEqual({
        name,
        load: expect.stringMatching(
          new RegExp(`^${mine.length} \\(${offHoursCount} off-hours\\)`),
        ),
      });
      pages += mine.length;
      off += offHoursCount;
      if (name === 'payments-api') paymentsApiShown = true;
    }
    expect(pages).toBeGreaterThan(0);
    expect(await summary.textContent()).toContain(
      `: ${pages} page${pages === 1 ? '' : 's'}, ${off} off-hours.`,
    );
    // The team's flagship service is among the services asked.
    expect(paymentsApiShown || withLoad.length === 5).toBe(true);
  });

  it('sends Alice the hand-off report when she takes over, with the last shift’s pages', async () => {
    // Alice takes over in a minute or two (the drill's override, read by the
    // catalog from the file). The demo backend restarts when a source file
    // changes (it runs in watch mode) and keeps its database in memory: a
    // hand-off that passed during a restart is armed again, twice at most.
    const restarts = () => backend.output().split('Change detected').length;
    let received: { payload: Record<string, string> } | undefined;
    for (let attempt = 0; attempt < 3 && !received; attempt++) {
      handoffAt = Math.ceil((Date.now() + 100_000) / MINUTE) * MINUTE;
      writeDrill(handoffAt);
      const scope = `operability:handoff:schedule:default/handoff-drill:${new Date(
        handoffAt,
      ).toISOString()}`;
      const before = restarts();
      const armedAt = handoffAt;
      // Before the override starts the task's runs report nothing (and note
      // the schedule); the first run after it sends the report.
      received = await poll(async () => {
        await triggerHandoffs();
        const { body } = await api('GET', '/notifications/notifications');
        const found = (body?.notifications ?? []).find(
          (n: { payload: { scope: string } }) => n.payload.scope === scope,
        );
        if (found) return found;
        // Restarted since the hand-off: its database is gone; arm again.
        if (restarts() > before && Date.now() > armedAt) return null;
        return undefined;
      }, handoffAt + 3 * MINUTE);
    }
    if (!received) throw new Error('No hand-off notification arrived');
    expect(Date.now()).toBeGreaterThanOrEqual(handoffAt);
    const hhmm = (at: number) => {
      const d = new Date(at);
      return `${d.toLocaleDateString('en-US', {
        weekday: 'short',
        timeZone: 'UTC',
      })} ${d.getUTCDate()} ${d.toLocaleDateString('en-US', {
        month: 'short',
        timeZone: 'UTC',
      })} ${d.toISOString().slice(11, 16)}`;
    };
    const offHoursPages = drillPages.filter(at => offHours(at, 'UTC')).length;
    expect(received.payload).toMatchObject({
      title: 'On-call hand-off: Hand-off drill',
      link: '/catalog/default/schedule/handoff-drill',
      description: expect.stringContaining(
        `Alice Moreau is primary, Carol Nguyen secondary from ${hhmm(
          handoffAt,
        )} to ${hhmm(handoffAt + DAY)} (UTC). Last shift (Bob Okafor, ${hhmm(
          shiftStart,
        )} – ${hhmm(handoffAt)}): 3 pages, ${offHoursPages} off-hours.`,
      ),
    });

    // On her notifications page (signed in again after a restart).
    await page.goto(`${backend.baseUrl}/notifications`);
    const title = page.getByText('On-call hand-off: Hand-off drill').first();
    const enter = page.getByRole('button', { name: /enter/i });
    await title.or(enter).first().waitFor({ timeout: 60_000 });
    if (await enter.isVisible()) {
      await enter.click();
      await page.getByText('Operability', { exact: true }).first().waitFor();
      await page.goto(`${backend.baseUrl}/notifications`);
    }
    await title.waitFor({ timeout: 60_000 });
    // The list cuts descriptions at 100 characters: the whole report.
    await page
      .locator('tr')
      .filter({ hasText: 'On-call hand-off: Hand-off drill' })
      .last()
      .getByRole('button', { name: 'Show more' })
      .click();
    await page
      .getByText(/Last shift \(Bob Okafor/)
      .first()
      .waitFor();
    if (writeScreenshots) {
      await page.screenshot({
        path: path.join(screenshotsDir, 'handoff-notification.png'),
        fullPage: true,
      });
    }

    // And in the list of past reports of the service the schedule covers.
    const { status, body } = await api(
      'GET',
      '/operability/v1/entities/component/default/handoff-drill/on-call/handoffs',
    );
    expect(status).toBe(200);
    expect(body.items).toEqual([
      expect.objectContaining({
        at: new Date(handoffAt).toISOString(),
        pages: expect.objectContaining({
          total: 3,
          offHours: offHoursPages,
        }),
      }),
    ]);
  });
});

/**
 * Polls until the probe answers, or until `deadline` (epoch ms): the answer,
 * or undefined when it gave up (answered null) or ran out of time.
 */
async function poll<T>(
  probe: () => Promise<T | null | undefined>,
  deadline: number,
): Promise<T | undefined> {
  for (;;) {
    const value = await probe();
    if (value === null) return undefined;
    if (value !== undefined) return value;
    if (Date.now() > deadline) return undefined;
    await new Promise(r => setTimeout(r, 5_000));
  }
}

/** Polls until the probe answers (not undefined), for two minutes (or `ms`) at most. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 5_000));
  }
}
