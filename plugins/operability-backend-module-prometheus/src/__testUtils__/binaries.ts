import { ChildProcess, spawn } from 'child_process';
import { accessSync, constants } from 'fs';
import { createServer, Server } from 'http';
import type { AddressInfo } from 'net';

/** The Debian binaries (CI installs them with apt); overridable for other layouts. */
export const BINARIES = {
  prometheus: process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus',
  alertmanager:
    process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager',
  amtool: process.env.AMTOOL_BIN ?? '/usr/bin/amtool',
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

/**
 * Whether to run tests that need the binaries: always when they are there;
 * when they are missing, skip with a printed reason — except in CI (`CI`
 * set), where the suite runs and fails on the missing binary.
 */
export function realBinariesGate(names: (keyof typeof BINARIES)[]): {
  run: boolean;
  missing: string[];
} {
  const missing = missingBinaries(names);
  if (missing.length > 0 && !process.env.CI) {
    // eslint-disable-next-line no-console
    console.warn(
      `SKIPPED: tests against the real Prometheus/Alertmanager need ${missing.join(
        ', ',
      )} (apt-get install prometheus prometheus-alertmanager). In CI (CI set) they fail instead.`,
    );
    return { run: false, missing };
  }
  return { run: true, missing };
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
