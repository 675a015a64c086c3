import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  CheckDescription,
  TeamRollup,
} from '@opsready/plugin-operability-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { operabilityApiRef } from '../../api';
import {
  mockOperabilityApi,
  paperTitled,
  pending,
  scorecardRow,
} from '../__testUtils__/testing';
import { mostFailedChecks } from './MostFailedChecksCard';
import { OperabilityPage } from './OperabilityPage';

const teams: TeamRollup[] = [
  {
    ref: 'group:default/payments',
    title: 'Payments',
    services: 3,
    averageScore: 71.6,
    levels: { gold: 1, silver: 1, bronze: 1, none: 0 },
    mostFailedChecks: [
      { id: 'alerting.runbooks', failing: 2 },
      { id: 'on-call.rotation-size', failing: 1 },
    ],
  },
  {
    ref: 'group:default/search',
    title: 'Search',
    services: 2,
    averageScore: 40,
    levels: { gold: 0, silver: 0, bronze: 1, none: 1 },
    mostFailedChecks: [{ id: 'on-call.rotation-size', failing: 2 }],
  },
];

function description(id: string, title: string): CheckDescription {
  return {
    id,
    title,
    category: id.split('.')[0],
    level: 'gold',
    rank: 3,
    weight: 1,
    description: '',
    remediation: '',
  };
}

const checks = [
  description('alerting.runbooks', 'Critical alerts have runbooks'),
  description('on-call.rotation-size', 'Rotation of 6–8 engineers'),
];

function LocationSearch() {
  return <output aria-label="location">{useLocation().search}</output>;
}

function apiAnswering() {
  const api = mockOperabilityApi();
  api.getScorecards.mockResolvedValue({ items: [scorecardRow], total: 45 });
  api.getTeams.mockResolvedValue(teams);
  api.getChecks.mockResolvedValue(checks);
  api.getCampaigns.mockResolvedValue([]);
  return api;
}

