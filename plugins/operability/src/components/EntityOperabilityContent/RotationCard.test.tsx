import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import {
  mockOperabilityApi,
  pending,
  responseError,
} from '../__testUtils__/testing';
import { RotationCard } from './RotationCard';

function renderCard(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <RotationCard entityRef="component:default/payments-api" />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('RotationCard', () => {
  it('shows progress while the shifts load', async () => {
    const api = mockOperabilityApi();
    api.getShifts.mockReturnValue(pending());
    await renderCard(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('lists the next shifts with role, person, local times and overrides', async () => {
    const api = mockOperabilityApi();
    api.getShifts.mockResolvedValue({
      scheduleRef: 'schedule:default/payments-on-call',
      shifts: [
        {
          role: 'primary',
          person: { ref: 'user:default/alice', title: 'Alice' },
          start: '2026-03-02T14:00:00.000Z',
          end: '2026-03-09T13:00:00.000Z',
          override: false,
        },
        {
          role: 'primary',
          person: { ref: 'user:default/grace', title: 'Grace' },
          start: '2026-03-09T13:00:00.000Z',
          end: '2026-03-10T13:00:00.000Z',
          override: true,
        },
      ],
    });
    await renderCard(api);
    const grace = (await screen.findByText('Grace')).closest('tr')!;
    expect(within(grace).getByText('override')).toBeInTheDocument();
    expect(within(grace).getByText('primary')).toBeInTheDocument();
    const alice = screen.getByText('Alice').closest('tr')!;
    expect(within(alice).queryByText('override')).toBeNull();
    // No catalog to read the schedule's zone from: the viewer's local times.
    expect(alice.textContent).toContain(
      new Date('2026-03-02T14:00:00.000Z').toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(alice.textContent).toContain(
      new Date('2026-03-09T13:00:00.000Z').toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(screen.getByText('payments-on-call')).toBeInTheDocument();
    expect(api.getShifts).toHaveBeenCalledWith(
      'component:default/payments-api',
      {
        count: 6,
      },
    );
  });

  it('lists the shadows of those weeks after the shifts, as not paged', async () => {
    const api = mockOperabilityApi();
    api.getShifts.mockResolvedValue({
      scheduleRef: 'schedule:default/payments-on-call',
      shifts: [
        {
          role: 'primary',
          person: { ref: 'user:default/alice', title: 'Alice' },
          start: '2026-03-02T14:00:00.000Z',
          end: '2026-03-09T13:00:00.000Z',
          override: false,
        },
        {
          role: 'secondary',
          person: { ref: 'user:default/bob', title: 'Bob' },
          start: '2026-03-02T14:00:00.000Z',
          end: '2026-03-09T13:00:00.000Z',
          override: false,
        },
        {
          role: 'shadow',
          person: { ref: 'user:default/frank', title: 'Frank' },
          start: '2026-03-02T14:00:00.000Z',
          end: '2026-03-09T13:00:00.000Z',
          override: false,
        },
      ],
    });
    await renderCard(api);
    const frank = (await screen.findByText('Frank')).closest('tr')!;
    expect(within(frank).getByText('shadow')).toBeInTheDocument();
    expect(within(frank).getByText('not paged')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['primary', 'secondary', 'shadow']);
    expect(
      screen.getByText(/A shadow is learning the rotation/),
    ).toBeInTheDocument();
  });

  it('hides the table with a sentence when no schedule covers the entity', async () => {
    const api = mockOperabilityApi();
    api.getShifts.mockRejectedValue(
      await responseError(404, 'No valid on-call schedule'),
    );
    await renderCard(api);
    expect(
      await screen.findByText(
        /No on-call schedule in the catalog covers this entity/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows other errors', async () => {
    const api = mockOperabilityApi();
    api.getShifts.mockRejectedValue(new Error('backend down'));
    await renderCard(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
