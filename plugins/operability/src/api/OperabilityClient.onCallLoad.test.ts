import { OperabilityClient } from './OperabilityClient';

function clientAnswering(status: number, body: unknown) {
  const fetch = jest.fn().mockImplementation(
    async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const client = new OperabilityClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

const load = {
  from: '2026-02-01T00:00:00.000Z',
  to: '2026-03-01T00:00:00.000Z',
  timeZone: 'Europe/Berlin',
  pages: [],
  shifts: [],
  people: [],
  busiestShare: 0,
};

describe('OperabilityClient: on-call load', () => {
  it('asks for the default window when given none', async () => {
    const { client, fetch } = clientAnswering(200, load);
    await expect(
      client.getOnCallLoad('Component:default/Payments-API'),
    ).resolves.toEqual(load);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/operability/v1/entities/component/default/payments-api/on-call/load',
    );
  });

  it('sends the window as ISO instants', async () => {
    const { client, fetch } = clientAnswering(200, load);
    await client.getOnCallLoad('component:default/payments-api', {
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-03-01T00:00:00Z'),
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/operability/v1/entities/component/default/payments-api/on-call/load?from=2026-02-01T00%3A00%3A00.000Z&to=2026-03-01T00%3A00%3A00.000Z',
    );
  });

  it('throws a ResponseError with the status on a 404', async () => {
    const { client } = clientAnswering(404, {
      error: { name: 'NotFoundError', message: 'No on-call covers it' },
      request: {},
      response: { statusCode: 404 },
    });
    await expect(
      client.getOnCallLoad('component:default/payments-api'),
    ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 404 });
  });
});
