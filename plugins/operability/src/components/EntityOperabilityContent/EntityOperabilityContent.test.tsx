import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { operabilityApiRef } from '../../api';
import {
  check,
  componentEntity,
  mockOperabilityApi,
  mockPermissionApi,
  paperTitled,
  pending,
  report,
  responseError,
} from '../__testUtils__/testing';
import { EntityOperabilityContent } from './EntityOperabilityContent';

const evaluatedReport = {
  ...report,
  readiness: {
    score: 60,
    level: 'bronze' as const,
    evaluatedAt: '2026-03-02T10:00:00.000Z',
    checks: [
      check({
        id: 'alerting.critical-pages',
        title: 'Critical alerts page someone',
        category: 'alerting',
        level: 'silver',
        status: 'fail',
        message:
          'critical alerts go to slack-payments (route 0), which does not page',
        remediation: 'Route severity=critical to a paging receiver',
        evidence: [
          { kind: 'rule', text: 'PaymentsDown', source: 'rules/payments.yaml' },
          {
            kind: 'route',
            text: 'route 0 → slack-payments',
            source: 'slack-payments',
          },
        ],
      }),
      check({
        id: 'ownership.owner-set',
        title: 'Owner is set',
        category: 'ownership',
        status: 'pass',
        message: 'spec.owner is group:default/payments',
      }),
    ],
  },
};

function renderContent(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
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
}

function apiAnswering() {
  const api = mockOperabilityApi();
  api.getEntityReport.mockResolvedValue(evaluatedReport);
  api.listExemptions.mockResolvedValue([]);
  api.getHistory.mockResolvedValue([]);
  api.getShifts.mockResolvedValue({
    scheduleRef: 'schedule:default/payments-on-call',
    shifts: [],
  });
  return api;
}

describe('EntityOperabilityContent', () => {
  it('shows progress while the report loads', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockReturnValue(pending());
    await renderContent(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the report fails', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockRejectedValue(new Error('backend down'));
    await renderContent(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });

  it('says "Not evaluated yet" when there is no report', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockRejectedValue(
      await responseError(404, 'unknown entity'),
    );
    await renderContent(api);
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('says "Not evaluated yet" when the report has no readiness', async () => {
    const api = apiAnswering();
    api.getEntityReport.mockResolvedValue(report);
    await renderContent(api);
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(
      screen.getByText(/Unknown: this entity has not been evaluated yet/),
    ).toBeInTheDocument();
  });

  it('groups the checks by category with status, level, evidence and fix', async () => {
    const api = apiAnswering();
    await renderContent(api);
    expect(
      await screen.findByText(/Score 60\/100 · level/),
    ).toBeInTheDocument();

    const alertingTable = paperTitled('alerting');
    expect(
      within(alertingTable).getByText('Critical alerts page someone'),
    ).toBeInTheDocument();
    expect(within(alertingTable).getByText('fail')).toBeInTheDocument();
    expect(within(alertingTable).getByText('silver')).toBeInTheDocument();
    expect(within(alertingTable).getByText('PaymentsDown')).toBeInTheDocument();
    expect(
      within(alertingTable).getByText(/rules\/payments.yaml/),
    ).toBeInTheDocument();
    expect(
      within(alertingTable).getAllByText(
        'Route severity=critical to a paging receiver',
      ),
    ).toHaveLength(1);

    // Passing checks are collapsed to their titles until asked for.
    expect(
      screen.getByText('1 passing or not applicable: Owner is set'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Show passing checks (1)' }),
    );
    const ownershipTable = paperTitled('ownership');
    expect(
      within(ownershipTable).getByText('Owner is set'),
    ).toBeInTheDocument();
    expect(within(ownershipTable).getByText('pass')).toBeInTheDocument();
  });

  it('lists the inputs the backend could not read, and says nothing when there are none', async () => {
    const api = apiAnswering();
    api.getEntityReport.mockResolvedValue({
      ...evaluatedReport,
      readiness: {
        ...evaluatedReport.readiness,
        problems: [
          {
            provider: 'alert-rules',
            message:
              'rules/payments.yaml:12: bad indentation of a mapping entry',
          },
        ],
      },
    });
    const { unmount } = await renderContent(api);
    const alert = await screen.findByRole('alert', {
      name: 'Inputs that could not be read',
    });
    expect(alert).toHaveTextContent('One of its inputs could not be read');
    expect(alert).toHaveTextContent(
      'alert-rules: rules/payments.yaml:12: bad indentation of a mapping entry',
    );
    unmount();

    api.getEntityReport.mockResolvedValue(evaluatedReport);
    await renderContent(api);
    await screen.findByText(/Score 60\/100 · level/);
    expect(
      screen.queryByRole('alert', { name: 'Inputs that could not be read' }),
    ).toBeNull();
  });

  it('shows how a critical alert is routed from the check evidence', async () => {
    const api = apiAnswering();
    await renderContent(api);
    const routes = await screen.findByRole('list', {
      name: 'Routes of critical alerts',
    });
    expect(
      within(routes).getByText('route 0 → slack-payments'),
    ).toBeInTheDocument();
  });

  it('asks each section for its data', async () => {
    const api = apiAnswering();
    await renderContent(api);
    await screen.findByText(/The schedule has no shifts ahead/);
    expect(api.getShifts).toHaveBeenCalledWith(
      'component:default/payments-api',
      {
        count: 6,
      },
    );
    expect(api.getHistory).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(api.listExemptions).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(screen.getByText(/Not enough history yet/)).toBeInTheDocument();
  });
});
