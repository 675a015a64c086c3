import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  operabilityExemptionCreatePermission,
  operabilityExemptionDeletePermission,
} from '@opsready/plugin-operability-common';
import { Exemption, operabilityApiRef } from '../../api';
import {
  check,
  mockOperabilityApi,
  mockPermissionApi,
  pending,
  responseError,
} from '../__testUtils__/testing';
import { endOfLocalDay } from './AddExemptionDialog';
import { ExemptionsCard } from './ExemptionsCard';

// usePermission keeps each answer, by permission and resourceRef, for the
// whole file (SWR's cache), and would not even ask again within two seconds:
// each test gets an entity of its own so one test's answer is not the next's.
let entityRef = '';
let tests = 0;
let exemption: Exemption;
beforeEach(() => {
  tests += 1;
  entityRef = `component:default/payments-api-${tests}`;
  exemption = {
    id: 'ex-1',
    entityRef,
    checkId: 'alerting.runbooks',
    reason: 'Runbooks move to the new wiki in April',
    author: 'user:default/alice',
    expiresAt: '2026-04-30T23:59:59.000Z',
  };
});

const checks = [
  check({
    id: 'alerting.runbooks',
    title: 'Critical alerts have runbooks',
    status: 'fail',
  }),
  check({
    id: 'instrumentation.scraped',
    title: 'Scraped by Prometheus',
    status: 'unknown',
  }),
  check({ id: 'ownership.owner-set', title: 'Owner set', status: 'pass' }),
];

const mayAdd = operabilityExemptionCreatePermission.name;
const mayRemove = operabilityExemptionDeletePermission.name;

function setup(allowed: string[] = [mayAdd, mayRemove]) {
  const api = mockOperabilityApi();
  const permissionApi = mockPermissionApi(allowed);
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const onChanged = jest.fn();
  const render = () =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [operabilityApiRef, api],
          [alertApiRef, alertApi],
          [permissionApiRef, permissionApi],
        ]}
      >
        <ExemptionsCard
          entityRef={entityRef}
          checks={checks}
          onChanged={onChanged}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
  return { api, alertApi, permissionApi, onChanged, render };
}

/** Waits until both permissions were asked and their answers rendered. */
async function permissionsAnswered(
  permissionApi: ReturnType<typeof mockPermissionApi>,
) {
  await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalledTimes(2));
  await act(() => new Promise(resolve => setTimeout(resolve, 0)));
}

const removeButtonName =
  'Remove the exemption of Critical alerts have runbooks';

async function fillDialog(day: string) {
  const user = userEvent.setup({ delay: null });
  await user.click(
    await screen.findByRole('button', { name: 'Add exemption' }),
  );
  const dialog = await screen.findByRole('dialog');
  await user.click(within(dialog).getByRole('button', { name: /Check/ }));
  // Only failing and unknown checks can be exempted.
  expect(screen.queryByRole('option', { name: /Owner set/ })).toBeNull();
  await user.click(
    screen.getByRole('option', { name: 'Scraped by Prometheus (unknown)' }),
  );
  fireEvent.change(within(dialog).getByRole('textbox', { name: /Reason/ }), {
    target: { value: 'Scraped by the legacy Nagios until Q3' },
  });
  fireEvent.change(within(dialog).getByLabelText(/Expires on/), {
    target: { value: day },
  });
  await user.click(within(dialog).getByRole('button', { name: 'Add' }));
  return dialog;
}

