import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  CampaignDetail,
  CampaignSummary,
  CheckDescription,
} from '@opsready/plugin-operability-common';
import { calendarDateOf } from '@opsready/plugin-operability-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi, pending } from '../__testUtils__/testing';
import { formatCalendarDate } from '../shared/calendar';
import { burndownChartPoints } from './CampaignBurndownChart';
import { CampaignsSection } from './CampaignsSection';

const DAY = 86_400_000;
const date = (days: number) => calendarDateOf(Date.now() + days * DAY);

const runbooks: CampaignSummary = {
  id: 'runbooks',
  title: 'Every production service has a runbook',
  description: 'Incidents end sooner with a runbook.',
  start: date(-10),
  deadline: date(11),
  state: 'active',
  target: { checks: ['documentation.runbook'] },
  total: 8,
  done: 6,
};

const silver: CampaignSummary = {
  id: 'silver',
  title: 'Production at silver',
  start: date(5),
  deadline: date(60),
  state: 'upcoming',
  target: { level: 'silver' },
  total: 4,
  done: 1,
};

const detail: CampaignDetail = {
  ...runbooks,
  teams: [
    { ref: 'group:default/search', title: 'Search', total: 3, done: 1 },
    { ref: 'group:default/payments', title: 'Payments', total: 5, done: 5 },
  ],
  burndown: [
    { date: date(-10), remaining: 6 },
    { date: date(-5), remaining: 4 },
    { date: date(0), remaining: 2 },
  ],
};

const checks: CheckDescription[] = [
  {
    id: 'documentation.runbook',
    title: 'Runbook linked',
    category: 'documentation',
    level: 'silver',
    rank: 2,
    weight: 2,
    description: '',
    remediation: '',
  },
];

function renderSection(
  api: ReturnType<typeof mockOperabilityApi>,
  url = '/operability',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <CampaignsSection checks={checks} />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

function apiWithCampaigns() {
  const api = mockOperabilityApi();
  api.getCampaigns.mockResolvedValue([runbooks, silver]);
  api.getCampaign.mockResolvedValue(detail);
  api.getCampaignServices.mockResolvedValue({
    items: [
      {
        entityRef: 'component:default/search-api',
        owner: 'group:default/search',
        done: false,
        failing: ['documentation.runbook'],
      },
    ],
    total: 2,
    nextCursor: '1',
  });
  return api;
}

jest.setTimeout(20_000);

describe('CampaignsSection', () => {
  it('shows progress while the campaigns load', async () => {
    const api = mockOperabilityApi();
    api.getCampaigns.mockReturnValue(pending());
    await renderSection(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says how to add a campaign when there is none', async () => {
    const api = mockOperabilityApi();
    api.getCampaigns.mockResolvedValue([]);
    await renderSection(api);
    expect(await screen.findByText(/No campaigns/)).toBeInTheDocument();
    expect(screen.getByText('operability.campaigns')).toBeInTheDocument();
  });

  it('shows the error when the campaigns fail', async () => {
    const api = mockOperabilityApi();
    api.getCampaigns.mockRejectedValue(new Error('backend down'));
    await renderSection(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('shows each campaign with its progress, deadline, days left and target', async () => {
    const api = apiWithCampaigns();
    await renderSection(api);
    expect(
      await screen.findByRole('progressbar', {
        name: 'Every production service has a runbook: 75% done',
      }),
    ).toHaveAttribute('aria-valuenow', '75');
    expect(screen.getByText('6 of 8 done (75%)')).toBeInTheDocument();
    expect(
      screen.getByText(
        new RegExp(
          `Deadline ${formatCalendarDate(
            runbooks.deadline,
          )} · 12 days left · target: Runbook linked`,
        ),
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('1 of 4 done (25%)')).toBeInTheDocument();
    expect(screen.getByText(/starts in 5 days/)).toBeInTheDocument();
  });

  it('opens the first active campaign: teams, burndown and the open services with what fails', async () => {
    const api = apiWithCampaigns();
    await renderSection(api);
    const teams = await screen.findByRole('table', {
      name: 'Progress per team',
    });
    const rows = within(teams).getAllByRole('row');
    expect(within(rows[1]).getByText('Search')).toBeInTheDocument();
    expect(within(rows[1]).getByText('1 of 3')).toBeInTheDocument();
    expect(
      within(teams).getByRole('progressbar', { name: 'Search: 33% done' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Burndown' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/2 of 8 still open on/)).toBeInTheDocument();
    expect(
      screen.getByText('Incidents end sooner with a runbook.'),
    ).toBeInTheDocument();

    const open = await screen.findByRole('table', {
      name: 'Services still open',
    });
    expect(within(open).getByText('search-api')).toBeInTheDocument();
    expect(within(open).getByText('Runbook linked')).toBeInTheDocument();
    expect(api.getCampaign).toHaveBeenCalledWith('runbooks');
    expect(api.getCampaignServices).toHaveBeenCalledWith('runbooks', {
      done: false,
      limit: 10,
      cursor: undefined,
    });
    expect(api.getCampaign).not.toHaveBeenCalledWith('silver');
  });

  it('loads more open services on demand', async () => {
    const api = apiWithCampaigns();
    await renderSection(api);
    await screen.findByText('1 of 2 open');
    api.getCampaignServices.mockResolvedValueOnce({
      items: [
        {
          entityRef: 'component:default/search-ui',
          owner: 'group:default/search',
          done: false,
          failing: [],
        },
      ],
      total: 2,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(await screen.findByText('search-ui')).toBeInTheDocument();
    expect(screen.getByText('2 of 2 open')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(api.getCampaignServices).toHaveBeenLastCalledWith('runbooks', {
      done: false,
      limit: 10,
      cursor: '1',
    });
  });

  it('opens the campaign a link names', async () => {
    const api = apiWithCampaigns();
    api.getCampaign.mockResolvedValue({ ...silver, teams: [], burndown: [] });
    api.getCampaignServices.mockResolvedValue({ items: [], total: 0 });
    await renderSection(api, '/operability?campaign=silver');
    await waitFor(() => expect(api.getCampaign).toHaveBeenCalledWith('silver'));
    expect(
      await screen.findByText(
        `The burndown starts on ${formatCalendarDate(silver.start)}.`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Every service in scope meets the target.'),
    ).toBeInTheDocument();
    expect(api.getCampaign).not.toHaveBeenCalledWith('runbooks');
  });

  it('charts the recorded days against a steady pace from the first to none at the end of the deadline', () => {
    const points = burndownChartPoints({
      deadline: '2027-01-10',
      burndown: [
        { date: '2027-01-01', remaining: 8 },
        { date: '2027-01-06', remaining: 5 },
      ],
    });
    expect(points).toEqual([
      { at: Date.parse('2027-01-01T00:00:00Z'), remaining: 8, ideal: 8 },
      { at: Date.parse('2027-01-06T00:00:00Z'), remaining: 5, ideal: 4 },
      { at: Date.parse('2027-01-11T00:00:00Z'), ideal: 0 },
    ]);
    expect(
      burndownChartPoints({ deadline: '2027-01-10', burndown: [] }),
    ).toEqual([]);
  });
});
