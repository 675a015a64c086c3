/* eslint-disable no-console */
/**
 * The database of a bench run: SQLite in memory, or PostgreSQL on the
 * loopback interface (never another host), in databases of the bench's own
 * named `opsready_bench_<random>_<name>`, dropped at the end.
 */
import type { JsonObject } from '@backstage/types';
import { randomBytes } from 'node:crypto';
import { knex as createKnex, type Knex } from 'knex';

export type BenchDatabaseKind = 'sqlite' | 'postgres';

/** The default: the development machine's PostgreSQL (trust, user postgres). */
export const DEFAULT_PG_CONNECTION = 'postgresql://postgres@127.0.0.1:5432';

export interface BenchDatabase {
  kind: BenchDatabaseKind;
  /** Where, for the output: `SQLite (in memory)` or `PostgreSQL 127.0.0.1:5432`. */
  label: string;
  /** A database of its own for `name` (created on PostgreSQL), with a client on it. */
  open(name: string): Promise<Knex>;
  /** `backend.database` for a backend whose plugins get databases of the bench's own. */
  backendConfig: JsonObject;
  /** Closes the clients and drops every database of this run. */
  cleanup(): Promise<void>;
}

/** Throws unless the connection string names the loopback interface. */
export function loopbackOnly(connection: string): URL {
  const url = new URL(connection);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(
      `the bench talks only to 127.0.0.1, not to ${url.hostname} (connection ${url.protocol}//${url.host})`,
    );
  }
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  return url;
}

export function benchDatabase(
  kind: BenchDatabaseKind,
  connection = DEFAULT_PG_CONNECTION,
): BenchDatabase {
  const clients: Knex[] = [];
  if (kind === 'sqlite') {
    return {
      kind,
      label: 'SQLite (in memory)',
      async open() {
        const knex = createKnex({
          client: 'better-sqlite3',
          connection: ':memory:',
          useNullAsDefault: true,
        });
        clients.push(knex);
        return knex;
      },
      backendConfig: { client: 'better-sqlite3', connection: ':memory:' },
      async cleanup() {
        await Promise.all(clients.map(c => c.destroy()));
      },
    };
  }
  const url = loopbackOnly(connection);
  const prefix = `opsready_bench_${randomBytes(4).toString('hex')}_`;
  const server = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
  const admin = () =>
    createKnex({
      client: 'pg',
      connection: { ...server, database: 'postgres' },
      pool: { min: 0, max: 1 },
    });
  return {
    kind,
    label: `PostgreSQL ${server.host}:${server.port}`,
    async open(name: string) {
      const database = `${prefix}${name}`;
      const a = admin();
      try {
        await a.raw(`create database "${database}"`);
      } finally {
        await a.destroy();
      }
      const knex = createKnex({
        client: 'pg',
        connection: { ...server, database },
        pool: { min: 0, max: 10 },
      });
      clients.push(knex);
      return knex;
    },
    backendConfig: {
      client: 'pg',
      connection: server,
      // One database per plugin: <prefix>operability, <prefix>catalog, ...
      prefix,
    },
    async cleanup() {
      await Promise.all(clients.map(c => c.destroy().catch(() => {})));
      const a = admin();
      try {
        const { rows } = await a.raw(
          'select datname from pg_database where datname like ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows as { datname: string }[]) {
          await a.raw(`drop database if exists "${datname}" with (force)`);
        }
      } finally {
        await a.destroy();
      }
    },
  };
}
