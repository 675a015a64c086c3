import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  type EntityReport,
  operabilityExemptionDeletePermission,
} from '@opsready/plugin-operability-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { operabilityApiRef } from '../../api';
import {
  check,
  componentEntity,
  mockOperabilityApi,
  mockPermissionApi,
  report,
} from '../__testUtils__/testing';
import { EntityOperabilityContent } from './EntityOperabilityContent';

jest.setTimeout(60_000);

function evaluated(
  score: number,
  evaluatedAt: string,
  status: 'fail' | 'exempt',
): EntityReport {
  return {
    ...report,
    readiness: {
      score,
      level: 'bronze',
      evaluatedAt,
      checks: [
        check({
          id: 'alerting.runbooks',
          title: 'Critical alerts have runbooks',
          status,
          message: 'one critical alert lacks a runbook_url',
        }),
      ],
    },
  };
}

describe('EntityOperabilityContent after an exemption change', () => {
  it('is pending until the re-evaluated report arrives, then shows it', async () => {
    const api = mockOperabilityApi();
    const exempt = evaluated(90, '2026-03-02T10:00:00.000Z', 'exempt');
    const failing = evaluated(60, '2026-03-02T10:00:05.000Z', 'fail');
    api.getEntityReport
      .mockResolvedValueOnce(exempt) // the tab's first load
      .mockResolvedValueOnce(exempt) // a read before the evaluation is stored
      .mockResolvedValue(failing);
    api.listExemptions.mockResolvedValue([
      {
        id: 'e1',
        entityRef: report.entityRef,
        checkId: 'alerting.runbooks',
        reason: 'legacy',
        author: 'user:default/alice',
        expiresAt: '2026-06-01T00:00:00.000Z',
      },
    ]);
    api.deleteExemption.mockResolvedValue(undefined);
    api.getHistory.mockResolvedValue([]);
    api.getShifts.mockResolvedValue({
      scheduleRef: 'schedule:default/payments-on-call',
      shifts: [],
    });
    api.getOnCallLoad.mockReturnValue(new Promise(() => {}));
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [operabilityApiRef, api],
          [
            permissionApiRef,
            mockPermissionApi([operabilityExemptionDeletePermission.name]),
          ],
        ]}
      >
        <EntityProvider entity={componentEntity}>
          <EntityOperabilityContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText(/Score 90\/100/)).toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Remove the exemption of Critical alerts have runbooks',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Re-evaluating… waiting for the new result',
    );
    expect(api.deleteExemption).toHaveBeenCalledWith(report.entityRef, 'e1');
    expect(
      await screen.findByText(/Score 60\/100/, {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    // Not allowed operability.refresh: no button once the result is here.
    expect(screen.queryByRole('status')).toBeNull();
    expect(
      screen.queryByRole('button', { name: /Re-evaluate now/ }),
    ).toBeNull();
  });
});
