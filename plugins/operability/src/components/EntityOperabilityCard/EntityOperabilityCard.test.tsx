import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import {
  check,
  componentEntity,
  mockOperabilityApi,
  mockPermissionApi,
  pending,
  report,
  responseError,
} from '../__testUtils__/testing';
import { EntityOperabilityCard } from './EntityOperabilityCard';
import { topFailingChecks } from './topFailingChecks';

function renderCard(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
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
}

describe('EntityOperabilityCard', () => {
  it('shows progress while the report loads', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockReturnValue(pending());
    await renderCard(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the owning team, its contacts and who is on call', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue(report);
    await renderCard(api);
    expect(await screen.findByText('Payments')).toBeInTheDocument();
    expect(screen.getByText(/pay@example.com/)).toBeInTheDocument();
    expect(screen.getByText(/#team-payments/)).toBeInTheDocument();
    expect(screen.getByText(/2 members \(1 direct\)/)).toBeInTheDocument();
    expect(screen.getAllByText('Alice')).toHaveLength(1);
    expect(screen.getByText('Bob')).toBeInTheDocument();
    expect(screen.getByText(/^until /)).toBeInTheDocument();
    expect(screen.getByText('Not evaluated yet')).toBeInTheDocument();
    expect(api.getEntityReport).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('says plainly when there is no owner team and no schedule', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue({
      ...report,
      owner: {
        declared: 'group:default/ghost',
        ref: null,
        resolvedFrom: 'dangling',
        members: [],
        contacts: {},
        parents: [],
      },
      onCall: null,
    });
    await renderCard(api);
    expect(
      await screen.findByText(/group:default\/ghost does not exist/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No on-call schedule covers this/),
    ).toBeInTheDocument();
  });

  it('shows why on-call is unknown and how old the last known answer is', async () => {
    const api = mockOperabilityApi();
    const asOf = new Date(Date.now() - 3 * 3600_000).toISOString();
    api.getEntityReport.mockResolvedValue({
      ...report,
      onCall: {
        ...report.onCall!,
        status: 'unknown',
        reason: 'PagerDuty answered 503',
        asOf,
      },
    });
    await renderCard(api);
    expect(
      await screen.findByText(
        /On-call is unknown right now: PagerDuty answered 503/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/last known answer, from 3 hours ago/),
    ).toBeInTheDocument();
    expect(screen.getByText('Alice')).toBeInTheDocument();
  });

  it('shows the score gauge, the level and the three failing checks to fix first', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue({
      ...report,
      readiness: {
        score: 72,
        level: 'silver',
        evaluatedAt: new Date().toISOString(),
        checks: [
          check({
            id: 'alerting.runbooks',
            title: 'Critical alerts have runbooks',
            level: 'gold',
            weight: 5,
            status: 'fail',
            remediation: 'Add runbook_url',
          }),
          check({
            id: 'documentation.runbook',
            title: 'Runbook linked',
            level: 'silver',
            weight: 1,
            status: 'fail',
            remediation: 'Link a runbook',
          }),
          check({
            id: 'instrumentation.scraped',
            title: 'Scraped by Prometheus',
            level: 'silver',
            weight: 3,
            status: 'fail',
            remediation: 'Add a scrape target',
          }),
          check({
            id: 'on-call.schedule',
            title: 'Has an on-call schedule',
            level: 'bronze',
            weight: 1,
            status: 'pass',
          }),
          check({
            id: 'ownership.in-system',
            title: 'Part of a System',
            level: 'gold',
            weight: 1,
            status: 'fail',
          }),
          check({
            id: 'alerting.has-alerts',
            title: 'Has alerts',
            level: 'bronze',
            weight: 1,
            status: 'unknown',
          }),
        ],
      },
    });
    await renderCard(api);
    expect(await screen.findByText('72%')).toBeInTheDocument();
    expect(
      within(screen.getByText(/Score 72\/100/)).getByText('silver'),
    ).toBeInTheDocument();
    const list = screen.getByRole('list', {
      name: 'Failing checks to fix first',
    });
    const items = within(list).getAllByRole('listitem');
    expect(
      items.map(item => item.querySelector('strong')?.textContent),
    ).toEqual([
      'Scraped by Prometheus',
      'Runbook linked',
      'Critical alerts have runbooks',
    ]);
    expect(
      within(items[0]).getByText('Add a scrape target'),
    ).toBeInTheDocument();
    expect(screen.getByText(/and 1 more failing/)).toBeInTheDocument();
  });

  it('warns when inputs of the service could not be read', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue({
      ...report,
      readiness: {
        score: 40,
        level: 'bronze',
        evaluatedAt: '2026-03-02T10:00:00.000Z',
        checks: [],
        problems: [
          { provider: 'alert-rules', message: 'rules/a.yaml: not found' },
          { provider: 'prometheus', message: 'bad selector' },
        ],
      },
    });
    await renderCard(api);
    expect(
      await screen.findByText(
        /2 of its inputs could not be read; the checks that need them are unknown/,
      ),
    ).toBeInTheDocument();
  });

  it('says "Not evaluated yet" when the backend has no report', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockRejectedValue(
      await responseError(404, 'No entity component:default/payments-api'),
    );
    await renderCard(api);
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockRejectedValue(new Error('backend down'));
    await renderCard(api);
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});

describe('topFailingChecks', () => {
  it('puts the lowest level first, then the heaviest, and keeps only failures', () => {
    const checks = [
      check({ id: 'gold-heavy', level: 'gold', weight: 9, status: 'fail' }),
      check({ id: 'silver-light', level: 'silver', weight: 1, status: 'fail' }),
      check({
        id: 'bronze-unknown',
        level: 'bronze',
        weight: 9,
        status: 'unknown',
      }),
      check({ id: 'silver-heavy', level: 'silver', weight: 4, status: 'fail' }),
      check({ id: 'bronze-light', level: 'bronze', weight: 1, status: 'fail' }),
    ];
    expect(topFailingChecks(checks, 3).map(c => c.id)).toEqual([
      'bronze-light',
      'silver-heavy',
      'silver-light',
    ]);
  });
});
