import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { EntityReport } from '@opsready/plugin-operability-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { operabilityApiRef } from '../../api';
import {
  check,
  componentEntity,
  mockOperabilityApi,
  mockPermissionApi,
  report,
} from '../__testUtils__/testing';
import { EntityOperabilityCard } from '../EntityOperabilityCard';
import { waitForNewEvaluation } from './useReevaluation';

function evaluated(score: number, evaluatedAt: string): EntityReport {
  return {
    ...report,
    readiness: {
      score,
      level: 'bronze',
      evaluatedAt,
      checks: [check({ id: 'ownership.owner-set', title: 'Owner is set' })],
    },
  };
}

// usePermission caches its answers across the tests of a file: the denied
// case is in EntityOperabilityCard.links.test.tsx.
function renderCard(
  api: ReturnType<typeof mockOperabilityApi>,
  allowed: string[],
  entityName: string,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [operabilityApiRef, api],
        [permissionApiRef, mockPermissionApi(allowed)],
      ]}
    >
      <EntityProvider
        entity={{
          ...componentEntity,
          metadata: { ...componentEntity.metadata, name: entityName },
        }}
      >
        <EntityOperabilityCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

// Rendering cards and a poll a second take seconds on a busy machine.
jest.setTimeout(20_000);

describe('Re-evaluate now', () => {
  it('asks the backend, stays pending until a new evaluation arrives, then shows it', async () => {
    const api = mockOperabilityApi();
    const before = evaluated(40, '2026-03-02T10:00:00.000Z');
    const after = {
      ...evaluated(70, '2026-03-02T10:05:00.000Z'),
      entityRef: before.entityRef,
    };
    // The first load, then one read that still has the old result, then the new one.
    api.getEntityReport
      .mockResolvedValueOnce(before)
      .mockResolvedValueOnce(before)
      .mockResolvedValueOnce(after);
    let finishRefresh: () => void = () => {};
    api.refresh.mockReturnValue(
      new Promise(resolve => {
        finishRefresh = () => resolve({ status: 'evaluated' });
      }),
    );
    await renderCard(api, ['operability.refresh'], 'payments-api');
    await userEvent.click(
      await screen.findByRole('button', { name: /Re-evaluate now/ }),
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Re-evaluating… waiting for the new result',
    );
    expect(api.refresh).toHaveBeenCalledWith('component:default/payments-api');
    finishRefresh();
    expect(
      await screen.findByText(/Score 70\/100/, {}, { timeout: 5_000 }),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
    expect(
      screen.getByRole('button', { name: /Re-evaluate now/ }),
    ).toBeInTheDocument();
  });
});

describe('waitForNewEvaluation', () => {
  const sleep = jest.fn(async () => {});

  it('reads until evaluatedAt changes', async () => {
    const api = {
      getEntityReport: jest
        .fn()
        .mockResolvedValueOnce(evaluated(1, 'a'))
        .mockResolvedValueOnce(evaluated(2, 'b')),
    };
    const found = await waitForNewEvaluation(api, 'component:default/x', 'a', {
      sleep,
    });
    expect(found?.readiness?.score).toBe(2);
    expect(api.getEntityReport).toHaveBeenCalledTimes(2);
  });

  it('gives up after its attempts', async () => {
    const api = {
      getEntityReport: jest.fn().mockResolvedValue(evaluated(1, 'a')),
    };
    await expect(
      waitForNewEvaluation(api, 'component:default/x', 'a', {
        attempts: 3,
        sleep,
      }),
    ).resolves.toBeUndefined();
    expect(api.getEntityReport).toHaveBeenCalledTimes(3);
  });

  it('takes a first evaluation as new', async () => {
    const api = {
      getEntityReport: jest.fn().mockResolvedValue(evaluated(1, 'a')),
    };
    const found = await waitForNewEvaluation(
      api,
      'component:default/x',
      undefined,
      { sleep },
    );
    expect(found).toBeDefined();
  });
});
