import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { startTestBackend } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startOperabilityTestBackend } from '../__testUtils__/testBackend';
import { spec } from './openapi';

const BASE = '/api/operability';

/** A route an express router stack serves: `GET /v1/teams`. */
type Route = { method: string; path: string };

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  regexp?: RegExp & { fast_slash?: boolean };
}

/**
 * Every route mounted under the plugin's base path, found by walking the
 * express stacks of the running backend: the root router, the plugin's
 * router, and each router the plugin mounts (paths relative to the base).
 */
function routesUnder(stack: Layer[], base: string, inside = false): Route[] {
  const routes: Route[] = [];
  for (const layer of stack) {
    if (layer.route) {
      if (!inside) continue;
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') {
          routes.push({ method, path: layer.route.path });
        }
      }
    } else if (layer.handle?.stack) {
      const entering =
        !inside && !layer.regexp?.fast_slash && !!layer.regexp?.test(base);
      if (inside || entering || layer.regexp?.fast_slash) {
        routes.push(
          ...routesUnder(layer.handle.stack, base, inside || entering),
        );
      }
    }
  }
  return routes;
}

/** `/v1/entities/:kind/…` as the spec writes it: `/v1/entities/{kind}/…`. */
const specPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

jest.setTimeout(60_000);

describe('the spec', () => {
  it('is a valid OpenAPI document (the routers skip this check at start)', async () => {
    const app = express().use(
      createValidatedOpenApiRouter<typeof spec>(spec, {
        validatorOptions: { validateApiSpec: true },
      }),
    );
    // An invalid document fails every request (a 500), this one included.
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(Object.keys(spec.paths));
  });
});

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('the OpenAPI spec (%s)', id => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startOperabilityTestBackend(await databases.init(id));
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('is served at /api/operability/openapi.json, with paths under the base URL', async () => {
    const res = await request(backend.server)
      .get(`${BASE}/openapi.json`)
      .expect(200);
    // openapi-merge (which prefixes the paths) labels its output 3.0.3.
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('operability');
    expect(res.body.paths).toHaveProperty([`${BASE}/v1/scorecards`, 'get']);
    expect(res.body.paths).toHaveProperty([
      `${BASE}/v1/entities/{kind}/{namespace}/{name}/exemptions`,
      'post',
    ]);
  });

  it('describes every route the plugin mounts, and nothing it does not', async () => {
    const doc = (await request(backend.server).get(`${BASE}/openapi.json`))
      .body as { paths: Record<string, Record<string, unknown>> };
    const app = backend.server.listeners('request')[0] as unknown as {
      _router: { stack: Layer[] };
    };
    // Less the framework's own (auth, permissions, actions), which every
    // plugin's router carries.
    const mounted = routesUnder(app._router.stack, BASE).filter(
      route => !/^\/\.(backstage|well-known)\//.test(route.path),
    );
    // The walk found the plugin's routers (and so would find a new one).
    expect(mounted).toEqual(
      expect.arrayContaining([
        { method: 'get', path: '/health' },
        { method: 'get', path: '/v1/campaigns/:id/services' },
        {
          method: 'get',
          path: '/v1/entities/:kind/:namespace/:name/on-call/load',
        },
        {
          method: 'get',
          path: '/v1/entities/:kind/:namespace/:name/on-call/handoffs',
        },
        { method: 'post', path: '/v1/refresh' },
      ]),
    );
    const undocumented = mounted.filter(
      route => !doc.paths[`${BASE}${specPath(route.path)}`]?.[route.method],
    );
    expect(undocumented).toEqual([]);

    const served = new Set([
      // Served by the validator the routers share (fetched above), which
      // is not on the stack.
      `get ${BASE}/openapi.json`,
      ...mounted.map(route => `${route.method} ${BASE}${specPath(route.path)}`),
    ]);
    const unserved = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .map(method => `${method} ${path}`)
        .filter(route => !served.has(route)),
    );
    expect(unserved).toEqual([]);
  });

  it('refuses what the spec does not allow with a 400 naming the field', async () => {
    const ledger = `${BASE}/v1/entities/component/default/ledger`;
    const unknownQuery = await request(backend.server).get(
      `${BASE}/v1/teams?colour=blue`,
    );
    expect(unknownQuery.status).toBe(400);
    expect(unknownQuery.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining("'colour'"),
    });

    const unknownField = await request(backend.server)
      .post(`${ledger}/exemptions`)
      .send({
        checkId: 'ownership.in-system',
        reason: 'moving',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        colour: 'blue',
      });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toBe(
      "Invalid body field: unknown body field 'colour'",
    );

    const missing = await request(backend.server)
      .post(`${ledger}/exemptions`)
      .send({ checkId: 'ownership.in-system', reason: 'moving' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      "Invalid body field: body field 'expiresAt': is required",
    );

    const pattern = await request(backend.server).get(
      `${BASE}/v1/scorecards?limit=1e1`,
    );
    expect(pattern.body.error.message).toBe(
      "Invalid query parameter: query parameter 'limit': must be a whole number in decimal digits",
    );
  });
});
