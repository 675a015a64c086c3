import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { repoRoot } from './backend';
import {
  binariesRequired,
  currentTestFile,
  flagSet,
  reportSkip,
} from './skips';

/** Debian's chromium, unless CHROMIUM_PATH names another. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the README's screenshots live. */
export const screenshotsDir = path.join(repoRoot, 'docs/screenshots');

/**
 * Whether the browser tests rewrite `docs/screenshots/*.png`: only when asked
 * (`OPSREADY_SCREENSHOTS=1`, as `npm run screenshots` does), so a test run
 * leaves the working tree clean.
 */
export const writeScreenshots = flagSet('OPSREADY_SCREENSHOTS');

/**
 * Whether browser tests can run: always when Chromium is installed. When it
 * is missing they fail if `OPSREADY_REQUIRE_BINARIES` is set (CI sets it) or
 * screenshots were asked for (`OPSREADY_SCREENSHOTS`); otherwise they are
 * skipped, reported in one line (`reportSkip`).
 */
export function browserAvailable(): boolean {
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
    return true;
  } catch {
    // missing or not executable
  }
  const reason = `${
    currentTestFile() ?? 'browser tests'
  }: ${chromiumPath} not installed (apt-get install chromium)`;
  if (binariesRequired()) {
    throw new Error(
      `${reason}, and OPSREADY_REQUIRE_BINARIES is set: the browser tests must run`,
    );
  }
  if (writeScreenshots) {
    throw new Error(`${reason}: screenshots need it`);
  }
  reportSkip(reason, 'OPSREADY_REQUIRE_BINARIES=1 makes this a failure');
  return false;
}

/**
 * Builds the demo frontend, so the backend serves it as in production, unless
 * `npm test` built it once for the whole run (`OPSREADY_APP_BUILT=1`): suites
 * run two at a time, and a build replaces `packages/app/dist` under the other
 * suite's running backend.
 */
export function buildApp() {
  if (process.env.OPSREADY_APP_BUILT === '1') {
    if (!fs.existsSync(path.join(repoRoot, 'packages/app/dist/index.html'))) {
      throw new Error('OPSREADY_APP_BUILT is set, but the app has no build');
    }
    return;
  }
  const result = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    throw new Error(`App build failed:\n${result.stdout}\n${result.stderr}`);
  }
  if (!fs.existsSync(path.join(repoRoot, 'packages/app/dist/index.html'))) {
    throw new Error('App build produced no index.html');
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens the app and signs in as guest, as a new user would. */
export async function signInAsGuest(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/`);
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.waitFor({ timeout: 60_000 });
  await enter.click();
  await page.getByText('Operability', { exact: true }).first().waitFor();
}

/**
 * Loads a page until a condition holds (two minutes at most), for data that
 * arrives in the background. On timeout the page's last state is saved as a
 * screenshot in the temp folder, named in the error.
 */
export async function reloadUntil(
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
      const shotPath = path.join(os.tmpdir(), `not-ready-${Date.now()}.png`);
      await page.screenshot({ path: shotPath, fullPage: true });
      throw new Error(`${url} never became ready (last seen: ${shotPath})`);
    }
    await page.waitForTimeout(2_000);
  }
}
