import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ScorecardRow } from '@opsready/plugin-operability-common';
import { screen, within } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi, pending, report } from '../__testUtils__/testing';
import { EntityTeamOperabilityCard } from './EntityTeamOperabilityCard';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

function row(
  overrides: Partial<ScorecardRow> & { entityRef: string },
): ScorecardRow {
  return {
    kind: 'component',
    owner: {
      declared: 'group:default/payments',
      ref: 'group:default/payments',
    },
    onCall: report.onCall,
    score: 80,
    level: 'silver',
    evaluatedAt: '2026-03-02T10:00:00.000Z',
    ...overrides,
  };
}

function renderCard(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <EntityProvider entity={group}>
        <EntityTeamOperabilityCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityTeamOperabilityCard', () => {
  it('shows progress while loading', async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockReturnValue(pending());
    await renderCard(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it("lists the team's services with levels, on-call and counts per level", async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockResolvedValue({
      items: [
        row({
          entityRef: 'component:default/payments-api',
          title: 'Payments API',
        }),
        row({
          entityRef: 'component:default/ledger',
          level: 'gold',
          score: 100,
        }),
        row({
          entityRef: 'component:default/refunds',
          level: null,
          score: null,
          onCall: null,
        }),
      ],
      total: 3,
    });
    await renderCard(api);

    const payments = (await screen.findByText('Payments API')).closest('tr')!;
    expect(within(payments).getByText('silver')).toBeInTheDocument();
    expect(within(payments).getByText('Alice')).toBeInTheDocument();
    const refunds = screen.getByText('refunds').closest('tr')!;
    expect(within(refunds).getByText('no schedule')).toBeInTheDocument();
    expect(within(refunds).getByText('not evaluated')).toBeInTheDocument();

    const counts = screen.getByLabelText('Services per level');
    expect(within(counts).getByText('gold · 1')).toBeInTheDocument();
    expect(within(counts).getByText('silver · 1')).toBeInTheDocument();
    expect(within(counts).getByText('bronze · 0')).toBeInTheDocument();
    expect(within(counts).getByText('not evaluated · 1')).toBeInTheDocument();
    expect(api.getScorecards).toHaveBeenCalledWith({
      owner: 'group:default/payments',
      limit: 100,
    });
  });

  it('says how to give the team services when it owns none', async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockResolvedValue({ items: [], total: 0 });
    await renderCard(api);
    expect(
      await screen.findByText(/No service has this team as its owner/),
    ).toBeInTheDocument();
  });

  it('shows the error', async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockRejectedValue(new Error('backend down'));
    await renderCard(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
