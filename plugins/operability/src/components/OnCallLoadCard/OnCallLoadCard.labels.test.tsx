import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { OnCallLoad } from '@opsready/plugin-operability-common';
import { screen, within } from '@testing-library/react';
import { cloneElement, type ReactElement } from 'react';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi } from '../__testUtils__/testing';
import { formatLocalDate, formatLocalDateTime } from '../shared/time';
import { shiftBars } from './loadFormat';
import { OnCallLoadCard } from './OnCallLoadCard';

// jsdom lays nothing out, so the chart gets a size of its own to draw its axis.
jest.mock('recharts', () => {
  const actual = jest.requireActual('recharts');
  return {
    ...actual,
    ResponsiveContainer: (props: { children: ReactElement }) =>
      cloneElement(props.children, { width: 1200, height: 220 } as object),
  };
});

const ALICE = { ref: 'user:default/alice', title: 'Alice' };
const BOB = { ref: 'user:default/bob', title: 'Bob' };
const CAROL = { ref: 'user:default/carol', title: 'Carol' };

/**
 * The window starts at 06:00 on Nov 2 during Alice's turn (cut), Bob takes
 * over at 09:00 the same day, Carol a week later.
 */
const load: OnCallLoad = {
  from: '2026-11-02T06:00:00.000Z',
  to: '2026-11-30T06:00:00.000Z',
  timeZone: 'UTC',
  pages: [
    {
      at: '2026-11-02T07:00:00.000Z',
      title: 'Disk full',
      source: 'prometheus',
      primary: ALICE,
      offHours: true,
    },
  ],
  shifts: [
    {
      start: '2026-11-02T06:00:00.000Z',
      end: '2026-11-02T09:00:00.000Z',
      primary: ALICE,
      pages: 1,
      offHoursPages: 1,
    },
    {
      start: '2026-11-02T09:00:00.000Z',
      end: '2026-11-09T09:00:00.000Z',
      primary: BOB,
      pages: 0,
      offHoursPages: 0,
    },
    {
      start: '2026-11-09T09:00:00.000Z',
      end: '2026-11-16T09:00:00.000Z',
      primary: CAROL,
      pages: 0,
      offHoursPages: 0,
    },
  ],
  people: [
    { person: ALICE, shifts: 1, pages: 1, offHoursPages: 1 },
    { person: BOB, shifts: 1, pages: 0, offHoursPages: 0 },
    { person: CAROL, shifts: 1, pages: 0, offHoursPages: 0 },
  ],
  busiestShare: 1,
};

describe('OnCallLoadCard chart labels', () => {
  it('never gives two bars the same label: shifts starting the same day carry their hand-off time', async () => {
    const api = mockOperabilityApi();
    api.getOnCallLoad.mockResolvedValue(load);
    await renderInTestApp(
      <TestApiProvider apis={[[operabilityApiRef, api]]}>
        <OnCallLoadCard entityRef="component:default/payments-api" />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const figure = await screen.findByRole('figure', {
      name: 'Pages per shift',
    });
    const expected = [
      formatLocalDateTime('2026-11-02T06:00:00.000Z'),
      formatLocalDateTime('2026-11-02T09:00:00.000Z'),
      formatLocalDate('2026-11-09T09:00:00.000Z'),
    ];
    for (const label of expected) {
      expect(within(figure).getByText(label)).toBeInTheDocument();
    }
    // The axis ticks: the X axis's labels (the Y axis's are counts).
    const ticks = [
      ...figure.querySelectorAll('.recharts-cartesian-axis-tick-value'),
    ]
      .map(tick => tick.textContent)
      .filter(text => !/^\d+$/.test(text ?? ''));
    expect(ticks).toEqual(expected);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('labels by day alone when each shift starts on a day of its own, and numbers shifts of the same minute', () => {
    expect(shiftBars(load.shifts.slice(1)).map(b => b.label)).toEqual([
      formatLocalDate('2026-11-02T09:00:00.000Z'),
      formatLocalDate('2026-11-09T09:00:00.000Z'),
    ]);
    const twice = shiftBars([load.shifts[1], load.shifts[1]]).map(b => b.label);
    const at = formatLocalDateTime('2026-11-02T09:00:00.000Z');
    expect(twice).toEqual([at, `${at} (2)`]);
  });
});
