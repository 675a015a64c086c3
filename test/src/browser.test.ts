import type { Browser, Page } from 'playwright-core';
import path from 'path';
import { RunningBackend, startDemoBackend } from './backend';
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

/**
 * What a person sees: the built demo app served by the real demo backend,
 * driven in headless Chromium.
 */
run('demo app in a real browser', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    buildApp();
    // The backend serves the built app itself, on its own URL.
    backend = await startDemoBackend({
      appOnBackendUrl: true,
      // Evaluate at once rather than after the demo's start-up delay.
      extraConfig:
        'catalog:\n  processingInterval: { seconds: 2 }\n' +
        'operability:\n  catalog:\n    stamps:\n      refresh: { seconds: 2 }\n  readiness:\n    schedule:\n      frequency: { seconds: 5 }\n      timeout: { minutes: 2 }\n      initialDelay: { seconds: 1 }\n',
    });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signInAsGuest(page, backend.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  /** Rewrites the README's screenshot, only when asked (`npm run screenshots`). */
  const shot = async (name: string) => {
    if (!writeScreenshots) return;
    await page.screenshot({
      path: path.join(screenshotsDir, `${name}.png`),
      fullPage: true,
    });
  };

  it('shows a service page with its owner, on-call and readiness', async () => {
    // The catalog and the first readiness cycle run in the background: reload
    // until the service has been evaluated.
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
    await card.getByText('Payments', { exact: true }).first().waitFor();
    await card
      .getByText(/Primary/)
      .first()
      .waitFor();
    // The readiness cycle has run: a level is shown, not "Not evaluated yet".
    await card
      .getByText(/^(gold|silver|bronze|none)$/i)
      .first()
      .waitFor({ timeout: 90_000 });
    await shot('service-overview');
  });

  it('shows the checks on the Operability tab', async () => {
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/payments-api/operability`,
    );
    await page.getByText('Owner is set').first().waitFor({ timeout: 60_000 });
    await page.getByText('Exemptions', { exact: true }).first().waitFor();
    await page.getByText('How a critical alert is routed').first().waitFor();
    await shot('service-operability-tab');
  });

  it("says on a service's tab which of its inputs could not be read", async () => {
    // shipping-rates' rule file does not parse (examples/rules/shipping-rates.yaml).
    await page.goto(
      `${backend.baseUrl}/catalog/default/component/shipping-rates/operability`,
    );
    const alert = page.getByRole('alert', {
      name: 'Inputs that could not be read',
    });
    await alert.waitFor({ timeout: 60_000 });
    await alert
      .getByText(/shipping-rates\.yaml:\d+/)
      .first()
      .waitFor();
    await shot('service-input-problems');
  });

  it('lists the demo services on /operability and narrows them by team', async () => {
    await page.goto(`${backend.baseUrl}/operability`);
    await page.getByText('Payments API').first().waitFor({ timeout: 60_000 });
    await page.getByText('Search API').first().waitFor();
    await shot('operability-page');

    // The Team filter, as a person uses it: open the select, pick a team.
    const filters = page.getByRole('group', { name: 'Filters' });
    await filters.getByRole('button', { name: /Team/ }).click();
    await page.getByRole('option', { name: 'Search', exact: true }).click();
    await page.waitForURL(/owner=group%3Adefault%2Fsearch/);
    const services = page.getByRole('table', { name: 'Services', exact: true });
    await services
      .and(page.locator('[aria-busy="false"]'))
      .waitFor({ timeout: 30_000 });
    await services.getByText('Search API').first().waitFor();
    await expectGone(page, 'Payments API');
    const owners = await services
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(['Search']));
    await shot('operability-page-team-filter');
  });

  it('shows the level column in the catalog and filters the catalog by level', async () => {
    const url = `${backend.baseUrl}/?filters%5Bkind%5D=component&filters%5Buser%5D=all&filters%5BoperabilityLevel%5D=gold`;
    // Levels reach the catalog when it re-processes the entities after a
    // readiness cycle (every 2 s here).
    await reloadUntil(page, url, () =>
      page
        .getByRole('cell', { name: 'Payments API' })
        .count()
        .then(n => n > 0),
    );
    const table = page.locator('table').filter({ hasText: 'Payments API' });
    await table.getByRole('columnheader', { name: 'Operability' }).waitFor();
    const headers = await table.locator('thead th').allTextContents();
    const column = headers.findIndex(h => h.trim() === 'Operability');
    const levels = await table
      .locator(`tbody tr td:nth-child(${column + 1})`)
      .allTextContents();
    // The demo's gold services only, each with its score.
    expect(levels.length).toBeGreaterThanOrEqual(4);
    for (const level of levels) expect(level).toMatch(/^gold \d+\/100$/);
    await expectGone(page, 'Docs portal');
    await page.getByText('Operability level', { exact: true }).waitFor();
    // The catalog's own columns take most of a 1400 px window.
    await page.setViewportSize({ width: 1700, height: 1000 });
    await shot('catalog-level-column');
    await page.setViewportSize({ width: 1400, height: 1000 });
  });

  it('finds the owner of a service by an alert label', async () => {
    await page.goto(`${backend.baseUrl}/operability`);
    const whoOwns = page
      .locator('article, .MuiCard-root')
      .filter({ hasText: 'Who owns this?' })
      .first();
    const search = whoOwns.getByLabel('Service, repository or alert labels');
    await search.fill('job=payments-api');
    await search.press('Enter');
    await whoOwns
      .getByText('Payments API')
      .first()
      .waitFor({ timeout: 30_000 });
    await whoOwns.getByText('Payments', { exact: true }).first().waitFor();
    await shot('who-owns');
  });
});

async function expectGone(page: Page, text: string) {
  await page
    .locator('table')
    .getByText(text, { exact: true })
    .first()
    .waitFor({ state: 'detached', timeout: 30_000 });
}
