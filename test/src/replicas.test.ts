import { randomBytes } from 'crypto';
import { knex, Knex } from 'knex';
import path from 'path';
import { repoRoot, RunningBackend, startDemoBackend } from './backend';
import { reportSkip } from './skips';
import { SlowAlertmanager, startSlowAlertmanager } from './slowAlertmanager';

jest.setTimeout(240_000);

/** The PostgreSQL server that `TestDatabases` is pointed at, if any. */
const connectionString = Object.entries(process.env).find(([key]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
)?.[1];

if (!connectionString) {
  const reason =
    'test/src/replicas.test.ts: no PostgreSQL (set BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING, see the README)';
  reportSkip(reason);
}

const run = connectionString ? describe : describe.skip;

/**
 * How long the fake Alertmanager takes to answer, so how long every readiness
 * cycle lasts at least: with cycles due every second, two replicas without a
 * shared lock would each run one cycle after another and overlap all the time.
 */
const SLOW_SOURCE_MS = 1_500;
/** How long both replicas run side by side once the second is up. */
const OBSERVE_MS = 15_000;
/** Cycles that must end while both replicas run, or the check proves nothing. */
const MIN_CYCLES_TOGETHER = 6;

interface Cycle {
  replica: number;
  start: number;
  end: number;
  durationMs: number;
}

/** Cycle intervals a backend logged: `<time> ... Readiness cycle: N entities in M ms`. */
function cyclesOf(output: string, replica: number): Cycle[] {
  const cycles: Cycle[] = [];
  // eslint-disable-next-line no-control-regex
  for (const line of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const match = line.match(
      /^(\S+Z)\s.*Readiness cycle: \d+ entities in (\d+) ms/,
    );
    if (match) {
      // The line is logged as the cycle ends; the task lock is released
      // after that, so the logged interval lies within the locked one.
      const end = Date.parse(match[1]);
      const durationMs = Number(match[2]);
      cycles.push({ replica, start: end - durationMs, end, durationMs });
    }
  }
  return cycles;
}

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);
const describeCycle = (c: Cycle) =>
  `replica ${c.replica} ${time(c.start)}-${time(c.end)}`;

/**
 * Two real demo backends on one PostgreSQL: the readiness cycle is a global
 * scheduled task, so only one replica runs a cycle at a time, and history
 * gets one point per change, not one per replica.
 *
 * Demo cycles take tens of milliseconds, so overlaps would be rare even
 * without the lock. Both backends therefore read their Alertmanager
 * configuration (`operability.alertmanager.url`, config only this test sets)
 * from a fake Alertmanager that answers after SLOW_SOURCE_MS, and a cycle is
 * due every second: without the lock, each replica runs its cycles back to
 * back and the two overlap within seconds (a local-scope task fails this test).
 */
run('two backend replicas on one PostgreSQL', () => {
  const prefix = `opsready_replicas_${randomBytes(4).toString('hex')}_`;
  let replicas: RunningBackend[] = [];
  let alertmanager: SlowAlertmanager | undefined;
  let admin: Knex;
  /** When the second replica answered its health check. */
  let bothUp = 0;

  beforeAll(async () => {
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
      '      frequency: { seconds: 1 }',
      '      timeout: { minutes: 1 }',
      '      initialDelay: { seconds: 1 }',
      '',
    ].join('\n');
    // One after the other, as a rolling deployment starts them (each within
    // 100 s, so that both fit in the hook's timeout).
    replicas.push(await startDemoBackend({ extraConfig, timeoutMs: 100_000 }));
    replicas.push(await startDemoBackend({ extraConfig, timeoutMs: 100_000 }));
    bothUp = Date.now();
    admin = knex({ client: 'pg', connection: connectionString });
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
    await alertmanager?.stop();
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
    replicas = [];
  });

  it('runs one readiness cycle at a time and writes no duplicate history points', async () => {
    await new Promise(r => setTimeout(r, OBSERVE_MS));

    const [a, b] = replicas.map((r, i) => cyclesOf(r.output(), i + 1));
    const all = [...a, ...b].sort((x, y) => x.start - y.start);
    const overlapping = a.flatMap(x =>
      b
        .filter(y => x.start < y.end && y.start < x.end)
        .map(y => `${describeCycle(x)} overlaps ${describeCycle(y)}`),
    );
    // Without the slow source the cycles would be too short to tell.
    const tooShort = all
      .filter(c => c.durationMs < SLOW_SOURCE_MS)
      .map(c => `${describeCycle(c)} took ${c.durationMs} ms`);
    const together = all.filter(c => c.end >= bothUp).length;
    // Both replicas were in the race all along: each scheduled the cycle and
    // still answers. Which of them runs the cycles is up to the lock (the one
    // that finishes a cycle usually claims the next), so one replica may run
    // them all; without the lock, each runs its own back to back.
    const scheduled = replicas.map(r =>
      r
        .output()
        .includes('Registered scheduled task: operability-readiness-cycle'),
    );
    const healthy = await Promise.all(
      replicas.map(async r => {
        const res = await fetch(`${r.baseUrl}/api/operability/health`);
        return res.ok;
      }),
    );
    const summary = `replica 1 ran ${a.length} cycles, replica 2 ${
      b.length
    }, ${together} of them ended with both up; the fake Alertmanager answered ${
      alertmanager!.requests().length
    } status requests, at most ${alertmanager!.maxInFlight()} at once`;
    // eslint-disable-next-line no-console
    console.log(summary);
    try {
      expect({
        scheduled,
        healthy,
        cyclesWithBothUp: together >= MIN_CYCLES_TOGETHER,
        tooShort,
        overlapping,
        // The same from the source's side: one cycle at a time reads it.
        statusRequestsAtOnce: alertmanager!.maxInFlight(),
      }).toEqual({
        scheduled: [true, true],
        healthy: [true, true],
        cyclesWithBothUp: true,
        tooShort: [],
        overlapping: [],
        statusRequestsAtOnce: 1,
      });
    } catch (error) {
      // eslint-disable-next-line no-console
      console.log(
        [
          'Readiness cycles as the replicas logged them:',
          ...all.map(c => `  ${describeCycle(c)} (${c.durationMs} ms)`),
        ].join('\n'),
      );
      throw error;
    }

    const url = new URL(connectionString!);
    url.pathname = `/${prefix}operability`;
    const db = knex({ client: 'pg', connection: url.toString() });
    try {
      const points: {
        entity_ref: string;
        score: number;
        level: string;
        time: Date;
      }[] = await db('operability_history').orderBy([
        'entity_ref',
        'time',
        'id',
      ]);
      expect(points.length).toBeGreaterThan(0);
      // A point is written when score or level changes (or a day begins):
      // two points in a row for one entity with the same values mean two
      // replicas recorded the same change.
      const duplicates = points.filter((p, i) => {
        const previous = points[i - 1];
        return (
          previous &&
          previous.entity_ref === p.entity_ref &&
          previous.score === p.score &&
          previous.level === p.level &&
          previous.time.toISOString().slice(0, 10) ===
            p.time.toISOString().slice(0, 10)
        );
      });
      expect(duplicates).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
