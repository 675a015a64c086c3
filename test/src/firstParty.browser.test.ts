import fs from 'fs';
import os from 'os';
import path from 'path';
import ICAL from 'ical.js';
import type {
  Browser,
  BrowserContext,
  Download,
  Locator,
  Page,
} from 'playwright-core';
import { guestToken, RunningBackend, startDemoBackend } from './backend';
import {
  browserAvailable,
  buildApp,
  launchBrowser,
  reloadUntil,
  screenshotsDir,
  signInAsGuest,
  writeScreenshots,
} from './browser';

jest.setTimeout(300_000);

const run = browserAvailable() ? describe : describe.skip;

/** The demo's Slack workspace (app-config.yaml, `operability.slack.workspaceUrl`). */
const SLACK = 'https://example.slack.com';

/**
 * What people reach for on the pages, in the built demo app served by the
 * real demo backend, in headless Chromium: a team's Slack channel opens in
 * Slack, an email is copied, the services table and the team roll-up come as
 * CSV, the rotation's next shifts as an iCalendar file, the home page shows
 * who is on call for the user's teams, and the catalog is at /catalog, its
 * Create button leading to the catalog-import page.
 */
run('links, copies and exports in a real browser', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Where Chromium was sent for Slack (the requests are answered here). */
  const slackRequests: string[] = [];

  beforeAll(async () => {
    buildApp();
    backend = await startDemoBackend({
      appOnBackendUrl: true,
      extraConfig:
        'catalog:\n  processingInterval: { seconds: 2 }\n' +
        'operability:\n  catalog:\n    stamps:\n      refresh: { seconds: 2 }\n  readiness:\n    schedule:\n      frequency: { seconds: 5 }\n      timeout: { minutes: 2 }\n      initialDelay: { seconds: 1 }\n',
    });
    // The guest signs in as Alice of the Payments team once the catalog knows
    // her; before that the token would carry no team.
    await waitForCatalogUser(backend.baseUrl, 'user/default/alice');
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: backend.baseUrl,
    });
    // No network to Slack here: answer its links, and record where they went.
    await context.route(`${SLACK}/**`, route => {
      slackRequests.push(route.request().url());
      return route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<title>Slack</title>',
      });
    });
    page = await context.newPage();
    try {
      await signInAsGuest(page, backend.baseUrl);
    } catch (error) {
      throw new Error(
        `${error}\nThe backend said:\n${backend.output().slice(-6000)}`,
      );
    }
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  /**
   * Rewrites a README screenshot, only when asked (`npm run screenshots`):
   * the whole page, or the window scrolled to `at`.
   */
  const shot = async (name: string, at?: Locator) => {
    if (!writeScreenshots) return;
    if (at) await at.scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(screenshotsDir, `${name}.png`),
      fullPage: !at,
    });
  };

  it("opens the team's Slack channel from the service card, and copies its email", async () => {
    await reloadUntil(
      page,
      `${backend.baseUrl}/catalog/default/component/payments-api`,
      () =>
        page
          .getByText('Not evaluated yet')
          .count()
          .then(n => n === 0),
    );
    const card = page
      .locator('article, .MuiCard-root')
      .filter({ hasText: 'Owned by' })
      .first();
    await card.waitFor({ timeout: 60_000 });

    const slack = card.getByRole('link', { name: /^#team-payments/ });
    const target = `${SLACK}/app_redirect?channel=team-payments`;
    expect(await slack.getAttribute('href')).toBe(target);
    const [slackTab] = await Promise.all([
      context.waitForEvent('page'),
      slack.click(),
    ]);
    await slackTab.waitForLoadState();
    expect(slackTab.url()).toBe(target);
    expect(slackRequests).toContain(target);
    await slackTab.close();

    const email = card.getByRole('link', { name: /^payments@example\.com/ });
    expect(await email.getAttribute('href')).toBe(
      'mailto:payments@example.com',
    );
    await card
      .getByRole('button', { name: 'Copy payments@example.com' })
      .click();
    expect(await readClipboard(page, 'payments@example.com')).toBe(
      'payments@example.com',
    );
    await shot('links-and-exports');
  });

  it("downloads the rotation's next shifts as iCalendar, in UTC with the schedule's zone named", async () => {
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/payments-api/operability`,
    );
    const rotation = page
      .locator('article, .MuiCard-root')
      .filter({ hasText: 'Next weeks of the rotation' })
      .first();
    await rotation.waitFor({ timeout: 60_000 });
    // Hand-off times in the schedule's zone, named beside them.
    await rotation
      .getByText(/\(America\/Toronto\)$/)
      .first()
      .waitFor({ timeout: 30_000 });

    const download = await downloadBy(
      page,
      rotation.getByRole('button', {
        name: 'Download the next shifts as an iCalendar file',
      }),
    );
    expect(download.suggestedFilename()).toMatch(/\.ics$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('x-wr-timezone')).toBe(
      'America/Toronto',
    );
    const events = calendar
      .getAllSubcomponents('vevent')
      .map(vevent => new ICAL.Event(vevent));
    // Eight weeks of one-week turns, primary and secondary.
    expect(events.length).toBeGreaterThanOrEqual(16);
    expect(events.some(e => /^Primary on call: /.test(e.summary))).toBe(true);
    expect(events.some(e => /^Secondary on call: /.test(e.summary))).toBe(true);
    for (const event of events) {
      expect(event.startDate.zone?.tzid).toBe('UTC');
      expect(event.endDate.toJSDate().getTime()).toBeGreaterThan(
        event.startDate.toJSDate().getTime(),
      );
    }
    // Hand-offs are at 09:00 in Toronto, whatever the season.
    const primaryStarts = events
      .filter(e => /^Primary/.test(e.summary))
      .map(e => e.startDate.toJSDate());
    for (const start of primaryStarts.slice(1)) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'America/Toronto',
        hour: '2-digit',
        minute: '2-digit',
      }).format(start);
      expect(local).toBe('09:00');
    }
    // The viewer's own time on hover.
    await rotation.getByTestId('handoff-time').first().hover();
    await page
      .getByRole('tooltip')
      .getByText(/^Your time: /)
      .waitFor({ timeout: 10_000 });
    await shot('rotation-time-zone-and-calendar', rotation);
  });

  it("downloads the services of the user's team as CSV, with the table's filter, and the team roll-up", async () => {
    await page.goto(`${backend.baseUrl}/operability`);
    const myTeams = page.getByRole('group', { name: 'My teams' });
    await myTeams.waitFor({ timeout: 60_000 });
    await myTeams.getByRole('button', { name: 'Payments' }).click();
    await page.waitForURL(/owner=group%3Adefault%2Fpayments/);
    const services = page.getByRole('table', { name: 'Services', exact: true });
    await services
      .and(page.locator('[aria-busy="false"]'))
      .waitFor({ timeout: 30_000 });
    await services.getByText('Payments API').first().waitFor();

    const csv = await downloadBy(
      page,
      page.getByRole('button', { name: 'Download the services as CSV' }),
    );
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const rows = parseCsv(fs.readFileSync((await csv.path())!, 'utf8'));
    const [header, ...body] = rows;
    expect(header.slice(0, 3)).toEqual(['entity_ref', 'title', 'owner']);
    expect(body.length).toBeGreaterThan(1);
    const refs = body.map(r => r[0]);
    expect(refs).toContain('component:default/payments-api');
    // The table's filter: Payments' services only.
    for (const row of body) expect(row[2]).toBe('group:default/payments');

    const teamsCsv = await downloadBy(
      page,
      page.getByRole('button', { name: 'Download the team roll-up as CSV' }),
    );
    const teams = parseCsv(fs.readFileSync((await teamsCsv.path())!, 'utf8'));
    expect(teams[0][0]).toBe('team');
    expect(teams.map(r => r[0])).toContain('group:default/payments');
    await shot('operability-my-teams-and-exports', myTeams);
  });

  it('shows who is on call for my teams on the home page, and the catalog at /catalog with its export button and its Create button to the import page', async () => {
    await page.goto(`${backend.baseUrl}/home`);
    const team = page.getByLabel('On call for payments');
    await team.waitFor({ timeout: 60_000 });
    await team
      .getByText(/^until /)
      .first()
      .waitFor({ timeout: 30_000 });
    await team.getByText('(America/Toronto)').first().waitFor();
    await shot('home-on-call-for-my-teams');

    await page.goto(`${backend.baseUrl}/`);
    await page.waitForURL(/\/catalog$/);
    await page.getByText('Example Org Catalog').first().waitFor();
    await page
      .getByRole('button', { name: 'Export selection' })
      .first()
      .waitFor({ timeout: 30_000 });

    // Create leads to the catalog-import page (the demo has no scaffolder),
    // where an existing component is registered. It is a link styled as a
    // button (role "button"), shown once the permission check allows it.
    const create = page.getByRole('button', { name: 'Create', exact: true });
    try {
      await create.waitFor({ timeout: 30_000 });
    } catch (error) {
      const shotPath = path.join(os.tmpdir(), 'first-party-no-create.png');
      await page.screenshot({ path: shotPath, fullPage: true });
      throw new Error(`${error}\nNo Create button (last seen: ${shotPath})`);
    }
    await create.click();
    await page.waitForURL(/\/catalog-import$/);
    await page
      .getByRole('heading', { name: 'Register an existing component' })
      .first()
      .waitFor({ timeout: 30_000 });
  });
});

/** The clipboard's text once it is `expected` (bounded), else as last read. */
async function readClipboard(page: Page, expected: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await page.evaluate(() => navigator.clipboard.readText());
    if (text === expected || Date.now() > deadline) return text;
    await page.waitForTimeout(200);
  }
}

/** Clicks and waits for the download that follows. */
async function downloadBy(page: Page, button: Locator): Promise<Download> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    button.click(),
  ]);
  return download;
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
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
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Waits (bounded) until the catalog has the user, so the guest signs in as them. */
async function waitForCatalogUser(baseUrl: string, userPath: string) {
  const token = await guestToken(baseUrl);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${userPath}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (res.ok) return;
    if (Date.now() > deadline) {
      throw new Error(`The catalog never had ${userPath}: ${res.status}`);
    }
    await new Promise(r => setTimeout(r, 1_000));
  }
}