describe('ExemptionsCard', () => {
  it('shows progress while the exemptions load', async () => {
    const { api, render } = setup();
    api.listExemptions.mockReturnValue(pending());
    await render();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says how to add one when there is none', async () => {
    const { api, render } = setup();
    api.listExemptions.mockResolvedValue([]);
    await render();
    expect(
      await screen.findByText(/When a check does not fit this service, add/),
    ).toBeInTheDocument();
  });

  it('shows Add exemption and Remove when both are allowed for this entity', async () => {
    const { api, permissionApi, render } = setup();
    api.listExemptions.mockResolvedValue([exemption]);
    await render();
    expect(
      await screen.findByRole('button', { name: 'Add exemption' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: removeButtonName }),
    ).toBeInTheDocument();
    expect(permissionApi.authorize).toHaveBeenCalledWith({
      permission: operabilityExemptionCreatePermission,
      resourceRef: entityRef,
    });
    expect(permissionApi.authorize).toHaveBeenCalledWith({
      permission: operabilityExemptionDeletePermission,
      resourceRef: entityRef,
    });
  });

  it('shows neither button when both are denied', async () => {
    const { api, permissionApi, render } = setup([]);
    api.listExemptions.mockResolvedValue([exemption]);
    await render();
    await screen.findByText('Critical alerts have runbooks');
    await permissionsAnswered(permissionApi);
    expect(screen.queryByRole('button', { name: 'Add exemption' })).toBeNull();
    expect(screen.queryByRole('button', { name: removeButtonName })).toBeNull();
  });

  it('does not invite to add one when adding is denied', async () => {
    const { api, permissionApi, render } = setup([mayRemove]);
    api.listExemptions.mockResolvedValue([]);
    await render();
    await screen.findByText('No check is exempt.');
    await permissionsAnswered(permissionApi);
    expect(screen.getByText('No check is exempt.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add exemption' })).toBeNull();
  });

  it('shows only Add exemption when removing is denied', async () => {
    const { api, permissionApi, render } = setup([mayAdd]);
    api.listExemptions.mockResolvedValue([exemption]);
    await render();
    expect(
      await screen.findByRole('button', { name: 'Add exemption' }),
    ).toBeInTheDocument();
    await screen.findByText('Critical alerts have runbooks');
    await permissionsAnswered(permissionApi);
    expect(screen.queryByRole('button', { name: removeButtonName })).toBeNull();
  });

  it('shows neither button while the permissions are still answering', async () => {
    const { api, permissionApi, render } = setup();
    permissionApi.authorize.mockReturnValue(pending());
    api.listExemptions.mockResolvedValue([exemption]);
    await render();
    await screen.findByText('Critical alerts have runbooks');
    expect(permissionApi.authorize).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('button', { name: 'Add exemption' })).toBeNull();
    expect(screen.queryByRole('button', { name: removeButtonName })).toBeNull();
  });

  it('shows the error when the list fails', async () => {
    const { api, render } = setup();
    api.listExemptions.mockRejectedValue(new Error('store down'));
    await render();
    expect(await screen.findByText('Error: store down')).toBeInTheDocument();
  });

  it('lists the reason, author and expiry of each exemption', async () => {
    const { api, render } = setup();
    api.listExemptions.mockResolvedValue([exemption]);
    await render();
    expect(
      await screen.findByText('Critical alerts have runbooks'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Runbooks move to the new wiki in April/),
    ).toBeInTheDocument();
    expect(screen.getByText('alice')).toBeInTheDocument();
    expect(screen.getByText(/expires/)).toBeInTheDocument();
  });

  it('adds an exemption and reloads the list', async () => {
    const { api, alertApi, onChanged, render } = setup();
    api.listExemptions
      .mockResolvedValueOnce([])
      .mockResolvedValue([
        { ...exemption, id: 'ex-2', checkId: 'instrumentation.scraped' },
      ]);
    api.addExemption.mockResolvedValue(exemption);
    await render();
    await screen.findByText(/No check is exempt/);

    await fillDialog('2099-01-31');

    await waitFor(() =>
      expect(api.addExemption).toHaveBeenCalledWith(entityRef, {
        checkId: 'instrumentation.scraped',
        reason: 'Scraped by the legacy Nagios until Q3',
        expiresAt: endOfLocalDay('2099-01-31').toISOString(),
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(
      await screen.findByText('Scraped by Prometheus'),
    ).toBeInTheDocument();
    expect(api.listExemptions).toHaveBeenCalledTimes(2);
    expect(onChanged).toHaveBeenCalled();
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
  });

  it('keeps the dialog open with the backend message when adding is refused', async () => {
    const { api, render } = setup();
    api.listExemptions.mockResolvedValue([]);
    api.addExemption.mockRejectedValue(
      await responseError(403, `You may not add exemptions to ${entityRef}`),
    );
    await render();
    await screen.findByText(/No check is exempt/);

    const dialog = await fillDialog('2099-01-31');

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      `Not permitted: You may not add exemptions to ${entityRef}`,
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(api.listExemptions).toHaveBeenCalledTimes(1);
  });

  it('removes an exemption and reloads the list', async () => {
    const { api, onChanged, render } = setup();
    api.listExemptions.mockResolvedValueOnce([exemption]).mockResolvedValue([]);
    api.deleteExemption.mockResolvedValue();
    await render();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Remove the exemption of Critical alerts have runbooks',
      }),
    );
    expect(api.deleteExemption).toHaveBeenCalledWith(entityRef, 'ex-1');
    expect(await screen.findByText(/No check is exempt/)).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();
  });

  it('alerts with the backend message when removing is refused', async () => {
    const { api, alertApi, render } = setup();
    api.listExemptions.mockResolvedValue([exemption]);
    api.deleteExemption.mockRejectedValue(
      await responseError(403, `You may not remove exemptions of ${entityRef}`),
    );
    await render();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Remove the exemption of Critical alerts have runbooks',
      }),
    );
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message: `Could not remove the exemption. Not permitted: You may not remove exemptions of ${entityRef}`,
        severity: 'error',
      }),
    );
    expect(api.listExemptions).toHaveBeenCalledTimes(1);
  });
});
