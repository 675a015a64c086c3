import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EntityReport } from '@opsready/plugin-operability-common';
import { screen } from '@testing-library/react';
import { OperabilityApi, operabilityApiRef } from '../../api';
import { EntityOperabilityCard } from './EntityOperabilityCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { owner: 'payments' },
};

const report: EntityReport = {
  entityRef: 'component:default/payments-api',
  owner: {
    declared: 'group:default/payments',
    ref: 'group:default/payments',
    title: 'Payments',
    resolvedFrom: 'group',
    members: [
      { ref: 'user:default/alice', title: 'Alice', direct: true },
      { ref: 'user:default/bob', title: 'Bob', direct: false },
    ],
    contacts: { email: 'pay@example.com', slack: '#team-payments' },
    parents: ['group:default/commerce'],
  },
  onCall: {
    source: 'schedule',
    scheduleRef: 'schedule:default/payments-on-call',
    primary: { ref: 'user:default/alice', title: 'Alice' },
    secondary: { ref: 'user:default/bob', title: 'Bob' },
    until: '2026-03-09T14:00:00.000Z',
    status: 'ok',
    asOf: '2026-03-02T10:00:00.000Z',
  },
  readiness: null,
};

function renderCard(api: Partial<OperabilityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityOperabilityCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityOperabilityCard', () => {
  it('shows the owning team, its contacts and who is on call', async () => {
    const getEntityReport = jest.fn().mockResolvedValue(report);
    await renderCard({ getEntityReport });
    expect(await screen.findByText('Payments')).toBeInTheDocument();
    expect(screen.getByText(/pay@example.com/)).toBeInTheDocument();
    expect(screen.getByText(/#team-payments/)).toBeInTheDocument();
    expect(screen.getByText(/2 members \(1 direct\)/)).toBeInTheDocument();
    expect(screen.getAllByText('Alice')).toHaveLength(1);
    expect(screen.getByText('Bob')).toBeInTheDocument();
    expect(screen.getByText(/not been evaluated yet/)).toBeInTheDocument();
    expect(getEntityReport).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('says plainly when there is no owner team and no schedule', async () => {
    await renderCard({
      getEntityReport: jest.fn().mockResolvedValue({
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
      }),
    });
    expect(
      await screen.findByText(/group:default\/ghost does not exist/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No on-call schedule covers this/),
    ).toBeInTheDocument();
  });

  it('shows the readiness score, level and the failing checks with their fix', async () => {
    await renderCard({
      getEntityReport: jest.fn().mockResolvedValue({
        ...report,
        readiness: {
          score: 72,
          level: 'silver',
          evaluatedAt: '2026-03-02T10:00:00.000Z',
          checks: [
            {
              id: 'alerting.runbooks',
              title: 'Critical alerts have runbooks',
              category: 'alerting',
              level: 'gold',
              weight: 1,
              status: 'fail',
              message: '1 critical alert has no runbook_url',
              remediation: 'Add runbook_url',
              evidence: [],
            },
          ],
        },
      }),
    });
    expect(await screen.findByText(/72\/100/)).toBeInTheDocument();
    expect(screen.getByText('silver')).toBeInTheDocument();
    expect(
      screen.getByText(/Critical alerts have runbooks — Add runbook_url/),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderCard({
      getEntityReport: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
