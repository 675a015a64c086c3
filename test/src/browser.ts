import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { repoRoot } from './backend';

/** Debian's chromium, unless CHROMIUM_PATH names another. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run. Outside CI a missing browser skips them with
 * the reason printed; in CI a missing browser is a failure, never a skip.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(chromiumPath)) return true;
  const reason = `Chromium not found at ${chromiumPath} (apt-get install chromium)`;
  if (process.env.CI)
    throw new Error(`${reason}: CI must run the browser tests`);
  // eslint-disable-next-line no-console
  console.warn(`Skipping browser tests: ${reason}`);
  return false;
}

/** Builds the demo frontend, so the backend serves it as in production. */
export function buildApp() {
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

export const screenshotsDir = path.join(repoRoot, 'docs/screenshots');
