import { guestToken, RunningBackend, startDemoBackend } from './backend';

jest.setTimeout(300_000);

/**
 * The demo's campaigns (app-config.yaml) on the real demo backend: their
 * counts agree with the check results of the entity reports, service by
 * service, and the check announced for later is upcoming.
 */
describe('demo campaigns', () => {
  let backend: RunningBackend;
  let token: string;

  const get = async (path: string) => {
    const res = await fetch(`${backend.baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.json() };
  };

  const eventually = async <T>(probe: () => Promise<T | undefined>) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise(r => setTimeout(r, 1_000));
    }
  };

  /** Every production Component's entity report, by ref. */
  const reports = new Map<string, any>();

  beforeAll(async () => {
    backend = await startDemoBackend();
    token = await guestToken(backend.baseUrl);
    // The catalog ingests and the cycle evaluates in the background: wait
    // until every demo Component has a report.
    await eventually(async () => {
      const res = await get('/api/operability/v1/scorecards?limit=1');
      return res.status === 200 && res.body.total >= 24 ? true : undefined;
    });
    const { body: production } = await get(
      '/api/catalog/entities/by-query?filter=kind=component,spec.lifecycle=production&limit=500',
    );
    for (const entity of production.items) {
      const name = entity.metadata.name;
      const { status, body } = await get(
        `/api/operability/v1/entities/component/default/${name}`,
      );
      if (status !== 200) throw new Error(`${name}: ${status}`);
      reports.set(`component:default/${name}`, body);
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const statusOf = (report: any, checkId: string) =>
    report.readiness.checks.find((c: any) => c.id === checkId)?.status;

  it('counts "Every critical alert has a runbook" as the entity reports say', async () => {
    const { body } = await get('/api/operability/v1/campaigns');
    const campaign = body.items.find(
      (c: any) => c.id === 'runbooks-for-criticals',
    );
    const open = [...reports.values()]
      .filter(
        r =>
          !['pass', 'exempt', 'not-applicable', undefined].includes(
            statusOf(r, 'alerting.runbooks'),
          ),
      )
      .map(r => r.entityRef)
      .sort();
    expect(campaign).toMatchObject({
      total: reports.size,
      done: reports.size - open.length,
      target: { checks: ['alerting.runbooks'] },
    });
    // The demo's critical alerts without runbook_url (examples/README.md).
    expect(open).toEqual(
      expect.arrayContaining([
        'component:default/ledger-service',
        'component:default/search-indexer',
      ]),
    );

    const services = await get(
      '/api/operability/v1/campaigns/runbooks-for-criticals/services?done=false&limit=500',
    );
    expect(services.body.items.map((i: any) => i.entityRef).sort()).toEqual(
      open,
    );
    for (const item of services.body.items) {
      expect(item.failing).toEqual(['alerting.runbooks']);
      expect(reports.get(item.entityRef).campaigns).toContainEqual(
        expect.objectContaining({
          id: 'runbooks-for-criticals',
          done: false,
          failing: ['alerting.runbooks'],
        }),
      );
    }

    const detail = await get(
      '/api/operability/v1/campaigns/runbooks-for-criticals',
    );
    const teams = detail.body.teams as {
      ref: string;
      total: number;
      done: number;
    }[];
    expect(teams.reduce((n, t) => n + t.total, 0)).toBe(reports.size);
    // While it runs (the demo's dates are fixed), today's point is live.
    const today = new Date().toISOString().slice(0, 10);
    expect(detail.body.burndown.at(-1)).toEqual(
      detail.body.state === 'active'
        ? { date: today, remaining: open.length }
        : detail.body.burndown.at(-1),
    );
  });

  it('counts "Every production service at silver" by the reports\' levels', async () => {
    const { body } = await get('/api/operability/v1/campaigns');
    const campaign = body.items.find(
      (c: any) => c.id === 'production-at-silver',
    );
    const atSilver = [...reports.values()].filter(r =>
      ['silver', 'gold'].includes(r.readiness.level),
    );
    expect(campaign).toMatchObject({
      total: reports.size,
      done: atSilver.length,
      target: { level: 'silver' },
    });
  });

  it('shows the check announced for March 2027 as upcoming', async () => {
    const report = [...reports.values()][0];
    expect(
      report.readiness.checks.find((c: any) => c.id === 'ownership.team-size'),
    ).toMatchObject({ upcoming: true, enforcedFrom: '2027-03-01' });
  });
});
