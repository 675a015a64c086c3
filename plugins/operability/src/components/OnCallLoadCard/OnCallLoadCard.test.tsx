import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  OnCallLoad,
  ScorecardRow,
} from '@opsready/plugin-operability-common';
import { screen, within } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import { EntityTeamOperabilityCard } from '../EntityTeamOperabilityCard';
import {
  mockOperabilityApi,
  pending,
  responseError,
  scorecardRow,
} from '../__testUtils__/testing';
import { formatSeconds, shiftBars, windowDays } from './loadFormat';
import { OnCallLoadCard } from './OnCallLoadCard';

const ALICE = { ref: 'user:default/alice', title: 'Alice' };
const BOB = { ref: 'user:default/bob' };

const load: OnCallLoad = {
  from: '2026-02-02T09:00:00.000Z',
  to: '2026-03-02T09:00:00.000Z',
  timeZone: 'Europe/Berlin',
  pages: [
    {
      at: '2026-02-03T02:00:00.000Z',
      title: 'Disk full',
      source: 'prometheus',
      primary: ALICE,
      offHours: true,
    },
    {
      at: '2026-02-04T10:00:00.000Z',
      title: 'Latency',
      source: 'pagerduty',
      primary: ALICE,
      offHours: false,
    },
    {
      at: '2026-02-05T23:00:00.000Z',
      title: 'Errors',
      source: 'pagerduty',
      primary: ALICE,
      offHours: true,
    },
    {
      at: '2026-02-11T10:00:00.000Z',
      title: 'Latency',
      source: 'pagerduty',
      primary: BOB,
      offHours: false,
    },
  ],
  shifts: [
    {
      start: '2026-02-02T09:00:00.000Z',
      end: '2026-02-09T09:00:00.000Z',
      primary: ALICE,
      pages: 3,
      offHoursPages: 2,
    },
    {
      start: '2026-02-09T09:00:00.000Z',
      end: '2026-02-16T09:00:00.000Z',
      primary: BOB,
      pages: 1,
      offHoursPages: 0,
    },
  ],
  people: [
    { person: ALICE, shifts: 1, pages: 3, offHoursPages: 2 },
    { person: BOB, shifts: 1, pages: 1, offHoursPages: 0 },
  ],
  busiestShare: 0.75,
  mtta: 240,
  mttr: 4800,
};

function renderCard(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <OnCallLoadCard entityRef="component:default/payments-api" />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('OnCallLoadCard', () => {
  it('shows progress while the load loads', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockReturnValue(pending());
    await renderCard(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.getOnCallLoad).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('charts pages per shift and lists pages per person, with the busiest share and MTTA/MTTR', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockResolvedValue(load);
    await renderCard(api);

    expect(
      await screen.findByRole('figure', { name: 'Pages per shift' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /off-hours pages \(outside working hours in Europe\/Berlin\) on top/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Load summary')).toHaveTextContent(
      '4 pages (2 off-hours) over 2 primary shifts in the last 28 days · busiest: Alice, 75% of pages · MTTA 4 min · MTTR 1 h 20 min',
    );

    const alice = screen.getByRole('link', { name: 'Alice' }).closest('tr')!;
    expect(
      within(alice)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['Alice', '1', '3', '2', '75%']);
    const bob = screen.getByRole('link', { name: 'bob' }).closest('tr')!;
    expect(
      within(bob)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['bob', '1', '1', '0', '25%']);
  });

  it('leaves MTTA and MTTR out when no source reports them', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockResolvedValue({
      ...load,
      mtta: undefined,
      mttr: undefined,
    });
    await renderCard(api);
    const summary = await screen.findByLabelText('Load summary');
    expect(summary.textContent).not.toMatch(/MTT/);
  });

  it('says there were no pages in the window', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockResolvedValue({
      ...load,
      pages: [],
      shifts: load.shifts.map(s => ({ ...s, pages: 0, offHoursPages: 0 })),
      people: load.people.map(p => ({ ...p, pages: 0, offHoursPages: 0 })),
      busiestShare: 0,
    });
    await renderCard(api);
    expect(
      await screen.findByText('No pages in the last 28 days.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('figure')).toBeNull();
  });

  it('explains a 404: nothing covers the entity', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockRejectedValue(
      await responseError(404, 'No on-call covers component:default/x'),
    );
    await renderCard(api);
    expect(
      await screen.findByText(
        /No on-call schedule or provider covers this entity/,
      ),
    ).toBeInTheDocument();
  });

  it('shows any other error', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockRejectedValue(new Error('pages store down'));
    await renderCard(api);
    expect(
      await screen.findByText('Error: pages store down'),
    ).toBeInTheDocument();
  });
});

describe('the team card’s on-call load', () => {
  const group: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
  const row = (name: string): ScorecardRow => ({
    ...scorecardRow,
    entityRef: `component:default/${name}`,
    title: name,
  });

  function renderTeamCard(api: ReturnType<typeof mockOperabilityApi>) {
    return renderInTestApp(
      <TestApiProvider apis={[[operabilityApiRef, api]]}>
        <EntityProvider entity={group}>
          <EntityTeamOperabilityCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
  }

  it('sums the first five services’ loads, one request each, and shows each in its row', async () => {
    const api = mockOperabilityApi();
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    api.getScorecards.mockResolvedValue({
      items: names.map(row),
      total: 7,
    });
    api.getOnCallLoad.mockImplementation(async ref => {
      if (ref === 'component:default/b') {
        throw await responseError(404, 'No on-call covers it');
      }
      if (ref === 'component:default/c') throw new Error('timed out');
      return load;
    });
    await renderTeamCard(api);

    expect(await screen.findByLabelText('Team on-call load')).toHaveTextContent(
      'On-call load, last 28 days, over the first 5 of 7 services: 12 pages, 6 off-hours (1 unavailable).',
    );
    expect(api.getOnCallLoad.mock.calls.map(([ref]) => ref)).toEqual(
      names.slice(0, 5).map(n => `component:default/${n}`),
    );
    const cellOf = (name: string) =>
      within(screen.getByText(name).closest('tr')!).getAllByRole('cell').pop()!
        .textContent;
    expect(cellOf('a')).toBe('4 (2 off-hours)busiest 75%');
    expect(cellOf('b')).toBe('no on-call');
    expect(cellOf('c')).toBe('unavailable');
    expect(cellOf('f')).toBe('—');
  });

  it('says when none of the services has on-call', async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockResolvedValue({ items: [row('a')], total: 1 });
    api.getOnCallLoad.mockRejectedValue(await responseError(404, 'none'));
    await renderTeamCard(api);
    expect(
      await screen.findByText(
        'No on-call schedule or provider covers these services.',
      ),
    ).toBeInTheDocument();
  });
});

describe('load formatting', () => {
  it('formats mean times in their two largest units', () => {
    expect(formatSeconds(45)).toBe('45 s');
    expect(formatSeconds(240)).toBe('4 min');
    expect(formatSeconds(3600)).toBe('1 h');
    expect(formatSeconds(4800)).toBe('1 h 20 min');
    expect(formatSeconds(2 * 86400 + 3 * 3600)).toBe('2 d 3 h');
  });

  it('splits each shift into working-hours and off-hours pages, oldest first', () => {
    const bars = shiftBars([...load.shifts].reverse());
    expect(bars.map(b => [b.primary, b.working, b.offHours])).toEqual([
      ['Alice', 1, 2],
      ['bob', 1, 0],
    ]);
  });

  it('counts the window in days', () => {
    expect(windowDays(load)).toBe(28);
  });
});
