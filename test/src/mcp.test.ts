import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { randomBytes } from 'crypto';
import { guestToken, RunningBackend, startDemoBackend } from './backend';

jest.setTimeout(240_000);

/**
 * An AI agent's view: the real MCP client against the demo backend's MCP
 * server (`@backstage/plugin-mcp-actions-backend`), with the static token of
 * the demo config (from MCP_ACTIONS_TOKEN). Its answers are the REST API's.
 */
describe('MCP tools of the demo backend', () => {
  // The demo config reads the MCP clients' token from this variable.
  const mcpToken = `e2e-${randomBytes(16).toString('hex')}`;
  let backend: RunningBackend;
  let restToken: string;
  let client: Client;

  const rest = async (path: string) => {
    const res = await fetch(`${backend.baseUrl}/api/operability${path}`, {
      headers: { Authorization: `Bearer ${restToken}` },
    });
    return { status: res.status, body: await res.json() };
  };

  /** A tool's answer: its structured content, or the error it reported. */
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) {
      const [content] = result.content as { type: string; text: string }[];
      return { error: content.text };
    }
    return { output: result.structuredContent as any };
  };

  /**
   * Without the on-call answers' `asOf` (when each was obtained): two
   * lookups a moment apart differ only there.
   */
  const timeless = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v) => (key === 'asOf' ? undefined : v)),
    );

  /** The catalog and the first cycles run in the background: poll. */
  const eventually = async <T>(probe: () => Promise<T | undefined>) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise(r => setTimeout(r, 500));
    }
  };

  const connect = async (token?: string) => {
    const c = new Client({ name: 'opsready-e2e', version: '0.0.0' });
    await c.connect(
      new StreamableHTTPClientTransport(
        new URL(`${backend.baseUrl}/api/mcp-actions/v1`),
        token
          ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } }
          : {},
      ),
    );
    return c;
  };

  beforeAll(async () => {
    const previous = process.env.MCP_ACTIONS_TOKEN;
    process.env.MCP_ACTIONS_TOKEN = mcpToken;
    try {
      backend = await startDemoBackend();
    } finally {
      if (previous === undefined) delete process.env.MCP_ACTIONS_TOKEN;
      else process.env.MCP_ACTIONS_TOKEN = previous;
    }
    restToken = await guestToken(backend.baseUrl);
    client = await connect(mcpToken);
  });

  afterAll(async () => {
    await client?.close();
    await backend?.stop();
  });

  it('lists the four operability tools, read-only', async () => {
    const { tools } = await client.listTools();
    const ours = tools.filter(t => t.name.startsWith('operability.'));
    expect(ours.map(t => t.name).sort()).toEqual([
      'operability.get-readiness',
      'operability.list-scorecards',
      'operability.who-is-on-call',
      'operability.who-owns',
    ]);
    for (const tool of ours) {
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        idempotentHint: true,
        destructiveHint: false,
      });
      expect(tool.description).toBeTruthy();
      expect(tool.inputSchema.type).toBe('object');
    }
  });

  it("answers who owns the service an alert's labels name, as the REST API does", async () => {
    // The catalog is read in the background: wait until the service is in.
    const expected = await eventually(async () => {
      const res = await rest('/v1/who-owns?label.job=payments-api');
      return res.status === 200 && res.body.items.length > 0
        ? res.body
        : undefined;
    });
    const { output, error } = await call('operability.who-owns', {
      labels: { job: 'payments-api' },
    });
    expect(error).toBeUndefined();
    expect(timeless(output)).toEqual(timeless({ items: expected.items }));
    expect(output.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/payments-api',
    ]);
    expect(output.items[0].owner.ref).toBe('group:default/payments');
    expect(output.items[0].owner.members.length).toBeGreaterThan(0);
  });

  it('answers who is on call for it at an instant, as the REST API does', async () => {
    const at = '2026-03-04T15:00:00Z';
    const expected = await rest(
      `/v1/entities/component/default/payments-api/on-call?at=${at}`,
    );
    expect(expected.status).toBe(200);
    const { output, error } = await call('operability.who-is-on-call', {
      entityRef: 'component:default/payments-api',
      at,
    });
    expect(error).toBeUndefined();
    expect(timeless(output)).toEqual(timeless(expected.body));
    expect(output.primary?.ref).toMatch(/^user:/);
    expect(output.status).toBe('ok');
  });

  /** The entity report's readiness, once the cycle has evaluated it. */
  const evaluated = (path: string) =>
    eventually(async () => {
      const res = await rest(`/v1/entities/${path}`);
      return res.status === 200 && res.body.readiness
        ? (res.body.readiness as any)
        : undefined;
    });

  /** get-readiness's answer, checked against the REST report of the same cycle. */
  const readinessOf = async (name: string) => {
    const before = await evaluated(`component/default/${name}`);
    const { output, error } = await call('operability.get-readiness', {
      entityRef: `component:default/${name}`,
    });
    expect(error).toBeUndefined();
    // A cycle may have run in between: compare with the report it read.
    const after = await evaluated(`component/default/${name}`);
    const report = output.score === before.score ? before : after;
    expect(output.score).toBe(report.score);
    expect(output.level).toBe(report.level);
    expect(output.failing).toEqual(
      report.checks
        .filter((c: any) => c.status === 'fail')
        .map((c: any) => ({
          id: c.id,
          title: c.title,
          level: c.level,
          message: c.message,
          ...(c.remediation ? { remediation: c.remediation } : {}),
        })),
    );
    return { output, report };
  };

  it('says how ready that service is, from the same report as the REST API', async () => {
    const { output } = await readinessOf('payments-api');
    // A next level unless at gold, and something keeps it from it.
    expect(output.nextLevel === null).toBe(output.level === 'gold');
    expect(output.nextLevel?.blocking.length ?? 1).toBeGreaterThan(0);
  });

  it('says why a service of the same team is not gold', async () => {
    // The demo's payments-api is gold: ask about a sibling that is not.
    const page = await eventually(async () => {
      const { output } = await call('operability.list-scorecards', {
        owner: 'payments',
        limit: 100,
      });
      return output?.items?.some((i: any) => i.level !== 'gold')
        ? output
        : undefined;
    });
    const notGold = page.items.find((i: any) => i.level !== 'gold');
    const name = notGold.entityRef.split('/')[1];
    const { output, report } = await readinessOf(name);
    expect(output.level).not.toBe('gold');
    expect(output.nextLevel).not.toBeNull();
    expect(output.nextLevel.blocking.length).toBeGreaterThan(0);
    for (const id of output.nextLevel.blocking) {
      const check = report.checks.find((c: any) => c.id === id);
      expect(['fail', 'unknown']).toContain(check.status);
    }
    // What to do about it: every failing check says how to fix it.
    for (const failing of output.failing) {
      expect(failing.remediation).toBeTruthy();
    }
  });

  it('lists scorecards as GET /v1/scorecards does', async () => {
    const { output, error } = await call('operability.list-scorecards', {
      owner: 'payments',
      sort: 'name',
      limit: 3,
    });
    expect(error).toBeUndefined();
    const expected = await rest(
      '/v1/scorecards?owner=payments&sort=name&limit=3',
    );
    expect(timeless(output)).toEqual(timeless(expected.body));
    expect(output.items.length).toBeGreaterThan(0);
  });

  it('reports bad input and unknown entities as tool errors', async () => {
    expect(await call('operability.who-owns', {})).toEqual({
      error: expect.stringMatching(/^InputError: .*give 'query'/),
    });
    expect(
      await call('operability.get-readiness', {
        entityRef: 'component:default/no-such-service',
      }),
    ).toEqual({ error: expect.stringMatching(/^NotFoundError: /) });
  });

  it('refuses MCP clients without the token', async () => {
    await expect(connect()).rejects.toThrow();
    await expect(connect('not-the-token-at-all')).rejects.toThrow();
  });
});
