import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

// These tests run from source, never from a build, so __dirname is the source folder.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../..');

/** A free TCP port on loopback, so tests never collide with a running dev server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningBackend {
  baseUrl: string;
  /** The process group's id (the backend runs in a group of its own). */
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the real demo backend (`yarn workspace backend start`) with the repo's
 * app-config.yaml and an extra config file that moves it to a free port, and
 * resolves once its operability health route answers.
 */
export async function startDemoBackend(
  options: {
    extraConfig?: string;
    timeoutMs?: number;
    /** Serve the built app from the backend's own URL (as in production). */
    appOnBackendUrl?: boolean;
  } = {},
): Promise<RunningBackend> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsready-e2e-'));
  const configFile = path.join(dir, 'app-config.test.yaml');
  fs.writeFileSync(
    configFile,
    [
      `backend:\n  baseUrl: ${baseUrl}\n  listen:\n    port: ${port}\n`,
      options.appOnBackendUrl ? `app:\n  baseUrl: ${baseUrl}\n` : '',
    ].join(''),
  );
  // The caller's config in a file of its own, merged over the others.
  const extraConfigFile = path.join(dir, 'app-config.extra.yaml');
  fs.writeFileSync(extraConfigFile, options.extraConfig ?? '');

  let output = '';
  const child: ChildProcess = spawn(
    'yarn',
    [
      'workspace',
      'backend',
      'start',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
      '--config',
      extraConfigFile,
    ],
    {
      cwd: repoRoot,
      detached: true, // its own process group, so stop() ends the whole tree
      // Jest sets NODE_ENV=test; the demo backend runs as in development (guest sign-in).
      env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );

  /** Sends a signal to the whole process group; false when none of it is left. */
  const signalGroup = (signal: NodeJS.Signals | 0) => {
    try {
      process.kill(-child.pid!, signal);
      return true;
    } catch {
      return false; // already gone
    }
  };
  const stop = async () => {
    if (child.pid) {
      signalGroup('SIGTERM');
      // yarn exits at once, the backend under it only once it has shut down:
      // wait for the whole group, so that nothing outlives stop() (and, say,
      // keeps using a database the caller drops next).
      const waitForGroup = async (ms: number) => {
        const deadline = Date.now() + ms;
        while (signalGroup(0) && Date.now() < deadline) {
          await new Promise(r => setTimeout(r, 100));
        }
      };
      await waitForGroup(10_000);
      if (signalGroup('SIGKILL')) await waitForGroup(5_000);
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 150_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The backend exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/operability/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The backend did not become ready:\n${output}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
  return { baseUrl, pid: child.pid!, output: () => output, stop };
}

/** A guest user's token, as the app's guest sign-in obtains it. */
export async function guestToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}
