import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases the plugin's tests run on: SQLite always, PostgreSQL when a
 * `BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING` is set. (MySQL is
 * left out: the plugin does not support it.)
 */
export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: [
      'POSTGRES_18',
      'POSTGRES_17',
      'POSTGRES_16',
      'POSTGRES_15',
      'POSTGRES_14',
      'POSTGRES_13',
      'SQLITE_3',
    ],
  });
}
