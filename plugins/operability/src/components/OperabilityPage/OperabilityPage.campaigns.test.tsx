import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi, scorecardRow } from '../__testUtils__/testing';
import { OperabilityPage } from './OperabilityPage';

jest.setTimeout(20_000);

describe('OperabilityPage: campaigns', () => {
  it('has a Campaigns section with each campaign and its progress', async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockResolvedValue({ items: [scorecardRow], total: 1 });
    api.getTeams.mockResolvedValue([]);
    api.getChecks.mockResolvedValue([]);
    api.getCampaigns.mockResolvedValue([
      {
        id: 'silver',
        title: 'Production at silver',
        start: '2099-01-01',
        deadline: '2099-03-31',
        state: 'upcoming',
        target: { level: 'silver' },
        total: 10,
        done: 4,
      },
    ]);
    await renderInTestApp(
      <TestApiProvider apis={[[operabilityApiRef, api]]}>
        <OperabilityPage />
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Production at silver')).toBeInTheDocument();
    expect(screen.getByText('4 of 10 done (40%)')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Production at silver: 40% done',
      }),
    ).toBeInTheDocument();
  });
});
