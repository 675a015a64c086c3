import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EntityReport } from '@opsready/plugin-operability-common';
import { screen, within } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import {
  check,
  componentEntity,
  mockOperabilityApi,
  mockPermissionApi,
  report,
} from '../__testUtils__/testing';
import { countsFromText } from '../shared/calendar';
import { EntityOperabilityCard } from './EntityOperabilityCard';

// Checks announced for later, apart from the failing ones; the campaigns
// the service is in.

const withUpcoming: EntityReport = {
  ...report,
  readiness: {
    score: 50,
    level: 'bronze',
    evaluatedAt: '2026-03-02T10:00:00.000Z',
    checks: [
      check({
        id: 'alerting.runbooks',
        title: 'Critical alerts have runbooks',
        status: 'fail',
        level: 'silver',
        remediation: 'Add runbook_url',
      }),
      check({
        id: 'documentation.techdocs',
        title: 'TechDocs',
        status: 'fail',
        level: 'bronze',
        upcoming: true,
        enforcedFrom: '2027-03-01',
        remediation: 'Add techdocs',
      }),
    ],
  },
  campaigns: [
    {
      id: 'runbooks',
      title: 'Runbooks for criticals',
      deadline: '2099-03-31',
      done: false,
      failing: ['alerting.runbooks'],
    },
  ],
};

describe('EntityOperabilityCard: upcoming checks and campaigns', () => {
  it('keeps an upcoming check out of "Fix first" and shows when it counts', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue(withUpcoming);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [operabilityApiRef, api],
          [permissionApiRef, mockPermissionApi()],
        ]}
      >
        <EntityProvider entity={componentEntity}>
          <EntityOperabilityCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const fixFirst = await screen.findByRole('list', {
      name: 'Failing checks to fix first',
    });
    expect(
      within(fixFirst).getByText('Critical alerts have runbooks'),
    ).toBeInTheDocument();
    expect(within(fixFirst).queryByText('TechDocs')).toBeNull();

    const soon = screen.getByRole('list', { name: 'Checks that count soon' });
    expect(soon).toHaveTextContent(
      `TechDocs fails now · ${countsFromText('2027-03-01')}`,
    );

    const campaigns = screen.getByRole('list', { name: 'Campaigns' });
    expect(campaigns).toHaveTextContent(
      'Runbooks for criticals: open, fix Critical alerts have runbooks',
    );
  });
});
