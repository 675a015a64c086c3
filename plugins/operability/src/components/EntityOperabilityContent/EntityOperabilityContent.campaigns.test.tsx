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
  paperTitled,
  report,
} from '../__testUtils__/testing';
import { countsFromText } from '../shared/calendar';
import { EntityOperabilityContent } from './EntityOperabilityContent';

// The tab: checks announced for later in a table of their own, not among the
// failing ones of their category; the campaigns the service is in.

const withUpcoming: EntityReport = {
  ...report,
  readiness: {
    score: 50,
    level: 'bronze',
    evaluatedAt: '2026-03-02T10:00:00.000Z',
    checks: [
      check({
        id: 'documentation.runbook',
        title: 'Runbook linked',
        category: 'documentation',
        status: 'fail',
      }),
      check({
        id: 'documentation.techdocs',
        title: 'TechDocs',
        category: 'documentation',
        status: 'fail',
        upcoming: true,
        enforcedFrom: '2027-03-01',
      }),
    ],
  },
  campaigns: [
    {
      id: 'silver',
      title: 'Silver by spring',
      deadline: '2099-03-31',
      done: true,
      failing: [],
    },
  ],
};

jest.setTimeout(20_000);

describe('EntityOperabilityContent: upcoming checks and campaigns', () => {
  it('shows upcoming checks apart from the failing ones, and the campaigns', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue(withUpcoming);
    api.listExemptions.mockResolvedValue([]);
    api.getHistory.mockResolvedValue([]);
    api.getShifts.mockResolvedValue({
      scheduleRef: 'schedule:default/payments-on-call',
      shifts: [],
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [operabilityApiRef, api],
          [permissionApiRef, mockPermissionApi()],
        ]}
      >
        <EntityProvider entity={componentEntity}>
          <EntityOperabilityContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const documentation = paperTitled('documentation');
    expect(
      within(documentation).getByText('Runbook linked'),
    ).toBeInTheDocument();
    expect(within(documentation).queryByText('TechDocs')).toBeNull();
    expect(
      within(documentation).getByText('0 pass · 1 fail'),
    ).toBeInTheDocument();

    const upcoming = screen.getByRole('table', { name: 'Upcoming checks' });
    expect(within(upcoming).getByText('TechDocs')).toBeInTheDocument();
    expect(
      within(upcoming).getByText(countsFromText('2027-03-01')),
    ).toBeInTheDocument();

    const campaigns = screen.getByRole('list', { name: 'Campaigns' });
    expect(campaigns).toHaveTextContent('Silver by spring: done');
  });
});
