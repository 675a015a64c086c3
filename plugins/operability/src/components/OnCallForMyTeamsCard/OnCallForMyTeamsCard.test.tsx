import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { ScorecardRow } from '@opsready/plugin-operability-common';
import { screen, within } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import {
  mockOperabilityApi,
  report,
  scorecardRow,
} from '../__testUtils__/testing';
import { OnCallForMyTeamsContent, rotationsOf } from './OnCallForMyTeamsCard';

function identity(refs: string[]) {
  return {
    getBackstageIdentity: jest.fn(async () => ({
      type: 'user' as const,
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: refs,
    })),
    getProfileInfo: jest.fn(async () => ({})),
    getCredentials: jest.fn(async () => ({})),
    signOut: jest.fn(async () => {}),
  };
}

const row = (name: string, overrides: Partial<ScorecardRow> = {}) => ({
  ...scorecardRow,
  entityRef: `component:default/${name}`,
  title: name,
  ...overrides,
});

function renderContent(
  api: ReturnType<typeof mockOperabilityApi>,
  refs: string[],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [operabilityApiRef, api],
        [identityApiRef, identity(refs)],
      ]}
    >
      <OnCallForMyTeamsContent />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('OnCallForMyTeamsContent', () => {
  it('shows, per team of the user, who is on call for its services and until when', async () => {
    const api = mockOperabilityApi();
    api.getScorecards.mockResolvedValue({
      items: [
        row('payments-api'),
        row('payments-db'),
        row('ledger', { onCall: null }),
      ],
      total: 3,
    });
    await renderContent(api, ['user:default/alice', 'group:default/payments']);
    const team = await screen.findByLabelText('On call for payments');
    expect(await within(team).findByText('Alice')).toBeInTheDocument();
    expect(within(team).getByText('payments-api')).toBeInTheDocument();
    expect(within(team).getByText('payments-db')).toBeInTheDocument();
    expect(within(team).getByText(/^until /)).toBeInTheDocument();
    expect(
      within(team).getByText('1 service with nobody on call.'),
    ).toBeInTheDocument();
    expect(api.getScorecards).toHaveBeenCalledWith({
      owner: 'group:default/payments',
      limit: 100,
    });
  });

  it('says so when the user is in no team', async () => {
    const api = mockOperabilityApi();
    await renderContent(api, ['user:default/alice']);
    expect(
      await screen.findByText(/You belong to no team in the catalog/),
    ).toBeInTheDocument();
    expect(api.getScorecards).not.toHaveBeenCalled();
  });
});

describe('rotationsOf', () => {
  it('groups services by schedule and people, biggest first', () => {
    const other = {
      ...report.onCall!,
      scheduleRef: 'schedule:default/other',
    };
    const { rotations, uncovered } = rotationsOf([
      row('a', { onCall: other }),
      row('b'),
      row('c'),
      row('d', { onCall: { ...report.onCall!, status: 'none' } }),
    ]);
    expect(rotations.map(r => r.services.map(s => s.title))).toEqual([
      ['b', 'c'],
      ['a'],
    ]);
    expect(uncovered.map(s => s.title)).toEqual(['d']);
  });
});
