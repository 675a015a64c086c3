import fs from 'fs';
import path from 'path';
import { repoRoot } from './backend';

/**
 * Whether tests that need a binary (Chromium here; Prometheus and
 * Alertmanager in the Prometheus module) fail when it is missing instead of
 * skipping: `OPSREADY_REQUIRE_BINARIES` set and not 0. CI sets it to 1.
 */
export function binariesRequired(): boolean {
  return flagSet('OPSREADY_REQUIRE_BINARIES');
}

/** Whether an on/off variable of ours is on: set, and neither empty nor 0. */
export function flagSet(name: string): boolean {
  const value = process.env[name] ?? '';
  return value !== '' && value !== '0';
}

/**
 * Reports a skip in one line (what was skipped and why). Under `npm test`
 * (`OPSREADY_SKIP_REPORT` names a file) the line goes to that file, and
 * `npm test` prints it in its summary at the end; otherwise it is written to
 * stderr at once, with `stderrNote` (npm test's summary has its own). Not
 * `console.warn`: Jest prints no console output of a test file whose tests
 * were all skipped.
 */
export function reportSkip(reason: string, stderrNote?: string): void {
  const file = process.env.OPSREADY_SKIP_REPORT;
  if (file) {
    try {
      fs.appendFileSync(file, `${reason}\n`);
      return;
    } catch {
      // fall back to stderr
    }
  }
  process.stderr.write(
    `SKIPPED ${reason}${stderrNote ? `; ${stderrNote}` : ''}\n`,
  );
}

/** The running test file, relative to the repository root, for skip reasons. */
export function currentTestFile(): string | undefined {
  try {
    const testPath = expect.getState().testPath;
    return testPath ? path.relative(repoRoot, testPath) : undefined;
  } catch {
    return undefined;
  }
}
