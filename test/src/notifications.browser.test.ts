import type { Browser, Page } from 'playwright-core';
import os from 'os';
import path from 'path';
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

const SERVICE = 'component:default/tax-calculator';
const TAB = '/catalog/default/component/tax-calculator/operability';
const SCOPE = `operability:readiness:${SERVICE}`;
/** Tax calculator's two gold misses in the demo (examples/README.md). */
const TRACES = 'instrumentation.traces';
const BURN_RATE = 'alerting.slo-burn-rate';
const BURN_RATE_TITLE = 'SLO burn-rate alert';

interface ReceivedNotification {
  id: string;
  read: unknown;
  payload: {
    title: string;
    description: string;
    link: string;
    severity: string;
    scope: string;
  };
}

/**
 * The demo as its guest uses it: Alice, an engineer of the Payments team,
 * owns the Tax calculator. Exemptions keep it at gold; she removes one in the
 * app and her notification appears; she adds it back and the same
 * notification says the service is back at gold.
 */
run('readiness notifications in the demo app', () => {
  let backend: RunningBackend;
  let browser: Browser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    buildApp();
    backend = await startDemoBackend({
      appOnBackendUrl: true,
      // A readiness cycle every 5 s rather than every 30 s.
      extraConfig:
        'catalog:\n  processingInterval: { seconds: 2 }\n' +
        'operability:\n  readiness:\n    schedule:\n      frequency: { seconds: 5 }\n      timeout: { minutes: 2 }\n      initialDelay: { seconds: 1 }\n',
    });
    token = await guestToken(backend.baseUrl);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signInAsGuest(page, backend.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const api = async (
    method: string,
    apiPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${backend.baseUrl}/api${apiPath}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  /** The guest's notifications about the Tax calculator. */
  const notificationsOfService = async (): Promise<ReceivedNotification[]> => {
    const { status, body } = await api('GET', '/notifications/notifications');
    expect(status).toBe(200);
    return body.notifications.filter(
      (n: ReceivedNotification) => n.payload.scope === SCOPE,
    );
  };

  const levelOfService = async (): Promise<string | undefined> => {
    const { body } = await api(
      'GET',
      '/operability/v1/entities/component/default/tax-calculator',
    );
    return body?.readiness?.level;
  };

  it('tells the owners when an exemption that kept their service at gold is removed, and updates that notification when it is back', async () => {
    // The demo state this starts from: the service exempt from its two gold
    // misses (added through the API, as Alice), hence at gold.
    await eventually('the service evaluated', async () =>
      (await levelOfService()) ? true : undefined,
    );
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const checkId of [TRACES, BURN_RATE]) {
      const added = await api(
        'POST',
        '/operability/v1/entities/component/default/tax-calculator/exemptions',
        {
          checkId,
          reason: 'Experimental engine, measured in the flag rollout',
          expiresAt,
        },
      );
      expect(added.status).toBe(201);
    }
    await eventually('the service at gold', async () =>
      (await levelOfService()) === 'gold' ? true : undefined,
    );
    // Going up without a notification open sends nothing.
    expect(await notificationsOfService()).toEqual([]);

    // Alice removes the burn-rate exemption on the service's Operability tab.
    await page.goto(`${backend.baseUrl}${TAB}`);
    const remove = page.getByRole('button', {
      name: `Remove the exemption of ${BURN_RATE_TITLE}`,
    });
    await remove.waitFor({ timeout: 60_000 });
    await remove.click();
    await page.getByText('Exemption removed').waitFor();

    // The next cycle finds it at silver, failing the check: one
    // notification, on her notifications page.
    await reloadUntil(page, `${backend.baseUrl}/notifications`, () =>
      page
        .getByText('Tax calculator dropped from gold to silver')
        .count()
        .then(n => n > 0),
    );
    await page
      .getByText(`Now failing: ${BURN_RATE_TITLE}.`, { exact: false })
      .first()
      .waitFor();
    const [dropped, ...others] = await notificationsOfService();
    expect(others).toEqual([]);
    expect(dropped).toMatchObject({
      read: null,
      payload: {
        title: 'Tax calculator dropped from gold to silver',
        description: expect.stringContaining(
          `Now failing: ${BURN_RATE_TITLE}.`,
        ),
        link: TAB,
        severity: 'normal',
      },
    });
    if (writeScreenshots) {
      await page.screenshot({
        path: path.join(screenshotsDir, 'notification.png'),
        fullPage: true,
      });
    }

    // She follows the link: the service's Operability tab.
    await page.getByText('Tax calculator dropped from gold to silver').click();
    await page.waitForURL(url => url.pathname === TAB, { timeout: 30_000 });

    // She adds the exemption back, in the app.
    await page.getByRole('button', { name: 'Add exemption' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Check/ }).click();
    await page
      .getByRole('option', { name: `${BURN_RATE_TITLE} (fail)` })
      .click();
    await dialog
      .locator('textarea#exemption-reason')
      .fill('Burn-rate alert lands with the next release');
    const inAMonth = new Date(Date.now() + 30 * 86_400_000);
    await dialog
      .locator('#exemption-expiry')
      .fill(
        `${inAMonth.getFullYear()}-${String(inAMonth.getMonth() + 1).padStart(
          2,
          '0',
        )}-${String(inAMonth.getDate()).padStart(2, '0')}`,
      );
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText(`Exempted ${BURN_RATE_TITLE}`).waitFor();

    // The same notification, updated: back at gold, unread again.
    await reloadUntil(page, `${backend.baseUrl}/notifications`, () =>
      page
        .getByText('Tax calculator is back at gold')
        .count()
        .then(n => n > 0),
    );
    expect(
      await page
        .getByText('Tax calculator dropped from gold to silver')
        .count(),
    ).toBe(0);
    const [updated, ...more] = await notificationsOfService();
    expect(more).toEqual([]);
    expect(updated).toMatchObject({
      id: dropped.id,
      read: null,
      payload: {
        title: 'Tax calculator is back at gold',
        description: expect.stringContaining(
          `No longer failing: ${BURN_RATE_TITLE}.`,
        ),
        link: TAB,
      },
    });
  });
});

/** Polls until the probe answers (not undefined), for two minutes at most. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1_000));
  }
}

/** Loads a page until a condition holds (bounded), for data that arrives in the background. */
async function reloadUntil(
  page: Page,
  url: string,
  ready: () => Promise<boolean>,
) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    if (await ready()) return;
    if (Date.now() > deadline) {
      const shotPath = path.join(os.tmpdir(), 'notifications-not-ready.png');
      await page.screenshot({ path: shotPath, fullPage: true });
      throw new Error(`${url} never became ready (last seen: ${shotPath})`);
    }
    await page.waitForTimeout(2_000);
  }
}
