import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Exemption, operabilityApiRef } from '../../api';
import {
  check,
  mockOperabilityApi,
  pending,
  responseError,
} from '../__testUtils__/testing';
import { endOfLocalDay } from './AddExemptionDialog';
import { ExemptionsCard } from './ExemptionsCard';

const entityRef = 'component:default/payments-api';

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

const exemption: Exemption = {
  id: 'ex-1',
  entityRef,
  checkId: 'alerting.runbooks',
  reason: 'Runbooks move to the new wiki in April',
  author: 'user:default/alice',
  expiresAt: '2026-04-30T23:59:59.000Z',
};

function setup() {
  const api = mockOperabilityApi();
  const alertApi = { post: jest.fn(), alert$: jest.fn() };
  const onChanged = jest.fn();
  const render = () =>
    renderInTestApp(
      <TestApiProvider
        apis={[
          [operabilityApiRef, api],
          [alertApiRef, alertApi],
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
  return { api, alertApi, onChanged, render };
}

async function fillDialog(day: string) {
  const user = userEvent.setup({ delay: null });
  await user.click(screen.getByRole('button', { name: 'Add exemption' }));
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
    expect(await screen.findByText(/No check is exempt/)).toBeInTheDocument();
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
