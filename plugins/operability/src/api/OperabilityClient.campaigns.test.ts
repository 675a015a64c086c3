import { OperabilityClient } from './OperabilityClient';

function clientAnswering(body: unknown) {
  const fetch = jest
    .fn()
    .mockImplementation(
      async () => new Response(JSON.stringify(body), { status: 200 }),
    );
  const client = new OperabilityClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

describe('OperabilityClient: campaigns', () => {
  it('lists the campaigns', async () => {
    const { client, fetch } = clientAnswering({ items: [{ id: 'a' }] });
    await expect(client.getCampaigns()).resolves.toEqual([{ id: 'a' }]);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/operability/v1/campaigns',
    );
  });

  it('reads one campaign and a page of its services with the query', async () => {
    const { client, fetch } = clientAnswering({ items: [], total: 0 });
    await client.getCampaign('runbooks-for-criticals');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/campaigns/runbooks-for-criticals',
    );
    await client.getCampaignServices('runbooks', {
      owner: 'group:default/payments',
      done: false,
      limit: 20,
      cursor: '20',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/campaigns/runbooks/services?owner=group%3Adefault%2Fpayments&done=false&limit=20&cursor=20',
    );
    await client.getCampaignServices('runbooks');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/campaigns/runbooks/services',
    );
  });
});
