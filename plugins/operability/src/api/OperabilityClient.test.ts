import { OperabilityClient } from './OperabilityClient';

function clientWith(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new OperabilityClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

describe('OperabilityClient', () => {
  it('requests the entity report at the entity path', async () => {
    const { client, fetch } = clientWith(
      new Response(JSON.stringify({ entityRef: 'x' }), { status: 200 }),
    );
    await expect(
      client.getEntityReport('Component:default/Payments-API'),
    ).resolves.toEqual({ entityRef: 'x' });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/operability/v1/entities/component/default/payments-api',
    );
  });

  it('passes on-call instants and scorecard queries', async () => {
    const { client, fetch } = clientWith(new Response('{}', { status: 200 }));
    await client.getOnCall(
      'component:default/a',
      new Date('2026-03-02T09:00:00Z'),
    );
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/entities/component/default/a/on-call?at=2026-03-02T09%3A00%3A00.000Z',
    );
    fetch.mockResolvedValue(new Response('{}', { status: 200 }));
    await client.getScorecards({ owner: 'payments', q: '', limit: 20 });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/scorecards?owner=payments&limit=20',
    );
    fetch.mockResolvedValue(new Response('{}', { status: 200 }));
    await client.getScorecards({
      owner: ['group:default/payments', 'checkout'],
      level: 'gold',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/scorecards?owner=group%3Adefault%2Fpayments&owner=checkout&level=gold',
    );
  });

  it('throws a ResponseError carrying the backend message', async () => {
    const body = {
      error: { name: 'InputError', message: "Invalid query parameter: 'at'" },
      request: {},
      response: { statusCode: 400 },
    };
    const { client } = clientWith(
      new Response(JSON.stringify(body), {
        status: 400,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    const error = await client.getOnCall('component:default/a').catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.body.error.message).toBe("Invalid query parameter: 'at'");
  });
});