function renderPage(api: ReturnType<typeof mockOperabilityApi>, url = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <OperabilityPage />
      <LocationSearch />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

// Rendering the page with its material-table tables takes seconds on a busy machine.
jest.setTimeout(20_000);

const location = () => screen.getByRole('status', { name: 'location' });

describe('OperabilityPage', () => {
  it('lists services with owner, primary on call, score and level', async () => {
    const api = apiAnswering();
    await renderPage(api);
    const payments = (await screen.findByText('Payments API')).closest('tr')!;
    expect(within(payments).getByText('Payments')).toBeInTheDocument();
    expect(within(payments).getByText('Alice')).toBeInTheDocument();
    expect(within(payments).queryByText('Bob')).toBeNull();
    expect(within(payments).getByText('72')).toBeInTheDocument();
    expect(within(payments).getByText('silver')).toBeInTheDocument();
    expect(api.getScorecards).toHaveBeenCalledWith({ limit: 20 });
  });

  it('passes the filters, search, sort and page of a shared link to the server', async () => {
    const api = apiAnswering();
    await renderPage(
      api,
      '/?owner=group%3Adefault%2Fpayments&level=silver&type=service&lifecycle=production&failing=alerting.runbooks&q=pay&sort=score&order=desc&page=2',
    );
    await screen.findByText('Payments API');
    expect(api.getScorecards).toHaveBeenCalledTimes(1);
    expect(api.getScorecards).toHaveBeenCalledWith({
      owner: 'group:default/payments',
      level: 'silver',
      type: 'service',
      lifecycle: 'production',
      failing: 'alerting.runbooks',
      q: 'pay',
      sort: 'score',
      order: 'desc',
      limit: 20,
      cursor: '40',
    });
    expect(screen.getAllByText('41-45 of 45').length).toBeGreaterThan(0);
  });

  it('sorts and pages on the server and keeps that in the URL', async () => {
    const api = apiAnswering();
    await renderPage(api);
    await screen.findByText('Payments API');
    const user = userEvent.setup({ delay: null });

    const services = paperTitled('Services');
    await user.click(
      within(services).getAllByRole('button', { name: 'Score' })[0],
    );
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        sort: 'score',
        order: 'asc',
        limit: 20,
      }),
    );

    await user.click(
      within(services).getByRole('button', { name: 'Next page' }),
    );
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        sort: 'score',
        order: 'asc',
        limit: 20,
        cursor: '20',
      }),
    );
    await waitFor(() =>
      expect(location()).toHaveTextContent('?sort=score&order=asc&page=1'),
    );
  });

  it('searches on the server', async () => {
    const api = apiAnswering();
    await renderPage(api);
    await screen.findByText('Payments API');
    fireEvent.change(screen.getByRole('textbox', { name: 'Search services' }), {
      target: { value: 'ledger' },
    });
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        q: 'ledger',
        limit: 20,
      }),
    );
  });

  it('filters by level from its select, starting again at the first page', async () => {
    const api = apiAnswering();
    await renderPage(api, '/?page=1');
    await screen.findByText('Payments API');
    const filters = screen.getByRole('group', { name: 'Filters' });
    const user = userEvent.setup({ delay: null });

    await user.click(within(filters).getByRole('button', { name: /Level/ }));
    await user.click(screen.getByRole('option', { name: 'gold' }));
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        level: 'gold',
        limit: 20,
      }),
    );
    expect(location()).toHaveTextContent('?level=gold');
  });

  it('filters by team from its select, and clears the filters', async () => {
    const api = apiAnswering();
    await renderPage(api, '/?level=gold');
    await screen.findByText('Payments API');
    const filters = screen.getByRole('group', { name: 'Filters' });
    const user = userEvent.setup({ delay: null });

    await user.click(within(filters).getByRole('button', { name: /Team/ }));
    await user.click(screen.getByRole('option', { name: 'Search' }));
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        owner: 'group:default/search',
        level: 'gold',
        limit: 20,
      }),
    );
    expect(location()).toHaveTextContent(
      '?level=gold&owner=group%3Adefault%2Fsearch',
    );

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({ limit: 20 }),
    );
  });

  it('filters by type as typed', async () => {
    const api = apiAnswering();
    await renderPage(api);
    await screen.findByText('Payments API');
    fireEvent.change(screen.getByRole('textbox', { name: 'Type' }), {
      target: { value: 'website' },
    });
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        type: 'website',
        limit: 20,
      }),
    );
  });

  it('drills down from the team roll-up and from the most failed checks', async () => {
    const api = apiAnswering();
    await renderPage(api);
    await screen.findByText('Payments API');
    const user = userEvent.setup({ delay: null });

    const search = within(paperTitled('Teams')).getByRole('button', {
      name: 'Search',
    });
    expect(within(search.closest('tr')!).getByText('40')).toBeInTheDocument();
    expect(
      within(search.closest('tr')!).getByText('none · 1'),
    ).toBeInTheDocument();
    await user.click(search);
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        owner: 'group:default/search',
        limit: 20,
      }),
    );

    const failed = screen.getByRole('list', { name: 'Most failed checks' });
    const items = within(failed).getAllByRole('button');
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringContaining('Rotation of 6–8 engineers3 services'),
      expect.stringContaining('Critical alerts have runbooks2 services'),
    ]);
    await user.click(items[1]);
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        owner: 'group:default/search',
        failing: 'alerting.runbooks',
        limit: 20,
      }),
    );
  });

  it('shows the error when the services cannot be loaded', async () => {
    const api = apiAnswering();
    api.getScorecards.mockRejectedValue(new Error('backend down'));
    await renderPage(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('says how to fix an empty table', async () => {
    const api = apiAnswering();
    api.getScorecards.mockResolvedValue({ items: [], total: 0 });
    await renderPage(api);
    expect(
      await screen.findByText(/No service matches. Clear the filters/),
    ).toBeInTheDocument();
  });

  it('offers the first page when a shared link points past the last one', async () => {
    const api = apiAnswering();
    api.getScorecards.mockResolvedValueOnce({ items: [], total: 45 });
    await renderPage(api, '/?level=gold&page=9');
    const user = userEvent.setup({ delay: null });
    await user.click(
      await screen.findByRole('button', { name: 'Go to the first page' }),
    );
    await waitFor(() =>
      expect(api.getScorecards).toHaveBeenLastCalledWith({
        level: 'gold',
        limit: 20,
      }),
    );
    expect(await screen.findByText('Payments API')).toBeInTheDocument();
    expect(location()).toHaveTextContent('?level=gold');
  });

  it('shows progress, empty and error states of the roll-ups', async () => {
    const api = apiAnswering();
    api.getTeams.mockReturnValue(pending());
    const { unmount } = await renderPage(api);
    expect(screen.getAllByTestId('progress').length).toBeGreaterThan(0);
    unmount();

    api.getTeams.mockResolvedValue([]);
    const empty = await renderPage(api);
    expect(
      await screen.findByText(/No team owns an evaluated service yet/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No check fails anywhere/)).toBeInTheDocument();
    empty.unmount();

    api.getTeams.mockRejectedValue(new Error('teams down'));
    await renderPage(api);
    expect(await screen.findAllByText('Error: teams down')).toHaveLength(2);
    expect(screen.getByText('Could not load: teams down')).toBeInTheDocument();
  });
});

describe('mostFailedChecks', () => {
  it('sums the failures of every team, most first, with titles', () => {
    expect(mostFailedChecks(teams, checks)).toEqual([
      {
        id: 'on-call.rotation-size',
        title: 'Rotation of 6–8 engineers',
        level: 'gold',
        failing: 3,
      },
      {
        id: 'alerting.runbooks',
        title: 'Critical alerts have runbooks',
        level: 'gold',
        failing: 2,
      },
    ]);
    expect(mostFailedChecks(teams, [], 1)).toEqual([
      {
        id: 'on-call.rotation-size',
        title: 'on-call.rotation-size',
        level: undefined,
        failing: 3,
      },
    ]);
  });
});
