import { ChildProcess, spawn } from 'child_process';
import { accessSync, appendFileSync, constants } from 'fs';
import { createServer, Server } from 'http';
import type { AddressInfo } from 'net';
import { relative as relativePath, resolve as resolvePath } from 'path';

/** The Debian binaries (CI installs them with apt); overridable for other layouts. */
export const BINARIES = {
  prometheus: process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus',
  alertmanager:
    process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager',
  amtool: process.env.AMTOOL_BIN ?? '/usr/bin/amtool',
  promtool: process.env.PROMTOOL_BIN ?? '/usr/bin/promtool',
};

/** The Debian package that installs each binary. */
const PACKAGES: Record<keyof typeof BINARIES, string> = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  alertmanager: 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
};

/** Binaries that are not installed (executable). */
export function missingBinaries(names: (keyof typeof BINARIES)[]): string[] {
  return names
    .map(n => BINARIES[n])
    .filter(path => {
      try {
        accessSync(path, constants.X_OK);
        return false;
      } catch {
        return true;
      }
    });
}

// The repository root (source layout: <root>/plugins/<package>/src/__testUtils__).
// eslint-disable-next-line no-restricted-syntax
const repoRoot = resolvePath(__dirname, '../../../..');

/** The running test file, relative to the repository root. */
function currentTestFile(): string | undefined {
  try {
    const testPath = expect.getState().testPath;
    return testPath ? relativePath(repoRoot, testPath) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether to run tests that need the binaries: always when they are there.
 * When some are missing:
 *
 * - with `OPSREADY_REQUIRE_BINARIES` set (CI sets it to 1), it throws, so the
 *   test file fails and names what is missing: never a silent skip;
 * - otherwise it reports one line (what is missing, how to install it; see
 *   `reportSkip`) and answers `run: false`, for
 *   `(gate.run ? describe : describe.skip)(…)`.
 *
 * `suite` names the skipped tests in those lines; by default the test file.
 */
export function realBinariesGate(
  names: (keyof typeof BINARIES)[],
  suite?: string,
): {
  run: boolean;
  missing: string[];
} {
  const missing = missingBinaries(names);
  if (missing.length === 0) return { run: true, missing };
  const packages = [
    ...new Set(
      names.filter(n => missing.includes(BINARIES[n])).map(n => PACKAGES[n]),
    ),
  ];
  const what = suite ?? currentTestFile() ?? 'tests of the real binaries';
  const reason = `${what}: ${missing.join(
    ', ',
  )} not installed (apt-get install ${packages.join(' ')})`;
  if (binariesRequired()) {
    throw new Error(
      `${reason}, and OPSREADY_REQUIRE_BINARIES is set: these tests must run`,
    );
  }
  reportSkip(reason);
  return { run: false, missing };
}

/** Whether missing binaries fail the tests (`OPSREADY_REQUIRE_BINARIES` set, not 0). */
function binariesRequired(): boolean {
  const value = process.env.OPSREADY_REQUIRE_BINARIES ?? '';
  return value !== '' && value !== '0';
}

/**
 * Reports a skip in one line. Under `npm test` (`OPSREADY_SKIP_REPORT` names
 * a file) the line goes to that file, and `npm test` prints it in its summary
 * at the end; otherwise it is written to stderr at once. Not `console.warn`:
 * Jest prints no console output of a test file whose tests were all skipped.
 */
function reportSkip(reason: string): void {
  const file = process.env.OPSREADY_SKIP_REPORT;
  if (file) {
    try {
      appendFileSync(file, `${reason}\n`);
      return;
    } catch {
      // fall back to stderr
    }
  }
  process.stderr.write(
    `SKIPPED ${reason}; OPSREADY_REQUIRE_BINARIES=1 makes this a failure\n`,
  );
}

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

/** Listens on 127.0.0.1 on an ephemeral port; returns the port. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes a server, dropping open connections. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
}

/** A started binary and its output so far (for failure messages). */
export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a binary; its output is kept (last 20 kB) for diagnostics. */
export function startBinary(
  path: string,
  args: string[],
  cwd: string,
): Running {
  const child = spawn(path, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>(resolve => {
    child.on('exit', code => resolve(code));
    child.on('error', () => resolve(null));
  });
  return { child, output: () => out, exited };
}

/** Stops a binary (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
export async function stopBinary(running: Running | undefined): Promise<void> {
  if (
    !running ||
    running.child.exitCode !== null ||
    running.child.signalCode !== null
  )
    return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 5000);
  await running.exited;
  clearTimeout(timer);
}

/** Polls until `check` is true, at most `timeoutMs`; throws naming `what`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  diagnostics?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${
      lastError ? ` (last error: ${lastError})` : ''
    }${diagnostics ? `\n--- output ---\n${diagnostics()}` : ''}`,
  );
}

/** GET a URL and parse JSON (test helper). */
export async function getJson(url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}
