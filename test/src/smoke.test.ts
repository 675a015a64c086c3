import { guestToken, RunningBackend, startDemoBackend } from './backend';

jest.setTimeout(240_000);

/**
 * Starts the real demo backend and checks what a newcomer's first look would:
 * the demo catalog is served, and the operability API answers for a service.
 */
describe('demo backend smoke test', () => {
  let backend: RunningBackend;
  let token: string;

  const get = async (path: string) => {
    const res = await fetch(`${backend.baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.json() };
  };

  /** The catalog ingests locations in the background: poll until it has. */
  const eventually = async <T>(probe: () => Promise<T | undefined>) => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise(r => setTimeout(r, 500));
    }
  };

  beforeAll(async () => {
    // The extra config also proves that --config files pass through.
    backend = await startDemoBackend({
      extraConfig: 'organization:\n  name: Smoke Test Org\n',
    });
    token = await guestToken(backend.baseUrl);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('serves the demo catalog, Schedules included', async () => {
    const kinds = await eventually(async () => {
      const { body } = await get('/api/catalog/entity-facets?facet=kind');
      const counts = Object.fromEntries(
        body.facets.kind.map((f: { value: string; count: number }) => [
          f.value,
          f.count,
        ]),
      );
      return counts.Schedule >= 6 && counts.Component >= 20
        ? counts
        : undefined;
    });
    expect(kinds.Group).toBeGreaterThanOrEqual(6);
    expect(kinds.User).toBeGreaterThanOrEqual(30);
    expect(kinds.System).toBeGreaterThanOrEqual(3);
  });

  it('answers /api/operability for a demo service', async () => {
    const report = await eventually(async () => {
      const res = await get(
        '/api/operability/v1/entities/component/default/payments-api',
      );
      return res.status === 200 ? res.body : undefined;
    });
    expect(report.entityRef).toBe('component:default/payments-api');
    expect(report.owner.ref).toBe('group:default/payments');
    expect(report.owner.members.length).toBeGreaterThanOrEqual(6);
  });

  it('lists the demo services, evaluated, on the scorecards route', async () => {
    // Scorecards come from the readiness cycle, which runs in the background.
    const body = await eventually(async () => {
      const res = await get('/api/operability/v1/scorecards?limit=5');
      return res.status === 200 && res.body.total >= 20 ? res.body : undefined;
    });
    expect(body.items).toHaveLength(5);
    expect(typeof body.items[0].score).toBe('number');
  });

  it("reports a service's malformed rule file on that service", async () => {
    // shipping-rates' rule file does not parse (examples/rules/shipping-rates.yaml).
    const readiness = await eventually(async () => {
      const res = await get(
        '/api/operability/v1/entities/component/default/shipping-rates',
      );
      return res.status === 200 && res.body.readiness
        ? res.body.readiness
        : undefined;
    });
    // Both providers that read the file say so: rules and their routing are unknown.
    expect(readiness.problems).toEqual([
      {
        provider: 'alert-rules',
        message: expect.stringMatching(/shipping-rates\.yaml:\d+/),
      },
      {
        provider: 'alertmanager',
        message: expect.stringMatching(/shipping-rates\.yaml:\d+/),
      },
    ]);
    const hasAlerts = readiness.checks.find(
      (c: { id: string }) => c.id === 'alerting.has-alerts',
    );
    expect(hasAlerts.status).toBe('unknown');
  });

  it('refuses the operability API without credentials', async () => {
    const res = await fetch(
      `${backend.baseUrl}/api/operability/v1/entities/component/default/payments-api`,
    );
    expect(res.status).toBe(401);
  });

  it('loaded the extra config file', async () => {
    expect(backend.output()).toMatch(/app-config\.test\.yaml/);
  });
});
