import { randomBytes } from 'crypto';
import { knex, Knex } from 'knex';
import path from 'path';
import { repoRoot, RunningBackend, startDemoBackend } from './backend';
import { reportSkip } from './skips';
import { SlowAlertmanager, startSlowAlertmanager } from './slowAlertmanager';

jest.setTimeout(360_000);

/** The PostgreSQL server that `TestDatabases` is pointed at, if any. */
const connectionString = Object.entries(process.env).find(([key]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
)?.[1];

if (!connectionString) {
  reportSkip(
    'test/src/crash.test.ts (kill -9 during a readiness cycle): no PostgreSQL (set BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING, see the README)',
  );
}

const run = connectionString ? describe : describe.skip;

/** How long the fake Alertmanager takes to answer: every cycle lasts at least this. */
const SLOW_SOURCE_MS = 6_000;
/** `operability.readiness.schedule.timeout`: how long a dead replica's task lock holds. */
const TASK_TIMEOUT_S = 20;
/** Backstage's scheduler frees expired task locks once a minute (its janitor). */
const JANITOR_PERIOD_MS = 60_000;
const CYCLE_TASK_ID = 'operability-readiness-cycle';

interface LoggedCycle {
  end: number;
  durationMs: number;
  entities: number;
}

/** Full cycles a backend logged: `<time> ... Readiness cycle: N entities in M ms`. */
function cyclesOf(output: string): LoggedCycle[] {
  const cycles: LoggedCycle[] = [];
  // eslint-disable-next-line no-control-regex
  for (const line of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const match = line.match(
      /^(\S+Z)\s.*Readiness cycle: (\d+) entities in (\d+) ms/,
    );
    if (match) {
      cycles.push({
        end: Date.parse(match[1]),
        entities: Number(match[2]),
        durationMs: Number(match[3]),
      });
    }
  }
  return cycles;
}

async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  diagnostics: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}\n${diagnostics()}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

/** What the plugin stored, as rows (timestamps as ISO strings). */
async function readStore(db: Knex) {
  const iso = (rows: Record<string, unknown>[]) =>
    rows.map(row =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          v instanceof Date ? v.toISOString() : v,
        ]),
      ),
    );
  return {
    reports: iso(await db('operability_reports').orderBy('entity_ref')),
    history: iso(
      await db('operability_history')
        .select('entity_ref', 'time', 'score', 'level')
        .orderBy(['entity_ref', 'time']),
    ),
    exemptions: iso(await db('operability_exemptions').orderBy('id')),
    facts: iso(
      await db('operability_facts').orderBy(['entity_ref', 'provider']),
    ),
  };
}

/**
 * kill -9 of the real demo backend in the middle of a readiness cycle, on
 * PostgreSQL: what the store holds is exactly what the last completed cycle
 * wrote (one transaction per cycle: nothing half-written), and a restarted
 * backend runs the next cycle once the dead process's task lock has expired
 * (`operability.readiness.schedule.timeout`) and Backstage's scheduler has
 * freed it, not after the default five minutes or never.
 *
 * Every cycle reads the Alertmanager configuration from a fake that answers
 * after SLOW_SOURCE_MS, so a cycle is in progress while the fake holds its
 * request: that is when the backend's process group is killed.
 */
