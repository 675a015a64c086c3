import type { Browser, Page } from 'playwright-core';
import path from 'path';
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

jest.setTimeout(420_000);

const run = browserAvailable() ? describe : describe.skip;

const SERVICE = 'component:default/tax-calculator';
const TAB = '/catalog/default/component/tax-calculator/operability';
const SCOPE = `operability:readiness:${SERVICE}`;
/** The check whose exemption Alice removes, if it fails (examples/README.md). */
const PREFERRED = 'alerting.slo-burn-rate';

interface ReportCheck {
  id: string;
  title: string;
  status: string;
  upcoming?: boolean;
  exemption?: unknown;
}

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

  const readinessOfService = async (): Promise<
    { level: string; checks: ReportCheck[] } | undefined
  > => {
    const { body } = await api(
      'GET',
      '/operability/v1/entities/component/default/tax-calculator',
    );
    return body?.readiness ?? undefined;
  };

  it('tells the owners when an exemption that kept their service at gold is removed, and updates that notification when it is back', async () => {
    // The demo state this starts from: the service exempt from every check
    // that keeps it below gold (added through the API, as Alice) — in the
    // demo, its gold misses, the SLO burn-rate alert among them.
    const evaluated = await eventually('the service evaluated', () =>
      readinessOfService(),
    );
    const misses = evaluated.checks.filter(
      c =>
        ['fail', 'unknown'].includes(c.status) && !c.upcoming && !c.exemption,
    );
    const failing = misses.filter(c => c.status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    // The exemption she will remove: one of a check that fails.
    const check = failing.find(c => c.id === PREFERRED) ?? failing[0];
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const miss of misses) {
      const added = await api(
        'POST',
        '/operability/v1/entities/component/default/tax-calculator/exemptions',
        {
          checkId: miss.id,
          reason: 'Experimental engine, measured in the flag rollout',
          expiresAt,
        },
      );
      expect(added.status).toBe(201);
    }
    await eventually('the service at gold', async () =>
      (await readinessOfService())?.level === 'gold' ? true : undefined,
    );
    // Going up without a notification open sends nothing.
    expect(await notificationsOfService()).toEqual([]);

    // Alice removes that exemption on the service's Operability tab.
    await page.goto(`${backend.baseUrl}${TAB}`);
    const remove = page.getByRole('button', {
      name: `Remove the exemption of ${check.title}`,
    });
    await remove.waitFor({ timeout: 60_000 });
    await remove.click();
    await page.getByText('Exemption removed').waitFor();

    // The next cycle finds it below gold, failing the check: one
    // notification, on her notifications page.
    const level = await eventually('the service below gold', async () => {
      const now = (await readinessOfService())?.level;
      return now && now !== 'gold' ? now : undefined;
    });
    const droppedTitle = `Tax calculator dropped from gold to ${level}`;
    await reloadUntil(page, `${backend.baseUrl}/notifications`, () =>
      page
        .getByText(droppedTitle)
        .count()
        .then(n => n > 0),
    );
    await page
      .getByText(`Now failing: ${check.title}.`, { exact: false })
      .first()
      .waitFor();
    const [dropped, ...others] = await notificationsOfService();
    expect(others).toEqual([]);
    expect(dropped).toMatchObject({
      read: null,
      payload: {
        title: droppedTitle,
        description: expect.stringContaining(`Now failing: ${check.title}.`),
        link: TAB,
        severity: level === 'none' ? 'high' : 'normal',
      },
    });
    if (writeScreenshots) {
      await page.screenshot({
        path: path.join(screenshotsDir, 'notification.png'),
        fullPage: true,
      });
    }

    // She follows the link: the service's Operability tab.
    await page.getByText(droppedTitle).click();
    await page.waitForURL(url => url.pathname === TAB, { timeout: 30_000 });

    // She adds the exemption back, in the app.
    await page.getByRole('button', { name: 'Add exemption' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Check/ }).click();
    await page.getByRole('option', { name: `${check.title} (fail)` }).click();
    await dialog
      .locator('textarea#exemption-reason')
      .fill('Fixed with the next release');
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
    await page.getByText(`Exempted ${check.title}`).waitFor();

    // The same notification, updated: back at gold, unread again.
    await reloadUntil(page, `${backend.baseUrl}/notifications`, () =>
      page
        .getByText('Tax calculator is back at gold')
        .count()
        .then(n => n > 0),
    );
    expect(await page.getByText(droppedTitle).count()).toBe(0);
    const [updated, ...more] = await notificationsOfService();
    expect(more).toEqual([]);
    expect(updated).toMatchObject({
      id: dropped.id,
      read: null,
      payload: {
        title: 'Tax calculator is back at gold',
        description: expect.stringContaining(
          `No longer failing: ${check.title}.`,
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
