import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { TeamRollup } from '@opsready/plugin-operability-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi, scorecardRow } from '../__testUtils__/testing';
import { OperabilityPage } from './OperabilityPage';

jest.setTimeout(20_000);

const teams: TeamRollup[] = [
  {
    ref: 'group:default/payments',
    title: 'Payments',
    services: 3,
    averageScore: 70,
    levels: { gold: 1, silver: 1, bronze: 1, none: 0 },
    mostFailedChecks: [],
  },
];

function LocationSearch() {
  return <output aria-label="location">{useLocation().search}</output>;
}

const identityApi = {
  getBackstageIdentity: jest.fn(async () => ({
    type: 'user' as const,
    userEntityRef: 'user:default/alice',
    ownershipEntityRefs: [
      'user:default/alice',
      'group:default/payments',
      'group:default/checkout',
    ],
  })),
  getProfileInfo: jest.fn(async () => ({})),
  getCredentials: jest.fn(async () => ({})),
  signOut: jest.fn(async () => {}),
};

function renderPage(url = '/') {
  const api = mockOperabilityApi();
  api.getScorecards.mockResolvedValue({ items: [scorecardRow], total: 1 });
  api.getTeams.mockResolvedValue(teams);
  api.getChecks.mockResolvedValue([]);
  api.getCampaigns.mockResolvedValue([]);
  const file = { blob: new Blob(['x']), fileName: 'x.csv' };
  api.downloadScorecardsCsv.mockResolvedValue(file);
  api.downloadTeamsCsv.mockResolvedValue(file);
  return {
    api,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [operabilityApiRef, api],
          [identityApiRef, identityApi],
        ]}
      >
        <OperabilityPage />
        <LocationSearch />
      </TestApiProvider>,
      {
        routeEntries: [url],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    ),
  };
}

describe('OperabilityPage: My teams and exports', () => {
  beforeEach(() => {
    Object.assign(URL, {
      createObjectURL: jest.fn(() => 'blob:x'),
      revokeObjectURL: jest.fn(),
    });
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation();
  });
  afterEach(() => jest.restoreAllMocks());

  it("filters by one of the signed-in user's teams in a click, and back", async () => {
    const { rendered } = renderPage();
    await rendered;
    const myTeams = await screen.findByRole('group', { name: 'My teams' });
    const payments = await within(myTeams).findByRole('button', {
      name: 'Payments',
    });
    expect(
      within(myTeams).getByRole('button', { name: 'checkout' }),
    ).toBeInTheDocument();
    await userEvent.click(payments);
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'location' }).textContent,
      ).toContain('owner=group%3Adefault%2Fpayments'),
    );
    expect(payments).toHaveAttribute('aria-pressed', 'true');
    await userEvent.click(payments);
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'location' }).textContent,
      ).not.toContain('owner='),
    );
  });

  it("shows the services of all the signed-in user's teams in one click, and back", async () => {
    const { api, rendered } = renderPage();
    await rendered;
    const myTeams = await screen.findByRole('group', { name: 'My teams' });
    const all = await within(myTeams).findByRole('button', {
      name: 'My teams',
    });
    expect(all).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(all);
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'location' }).textContent).toBe(
        '?owner=group%3Adefault%2Fcheckout&owner=group%3Adefault%2Fpayments',
      ),
    );
    expect(all).toHaveAttribute('aria-pressed', 'true');
    // One team's chip is not the one selected: the filter is both.
    expect(
      within(myTeams).getByRole('button', { name: 'Payments' }),
    ).toHaveAttribute('aria-pressed', 'false');
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith(
        expect.objectContaining({
          owner: ['group:default/checkout', 'group:default/payments'],
        }),
      ),
    );
    // The Team filter says so.
    expect(
      within(screen.getByRole('group', { name: 'Filters' })).getByText(
        '2 teams',
      ),
    ).toBeInTheDocument();
    // The CSV has the same owners.
    await userEvent.click(
      screen.getByRole('button', { name: 'Download the services as CSV' }),
    );
    await waitFor(() =>
      expect(api.downloadScorecardsCsv).toHaveBeenCalledWith(
        expect.objectContaining({
          owner: ['group:default/checkout', 'group:default/payments'],
        }),
      ),
    );
    // A team's chip narrows to that team; "My teams" again clears.
    await userEvent.click(
      within(myTeams).getByRole('button', { name: 'checkout' }),
    );
    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'location' }).textContent).toBe(
        '?owner=group%3Adefault%2Fcheckout',
      ),
    );
    expect(all).toHaveAttribute('aria-pressed', 'false');
    await userEvent.click(all);
    await userEvent.click(all);
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'location' }).textContent,
      ).not.toContain('owner='),
    );
  });

  it('downloads the services with the filters, search and sort of the table, and the team roll-up', async () => {
    const { api, rendered } = renderPage(
      '/?owner=group%3Adefault%2Fpayments&level=gold&q=pay&sort=score&order=desc&page=2',
    );
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Download the services as CSV',
      }),
    );
    await waitFor(() =>
      expect(api.downloadScorecardsCsv).toHaveBeenCalledWith({
        owner: 'group:default/payments',
        level: 'gold',
        q: 'pay',
        sort: 'score',
        order: 'desc',
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Download the team roll-up as CSV',
      }),
    );
    await waitFor(() => expect(api.downloadTeamsCsv).toHaveBeenCalled());
  });
});