run('kill -9 during a readiness cycle (PostgreSQL)', () => {
  const prefix = `opsready_crash_${randomBytes(4).toString('hex')}_`;
  let alertmanager: SlowAlertmanager | undefined;
  const backends: RunningBackend[] = [];
  let admin: Knex | undefined;
  let db: Knex | undefined;

  afterAll(async () => {
    await Promise.all(backends.map(b => b.stop()));
    await alertmanager?.stop();
    await db?.destroy();
    if (admin) {
      const { rows } = await admin.raw(
        'select datname from pg_database where datname like ?',
        [`${prefix}%`],
      );
      for (const { datname } of rows) {
        await admin.raw(`drop database if exists "${datname}" with (force)`);
      }
      await admin.destroy();
    }
  });

  it('keeps reports and history whole, and runs the next cycle once the lock expires', async () => {
    alertmanager = await startSlowAlertmanager({
      configFile: path.join(repoRoot, 'examples/prometheus/alertmanager.yml'),
      delayMs: SLOW_SOURCE_MS,
    });
    const extraConfig = [
      'backend:',
      '  database:',
      '    client: pg',
      `    connection: ${JSON.stringify(connectionString)}`,
      `    prefix: ${prefix}`,
      'operability:',
      '  alertmanager:',
      `    url: ${alertmanager.url}`,
      '  readiness:',
      '    schedule:',
      '      frequency: { seconds: 2 }',
      // A string, so that it replaces app-config.yaml's { minutes: 2 }
      // instead of merging with it.
      `      timeout: PT${TASK_TIMEOUT_S}S`,
      '      initialDelay: { seconds: 1 }',
      '',
    ].join('\n');
    admin = knex({ client: 'pg', connection: connectionString });
    const url = new URL(connectionString!);
    url.pathname = `/${prefix}operability`;

    const first = await startDemoBackend({ extraConfig, timeoutMs: 150_000 });
    backends.push(first);
    const firstLog = () => first.output().slice(-5000);

    // A completed cycle over the whole demo catalog (the catalog fills in
    // over the first seconds), then the next one in progress: its request
    // to the slow Alertmanager is held.
    const completed = await waitFor(
      'a completed readiness cycle over the demo catalog',
      () => cyclesOf(first.output()).find(c => c.entities >= 10),
      120_000,
      firstLog,
    );
    const held = await waitFor(
      'a readiness cycle in progress after it',
      () => {
        const requests = alertmanager!.requests();
        const last = requests[requests.length - 1];
        return last && last.start > completed.end && last.end === undefined
          ? last
          : undefined;
      },
      30_000,
      firstLog,
    );
    db = knex({ client: 'pg', connection: url.toString() });
    // What the completed cycles wrote (the one in progress has written nothing).
    const lastCycle = cyclesOf(first.output()).pop()!;
    const before = await readStore(db);
    expect(before.reports.length).toBeGreaterThanOrEqual(10);
    expect(before.history.length).toBeGreaterThanOrEqual(10);

    // kill -9, mid-cycle.
    expect(alertmanager.requests().find(r => r.start === held.start)?.end).toBe(
      undefined,
    );
    process.kill(-first.pid, 'SIGKILL');
    const killedAt = Date.now();
    await first.stop();
    backends.splice(backends.indexOf(first), 1);

    // The store is what the last completed cycle left: whole, nothing half-written.
    const afterKill = await readStore(db);
    expect(afterKill).toEqual(before);
    const evaluatedAt = new Set(
      afterKill.reports.map(r => String(r.evaluated_at)),
    );
    expect(evaluatedAt.size).toBe(1);
    expect(
      Math.abs(Date.parse([...evaluatedAt][0]) - lastCycle.end),
    ).toBeLessThan(lastCycle.durationMs + 2000);
    // The dead process still holds the task's lock, until it expires.
    const lock = await db('backstage_backend_tasks__tasks')
      .where({ id: CYCLE_TASK_ID })
      .first();
    expect(lock?.current_run_ticket).toBeTruthy();
    const expiresAt = new Date(lock.current_run_expires_at).getTime();
    const claimedAt = new Date(lock.current_run_started_at).getTime();
    // The lock lasts the configured timeout (or less, if the plugin derives a
    // shorter one from measured cycle times).
    expect(expiresAt - claimedAt).toBeLessThanOrEqual(TASK_TIMEOUT_S * 1000);

    // Restart on the same database.
    const second = await startDemoBackend({ extraConfig, timeoutMs: 150_000 });
    backends.push(second);
    const restartedAt = Date.now();
    const bound = expiresAt + JANITOR_PERIOD_MS + SLOW_SOURCE_MS + 15_000;
    const next = await waitFor(
      'the first readiness cycle after the restart',
      () => cyclesOf(second.output())[0],
      Math.max(bound - Date.now(), 10_000),
      () => second.output().slice(-5000),
    );
    const nextStart = next.end - next.durationMs;
    const timings = {
      lockHeldForMs: expiresAt - claimedAt,
      killedAfterClaimMs: killedAt - claimedAt,
      restartTookMs: restartedAt - killedAt,
      nextCycleStartedAfterKillMs: nextStart - killedAt,
      nextCycleStartedAfterLockExpiryMs: nextStart - expiresAt,
      nextCycleMs: next.durationMs,
    };
    // eslint-disable-next-line no-console
    console.log(`kill -9 during a cycle: ${JSON.stringify(timings)}`);
    // Not before the lock expired (one cycle at a time), and within the
    // scheduler's janitor period after it.
    expect(nextStart).toBeGreaterThanOrEqual(expiresAt - 1000);
    expect(nextStart - expiresAt).toBeLessThan(JANITOR_PERIOD_MS + 5000);
    expect(
      second.output().includes(`Task timed out and was lost: ${CYCLE_TASK_ID}`),
    ).toBe(true);

    // The next cycle went on from the stored state: nothing was lost.
    const after = await readStore(db);
    expect(after.reports.map(r => r.entity_ref)).toEqual(
      before.reports.map(r => r.entity_ref),
    );
    expect(after.history).toEqual(expect.arrayContaining(before.history));
    expect(after.exemptions).toEqual(before.exemptions);
  });
});
