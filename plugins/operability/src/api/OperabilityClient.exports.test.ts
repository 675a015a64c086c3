import { fileNameOf, OperabilityClient } from './OperabilityClient';

function clientWith(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new OperabilityClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

describe('OperabilityClient exports and refresh', () => {
  it('downloads the services CSV with the filters of the table, through fetchApi', async () => {
    const { client, fetch } = clientWith(
      new Response('entityRef,title\n', {
        status: 200,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': 'attachment; filename="scorecards-2026.csv"',
        },
      }),
    );
    const file = await client.downloadScorecardsCsv({
      owner: 'group:default/payments',
      level: 'gold',
      q: '',
      sort: 'score',
      order: 'desc',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/operability/v1/scorecards.csv?owner=group%3Adefault%2Fpayments&level=gold&sort=score&order=desc',
    );
    expect(file.fileName).toBe('scorecards-2026.csv');
    expect(await file.blob.text()).toBe('entityRef,title\n');
  });

  it('downloads the team roll-up and the shifts, with default names when the header names none', async () => {
    const { client, fetch } = clientWith(new Response('x', { status: 200 }));
    expect((await client.downloadTeamsCsv()).fileName).toBe('teams.csv');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/teams.csv',
    );
    fetch.mockResolvedValue(new Response('BEGIN:VCALENDAR', { status: 200 }));
    const ics = await client.downloadShiftsIcs(
      'component:default/payments-api',
      { weeks: 4 },
    );
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/operability/v1/entities/component/default/payments-api/on-call/shifts.ics?weeks=4',
    );
    expect(ics.fileName).toBe('payments-api-on-call.ics');
  });

  it('throws a ResponseError when an export fails', async () => {
    const { client } = clientWith(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'no' },
          request: {},
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const error = await client.downloadTeamsCsv().catch(e => e);
    expect(error.name).toBe('ResponseError');
  });

  it('posts a refresh of one entity', async () => {
    const { client, fetch } = clientWith(
      new Response(JSON.stringify({ status: 'evaluated' }), { status: 200 }),
    );
    await expect(client.refresh('component:default/a')).resolves.toEqual({
      status: 'evaluated',
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/operability/v1/refresh',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify({ entityRef: 'component:default/a' }),
      }),
    );
  });

  it('reads file names from Content-Disposition', () => {
    expect(fileNameOf(null)).toBeUndefined();
    expect(fileNameOf('attachment; filename="a b.csv"')).toBe('a b.csv');
    expect(fileNameOf('attachment; filename=teams.csv')).toBe('teams.csv');
    expect(
      fileNameOf(
        `attachment; filename="x.ics"; filename*=UTF-8''p%C3%A9-on-call.ics`,
      ),
    ).toBe('pé-on-call.ics');
  });
});
