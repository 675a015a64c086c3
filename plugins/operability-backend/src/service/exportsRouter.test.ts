import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import type { ScorecardRow } from '@opsready/plugin-operability-common';
import express from 'express';
import request from 'supertest';
import { createExportsRouter } from './exportsRouter';
import type { OperabilityQueries } from './queries';

const row = (i: number): ScorecardRow => ({
  entityRef: `component:default/svc-${i}`,
  title: i === 1 ? '=cmd|"/c calc"!A1' : `Service ${i}, the ${i}th`,
  kind: 'Component',
  owner: { declared: 'group:default/team', ref: 'group:default/team' },
  onCall: null,
  score: i,
  level: 'bronze',
  evaluatedAt: '2026-03-02T09:00:00.000Z',
  failedChecks: ['has-runbook', 'has-alerts'],
});

describe('createExportsRouter', () => {
  it('streams every page of the scorecards as CSV, one at a time', async () => {
    const asked: unknown[] = [];
    const queries = {
      async *allScorecards(query: unknown) {
        asked.push(query);
        for (let page = 0; page < 3; page++) {
          yield [row(page * 2 + 1), row(page * 2 + 2)];
        }
      },
    } as unknown as OperabilityQueries;
    const app = express()
      .use(
        await createExportsRouter({
          httpAuth: mockServices.httpAuth(),
          queries,
          snapshot: {} as any,
          scheduleOnCall: {} as any,
        }),
      )
      .use(mockErrorHandler());
    const res = await request(app).get('/v1/scorecards.csv?level=bronze');
    expect(res.status).toBe(200);
    expect(asked).toEqual([{ level: 'bronze', sort: 'name', order: 'asc' }]);
    const lines = res.text.split('\r\n');
    expect(lines).toHaveLength(1 + 6 + 1);
    expect(lines[1]).toBe(
      `component:default/svc-1,"'=cmd|""/c calc""!A1",group:default/team,,1,bronze,has-runbook has-alerts`,
    );
    expect(lines[2]).toBe(
      'component:default/svc-2,"Service 2, the 2th",group:default/team,,2,bronze,has-runbook has-alerts',
    );
    expect(lines[7]).toBe('');
  });

  it('answers a failure of the first page as an error, not a cut file', async () => {
    const queries = {
      // eslint-disable-next-line require-yield
      async *allScorecards() {
        throw new Error('database down');
      },
    } as unknown as OperabilityQueries;
    const app = express()
      .use(
        await createExportsRouter({
          httpAuth: mockServices.httpAuth(),
          queries,
          snapshot: {} as any,
          scheduleOnCall: {} as any,
        }),
      )
      .use(mockErrorHandler());
    const res = await request(app).get('/v1/scorecards.csv');
    expect(res.status).toBe(500);
    expect(res.headers['content-disposition']).toBeUndefined();
  });
});
