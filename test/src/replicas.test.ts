import { randomBytes } from 'crypto';
import { knex, Knex } from 'knex';
import { RunningBackend, startDemoBackend } from './backend';

jest.setTimeout(240_000);

/** The PostgreSQL server that `TestDatabases` is pointed at, if any. */
const connectionString = Object.entries(process.env).find(([key]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key),
)?.[1];

if (!connectionString) {
  // eslint-disable-next-line no-console
  console.warn(
    'Skipping the two-replica test: no BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING is set',
  );
}

const run = connectionString ? describe : describe.skip;

/** Cycle intervals a backend logged: `Readiness cycle: N entities in M ms`. */
function cyclesOf(output: string): { start: number; end: number }[] {
  const cycles: { start: number; end: number }[] = [];
  // eslint-disable-next-line no-control-regex
  for (const line of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const match = line.match(
      /^(\S+Z)\s.*Readiness cycle: \d+ entities in (\d+) ms/,
    );
    if (match) {
      const end = Date.parse(match[1]);
      cycles.push({ start: end - Number(match[2]), end });
    }
  }
  return cycles;
}

/**
 * Two real demo backends on one PostgreSQL: the readiness cycle is a global
 * scheduled task, so the replicas take turns, and history gets one point per
 * change, not one per replica.
 */
run('two backend replicas on one PostgreSQL', () => {
  const prefix = `opsready_replicas_${randomBytes(4).toString('hex')}_`;
  let replicas: RunningBackend[] = [];
  let admin: Knex;

  beforeAll(async () => {
    const extraConfig = [
      'backend:',
      '  database:',
      '    client: pg',
      `    connection: ${JSON.stringify(connectionString)}`,
      `    prefix: ${prefix}`,
      'operability:',
      '  readiness:',
      '    schedule:',
      '      frequency: { seconds: 2 }',
      '      timeout: { minutes: 1 }',
      '      initialDelay: { seconds: 1 }',
      '',
    ].join('\n');
    // One after the other, as a rolling deployment starts them.
    replicas.push(await startDemoBackend({ extraConfig }));
    replicas.push(await startDemoBackend({ extraConfig }));
    admin = knex({ client: 'pg', connection: connectionString });
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
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

  it('takes turns running cycles and writes no duplicate history points', async () => {
    // Let both replicas schedule a good number of cycles.
    await new Promise(r => setTimeout(r, 20_000));

    const [a, b] = replicas.map(r => cyclesOf(r.output()));
    const overlapping = a.filter(x =>
      b.some(y => x.start < y.end && y.start < x.end),
    );
    expect({ cycles: a.length + b.length >= 4, overlapping }).toEqual({
      cycles: true,
      overlapping: [],
    });

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
