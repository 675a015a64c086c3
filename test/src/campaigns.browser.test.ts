import fs from 'fs';
import knexFactory from 'knex';
import os from 'os';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { guestToken, RunningBackend, startDemoBackend } from './backend';
import {
  browserAvailable,
  buildApp,
  launchBrowser,
  screenshotsDir,
  signInAsGuest,
  writeScreenshots,
} from './browser';

jest.setTimeout(420_000);

const run = browserAvailable() ? describe : describe.skip;

const CAMPAIGN = 'runbooks-for-criticals';
const DAY = 86_400_000;

/**
 * The demo's campaign "Every critical alert has a runbook" as people see it:
 * the Campaigns section of /operability (the link of its notifications opens
 * it) with the counts the API gives, per team, the burndown and the services
 * still open; and on a service's card, the campaign and the check announced
 * for later.
 *
 * The demo keeps its database in memory, so a fresh demo has only today's
 * burndown point. For the picture this test puts the operability database
 * in a folder and records the days since the start as the daily task would
 * have (declining to today's count), and says so in the README.
 */
run('campaigns in the demo app', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let page: Page;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    buildApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsready-campaigns-'));
    backend = await startDemoBackend({
      appOnBackendUrl: true,
      extraConfig:
        `backend:\n  database:\n    client: better-sqlite3\n    connection:\n      directory: ${dir}\n` +
        'catalog:\n  processingInterval: { seconds: 2 }\n' +
        'operability:\n  readiness:\n    schedule:\n      frequency: { seconds: 5 }\n      timeout: { minutes: 2 }\n      initialDelay: { seconds: 1 }\n',
    });
    token = await guestToken(backend.baseUrl);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsGuest(page, backend.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const api = async (apiPath: string) => {
    const res = await fetch(`${backend.baseUrl}/api/operability${apiPath}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.json() };
  };

  /**
   * Records the days from the start to yesterday, declining to today's open
   * count, in the demo backend's own database (SQLite in `dir`).
   */
  async function recordPastDays(campaign: {
    start: string;
    total: number;
    done: number;
  }) {
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'operability.sqlite') },
      useNullAsDefault: true,
    });
    try {
      const today = Date.parse(new Date().toISOString().slice(0, 10));
      const start = Date.parse(campaign.start);
      const days = Math.round((today - start) / DAY);
      const now = campaign.total - campaign.done;
      const first = Math.min(
        campaign.total,
        now + Math.ceil(campaign.total / 3),
      );
      const rows = Array.from({ length: days }, (_, i) => ({
        campaign_id: CAMPAIGN,
        date: new Date(start + i * DAY).toISOString().slice(0, 10),
        total: campaign.total,
        remaining: Math.round(first - ((first - now) * i) / days),
      }));
      if (rows.length > 0) {
        await db('operability_campaign_burndown')
          .insert(rows)
          .onConflict(['campaign_id', 'date'])
          .merge();
      }
    } finally {
      await db.destroy();
    }
  }

  it('shows the campaign on /operability with the counts of the API', async () => {
    // The first readiness cycle runs in the background.
    const deadline = Date.now() + 120_000;
    let campaign: any;
    for (;;) {
      const { body } = await api('/v1/campaigns');
      campaign = body.items?.find((c: any) => c.id === CAMPAIGN);
      const scorecards = await api('/v1/scorecards?limit=1');
      if (campaign?.total > 0 && scorecards.body.total >= 24) break;
      if (Date.now() > deadline) throw new Error('no campaign progress');
      await new Promise(r => setTimeout(r, 1_000));
    }
    if (campaign.state === 'active') await recordPastDays(campaign);
    const open = await api(`/v1/campaigns/${CAMPAIGN}/services?done=false`);

    await page.goto(`${backend.baseUrl}/operability?campaign=${CAMPAIGN}`);
    const section = page.getByRole('region', { name: 'Campaigns' });
    await section.waitFor({ timeout: 60_000 });
    const percent = Math.round((100 * campaign.done) / campaign.total);
    await section
      .getByText(`${campaign.done} of ${campaign.total} done (${percent}%)`)
      .first()
      .waitFor();
    const teams = section.getByRole('table', { name: 'Progress per team' });
    await teams.waitFor();
    const stillOpen = section.getByRole('table', {
      name: 'Services still open',
    });
    await stillOpen.waitFor();
    for (const item of open.body.items) {
      // A link to the service (its title once the catalog answers).
      await stillOpen
        .locator(`a[href$="/component/${item.entityRef.split('/')[1]}"]`)
        .waitFor();
    }
    expect(await stillOpen.getByRole('row').count()).toBe(
      open.body.items.length + 1,
    );
    await stillOpen
      .getByText('Critical alerts have runbooks')
      .first()
      .waitFor();
    if (campaign.state === 'active') {
      await section.getByRole('figure', { name: 'Burndown' }).waitFor();
      await section
        .getByText(
          `${campaign.total - campaign.done} of ${
            campaign.total
          } still open on`,
        )
        .waitFor();
    }
    if (writeScreenshots) {
      // Tall enough for the whole section: element shots stop at the viewport.
      await page.setViewportSize({ width: 1400, height: 2000 });
      await section.scrollIntoViewIfNeeded();
      await page.waitForTimeout(1_000); // the chart's layout
      await section.screenshot({
        path: path.join(screenshotsDir, 'campaigns.png'),
      });
    }
  });

  it('shows the campaign and the check announced for later on a service card', async () => {
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/ledger-service`,
    );
    const campaigns = page.getByRole('list', { name: 'Campaigns' });
    await campaigns.waitFor({ timeout: 60_000 });
    await campaigns
      .getByText('Every critical alert has a runbook', { exact: false })
      .waitFor();
    expect(await campaigns.textContent()).toContain(
      'open, fix Critical alerts have runbooks',
    );
    await page
      .getByRole('list', { name: 'Checks that count soon' })
      .getByText('Owning team of four or more')
      .waitFor();
  });
});
