import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { catalogModuleOperability } from './module';

const ENTITIES = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: alice }
spec: { memberOf: [payments] }
---
apiVersion: operability.io/v1alpha1
kind: Schedule
metadata: { name: good }
spec:
  owner: group:default/payments
  timeZone: Europe/Berlin
  handoff: { start: 2026-01-05T09:00, turn: P1W }
  primary: [user:default/alice]
  secondary: next-in-rotation
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: svc
  annotations: { operability.io/on-call-schedule: good }
spec: { type: service, lifecycle: production, owner: payments }
---
apiVersion: operability.io/v1alpha1
kind: Schedule
metadata: { name: bad }
spec:
  owner: group:default/payments
  timeZone: Mars/Olympus
  handoff: { start: 2026-01-05T09:00, turn: P1W }
  primary: [user:default/alice]
`;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('catalogModuleOperability', () => {
  const databases = TestDatabases.create({
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
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'operability-catalog-'));
    fs.writeFileSync(path.join(dir, 'entities.yaml'), ENTITIES);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(databases.eachSupportedId())(
    'ingests valid Schedules with their owner relation and records errors on invalid ones (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleOperability,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [
                  {
                    allow: [
                      'Group',
                      'User',
                      'Schedule',
                      'Location',
                      'Component',
                    ],
                  },
                ],
                locations: [
                  { type: 'file', target: path.join(dir, 'entities.yaml') },
                ],
                processingInterval: { seconds: 1 },
              },
            },
          }),
        ],
      });
      const server = backend.server;
      try {
        const schedule = await waitFor('the good schedule', async () => {
          const res = await request(server).get(
            '/api/catalog/entities/by-name/schedule/default/good',
          );
          // Owner and covered-entity relations both in place.
          return res.status === 200 && res.body.relations?.length >= 2
            ? res.body
            : undefined;
        });
        expect(schedule.spec.timeZone).toBe('Europe/Berlin');
        expect(schedule.relations).toEqual(
          expect.arrayContaining([
            { type: 'ownedBy', targetRef: 'group:default/payments' },
            { type: 'onCallScheduleOf', targetRef: 'component:default/svc' },
          ]),
        );
        const svc = await request(server).get(
          '/api/catalog/entities/by-name/component/default/svc',
        );
        expect(svc.body.relations).toEqual(
          expect.arrayContaining([
            { type: 'hasOnCallSchedule', targetRef: 'schedule:default/good' },
          ]),
        );
        const group = await request(server).get(
          '/api/catalog/entities/by-name/group/default/payments',
        );
        expect(group.body.relations).toEqual(
          expect.arrayContaining([
            { type: 'ownerOf', targetRef: 'schedule:default/good' },
          ]),
        );

        // The invalid Schedule is not served, and the catalog keeps the error on it.
        const errors = await waitFor(
          'the error on the bad schedule',
          async () => {
            const row = await knex('refresh_state')
              .where({ entity_ref: 'schedule:default/bad' })
              .first();
            return row?.errors && row.errors !== '[]'
              ? String(row.errors)
              : undefined;
          },
        );
        expect(errors).toContain('spec.timeZone: must be an IANA time zone');
        const bad = await request(server).get(
          '/api/catalog/entities/by-name/schedule/default/bad',
        );
        expect(bad.status).toBe(404);
      } finally {
        await backend.stop();
      }
    },
    60_000,
  );
});
