import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startOperabilityTestBackend } from '../__testUtils__/testBackend';

// The actions for agents, through the actions registry's own HTTP endpoints
// on the plugin (what the actions service, and so the MCP server, calls):
// the same answers as the REST API, and the registry's input checks.

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('actions (%s)', databaseId => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let server: typeof backend.server;

  beforeAll(async () => {
    backend = await startOperabilityTestBackend(
      await databases.init(databaseId),
    );
    server = backend.server;
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const api = '/api/operability';
  const invoke = (name: string, input: unknown) =>
    request(server)
      .post(`${api}/.backstage/actions/v1/actions/operability:${name}/invoke`)
      .send(input as object);
  const rest = (path: string) => request(server).get(`${api}${path}`);
  /**
   * An answer without the on-call answers' `asOf` (when each was obtained):
   * two lookups a few milliseconds apart differ only there.
   */
  const timeless = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v) => (key === 'asOf' ? undefined : v)),
    );

  it('registers four read-only actions with their schemas', async () => {
    const res = await request(server).get(
      `${api}/.backstage/actions/v1/actions`,
    );
    expect(res.status).toBe(200);
    const actions = res.body.actions as any[];
    expect(actions.map(a => a.id).sort()).toEqual([
      'operability:get-readiness',
      'operability:list-scorecards',
      'operability:who-is-on-call',
      'operability:who-owns',
    ]);
    for (const action of actions) {
      expect(action.pluginId).toBe('operability');
      expect(action.attributes).toEqual({
        readOnly: true,
        idempotent: true,
        destructive: false,
      });
      expect(action.description.length).toBeGreaterThan(40);
    }
    const whoIsOnCall = actions.find(a => a.name === 'who-is-on-call');
    expect(whoIsOnCall.schema.input).toMatchObject({
      type: 'object',
      properties: { entityRef: { type: 'string' }, at: { type: 'string' } },
      required: ['entityRef'],
    });
    expect(whoIsOnCall.schema.output.properties.primary).toBeDefined();
  });

  it('who-owns answers as GET /v1/who-owns does', async () => {
    const byLabel = await invoke('who-owns', { labels: { job: 'ledger' } });
    expect(byLabel.status).toBe(200);
    const expected = await rest('/v1/who-owns?label.job=ledger');
    expect(expected.body.items).toHaveLength(1);
    expect(timeless(byLabel.body.output)).toEqual(
      timeless({ items: expected.body.items }),
    );
    expect(byLabel.body.output.items[0]).toMatchObject({
      entityRef: 'component:default/ledger',
      owner: { ref: 'group:default/payments' },
      onCall: { source: 'schedule', primary: { ref: expect.any(String) } },
    });

    const byText = await invoke('who-owns', { query: 'ledg' });
    const expectedText = await rest('/v1/who-owns?q=ledg');
    expect(timeless(byText.body.output)).toEqual(
      timeless({ items: expectedText.body.items }),
    );
    expect(byText.body.output.items.map((i: any) => i.entityRef)).toEqual([
      'component:default/ledger',
    ]);

    const both = await invoke('who-owns', {
      query: 'ledger',
      labels: { job: 'not-ledger' },
    });
    expect(both.body.output).toEqual({ items: [] });
  });

  it('who-is-on-call answers as GET …/on-call?at= does', async () => {
    const at = '2026-03-04T12:00:00Z';
    const res = await invoke('who-is-on-call', {
      entityRef: 'component:default/ledger',
      at,
    });
    expect(res.status).toBe(200);
    const expected = await rest(
      `/v1/entities/component/default/ledger/on-call?at=${at}`,
    );
    expect(expected.status).toBe(200);
    expect(timeless(res.body.output)).toEqual(timeless(expected.body));
    expect(res.body.output).toMatchObject({
      source: 'schedule',
      scheduleRef: 'schedule:default/payments-on-call',
      inheritedFrom: 'system:default/payments-platform',
    });

    // A short ref means a Component in the default namespace.
    const short = await invoke('who-is-on-call', { entityRef: 'ledger', at });
    expect(timeless(short.body.output)).toEqual(timeless(expected.body));

    // From a provider module, now.
    const paged = await invoke('who-is-on-call', { entityRef: 'paged' });
    expect(paged.body.output).toMatchObject({
      source: 'test',
      primary: { ref: 'user:default/alice' },
    });
  });

  it('get-readiness summarises the entity report', async () => {
    const res = await invoke('get-readiness', {
      entityRef: 'component:default/ledger',
    });
    expect(res.status).toBe(200);
    const report = await rest('/v1/entities/component/default/ledger');
    const readiness = report.body.readiness;
    expect(readiness).not.toBeNull();
    const output = res.body.output;
    expect(output.score).toBe(readiness.score);
    expect(output.level).toBe(readiness.level);
    const failing = readiness.checks.filter((c: any) => c.status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    expect(output.failing).toEqual(
      failing.map((c: any) => ({
        id: c.id,
        title: c.title,
        level: c.level,
        message: c.message,
        remediation: c.remediation,
      })),
    );
    // Every failing remediation comes from the rubric.
    for (const f of output.failing) expect(f.remediation).toBeTruthy();
    expect(output.nextLevel).not.toBeNull();
    const levels = ['none', 'bronze', 'silver', 'gold'];
    expect(output.nextLevel.level).toBe(
      levels[levels.indexOf(readiness.level) + 1],
    );
    expect(output.nextLevel.blocking.length).toBeGreaterThan(0);
    for (const id of output.nextLevel.blocking) {
      const check = readiness.checks.find((c: any) => c.id === id);
      expect(['fail', 'unknown']).toContain(check.status);
    }
  });

  it('list-scorecards answers as GET /v1/scorecards does', async () => {
    const res = await invoke('list-scorecards', {
      sort: 'score',
      order: 'desc',
      limit: 1,
    });
    expect(res.status).toBe(200);
    const expected = await rest('/v1/scorecards?sort=score&order=desc&limit=1');
    expect(timeless(res.body.output)).toEqual(timeless(expected.body));
    expect(res.body.output.total).toBe(2);
    expect(res.body.output.nextCursor).toBe('1');

    const next = await invoke('list-scorecards', {
      sort: 'score',
      order: 'desc',
      limit: 1,
      cursor: '1',
    });
    const expectedNext = await rest(
      '/v1/scorecards?sort=score&order=desc&limit=1&cursor=1',
    );
    expect(timeless(next.body.output)).toEqual(timeless(expectedNext.body));

    const all = await invoke('list-scorecards', {});
    expect(timeless(all.body.output)).toEqual(
      timeless((await rest('/v1/scorecards')).body),
    );

    // Several owners: any of them, as a repeated `owner` parameter.
    const owners = await invoke('list-scorecards', {
      owner: ['nobody', 'payments'],
    });
    expect(owners.status).toBe(200);
    expect(timeless(owners.body.output)).toEqual(
      timeless((await rest('/v1/scorecards?owner=nobody&owner=payments')).body),
    );
    expect(owners.body.output.total).toBe(2);
  });

  it('refuses bad input with a 400, and unknown entities with a 404', async () => {
    const outcome = async (name: string, input: unknown) => {
      const res = await invoke(name, input);
      return { status: res.status, message: res.body?.error?.message };
    };
    // The registry checks the schema.
    expect(await outcome('who-owns', { query: 42 })).toEqual({
      status: 400,
      message: expect.stringContaining(
        'Invalid input to action "operability:who-owns"',
      ),
    });
    expect(
      await outcome('who-owns', { labels: { 'not-a-label': 'x' } }),
    ).toEqual({
      status: 400,
      message: expect.stringContaining('Invalid input'),
    });
    expect(await outcome('who-is-on-call', {})).toEqual({
      status: 400,
      message: expect.stringContaining('Invalid input'),
    });
    expect(await outcome('list-scorecards', { limit: 0 })).toEqual({
      status: 400,
      message: expect.stringContaining('Invalid input'),
    });
    expect(await outcome('list-scorecards', { level: 'platinum' })).toEqual({
      status: 400,
      message: expect.stringContaining('Invalid input'),
    });
    // The REST API's validation, with its messages.
    expect(await outcome('who-owns', {})).toEqual({
      status: 400,
      message: expect.stringContaining("give 'query'"),
    });
    expect(
      await outcome('who-is-on-call', {
        entityRef: 'ledger',
        at: '2026-02-30T09:00:00Z',
      }),
    ).toEqual({ status: 400, message: expect.stringContaining("'at'") });
    expect(
      await outcome('who-is-on-call', { entityRef: 'component:default/a b' }),
    ).toEqual({ status: 400, message: expect.stringContaining('entityRef') });
    expect(await outcome('get-readiness', { entityRef: 'a:b:c/d' })).toEqual({
      status: 400,
      message: expect.stringContaining('entityRef'),
    });
    expect(await outcome('list-scorecards', { cursor: 'abc' })).toEqual({
      status: 400,
      message: expect.stringContaining("'cursor'"),
    });
    // Unknown entities, and entities nothing covers.
    expect(
      await outcome('get-readiness', { entityRef: 'component:default/nope' }),
    ).toEqual({
      status: 404,
      message: 'No entity component:default/nope in the catalog',
    });
    expect(
      await outcome('who-is-on-call', { entityRef: 'group:default/payments' }),
    ).toEqual({ status: 404, message: expect.stringContaining('covers') });
  });

  it('refuses anonymous callers', async () => {
    const res = await request(server)
      .post(`${api}/.backstage/actions/v1/actions/operability:who-owns/invoke`)
      .set('Authorization', mockCredentials.none.header())
      .send({ query: 'ledger' });
    expect(res.status).toBe(401);
  });
});
