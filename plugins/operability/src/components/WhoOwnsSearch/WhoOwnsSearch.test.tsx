import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi, pending, report } from '../__testUtils__/testing';
import { parseWhoOwnsQuery } from './parseWhoOwnsQuery';
import { WhoOwnsSearch } from './WhoOwnsSearch';

describe('parseWhoOwnsQuery', () => {
  it('reads name=value pairs separated by commas or spaces as alert labels', () => {
    expect(parseWhoOwnsQuery('job=payments, severity=critical')).toEqual({
      labels: { job: 'payments', severity: 'critical' },
    });
    expect(parseWhoOwnsQuery('job=payments severity=critical')).toEqual({
      labels: { job: 'payments', severity: 'critical' },
    });
    expect(parseWhoOwnsQuery(' job = payments ')).toEqual({
      labels: { job: 'payments' },
    });
  });

  it('accepts quoted values and the braces Alertmanager prints', () => {
    expect(
      parseWhoOwnsQuery('{alertname="High error rate", job="payments"}'),
    ).toEqual({ labels: { alertname: 'High error rate', job: 'payments' } });
  });

  it('searches anything else as text', () => {
    expect(parseWhoOwnsQuery('payments-api')).toEqual({ q: 'payments-api' });
    expect(
      parseWhoOwnsQuery('https://github.com/acme/payments?tab=readme'),
    ).toEqual({ q: 'https://github.com/acme/payments?tab=readme' });
    expect(parseWhoOwnsQuery('payments job=payments')).toEqual({
      q: 'payments job=payments',
    });
    expect(parseWhoOwnsQuery('   ')).toBeUndefined();
  });
});

function renderSearch(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <WhoOwnsSearch />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

async function search(text: string) {
  const user = userEvent.setup({ delay: null });
  await user.type(
    screen.getByRole('textbox', {
      name: 'Service, repository or alert labels',
    }),
    text,
  );
  await user.click(screen.getByRole('button', { name: 'Search' }));
}

describe('WhoOwnsSearch', () => {
  it('asks by labels and shows each service with team, contacts and on-call', async () => {
    const api = mockOperabilityApi();
    api.whoOwns.mockResolvedValue({
      items: [
        {
          entityRef: 'component:default/payments-api',
          title: 'Payments API',
          owner: report.owner,
          onCall: report.onCall,
        },
      ],
      total: 1,
    });
    await renderSearch(api);
    await search('job=payments, severity=critical');

    expect(api.whoOwns).toHaveBeenCalledWith({
      labels: { job: 'payments', severity: 'critical' },
    });
    const row = (await screen.findByText('Payments API')).closest('tr')!;
    expect(within(row).getByText('Payments')).toBeInTheDocument();
    expect(within(row).getByText('pay@example.com')).toHaveAttribute(
      'href',
      'mailto:pay@example.com',
    );
    expect(within(row).getByText('#team-payments')).toBeInTheDocument();
    expect(within(row).getByText('Alice')).toBeInTheDocument();
    expect(within(row).getByText('Bob')).toBeInTheDocument();
  });

  it('asks by text for a service name', async () => {
    const api = mockOperabilityApi();
    api.whoOwns.mockResolvedValue({ items: [], total: 0 });
    await renderSearch(api);
    await search('payments-api');
    expect(api.whoOwns).toHaveBeenCalledWith({ q: 'payments-api' });
    expect(await screen.findByText(/No service matches/)).toBeInTheDocument();
  });

  it('shows progress, then the error', async () => {
    const api = mockOperabilityApi();
    api.whoOwns.mockReturnValueOnce(pending());
    await renderSearch(api);
    await search('payments');
    expect(screen.getByTestId('progress')).toBeInTheDocument();

    api.whoOwns.mockRejectedValueOnce(new Error('backend down'));
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});

describe('WhoOwnsSearch with an initial query', () => {
  it('runs it at once', async () => {
    const api = mockOperabilityApi();
    api.whoOwns.mockResolvedValue({ items: [], total: 0 });
    await renderInTestApp(
      <TestApiProvider apis={[[operabilityApiRef, api]]}>
        <WhoOwnsSearch initialQuery="job=payments" />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/No service matches/)).toBeInTheDocument();
    expect(api.whoOwns).toHaveBeenCalledWith({ labels: { job: 'payments' } });
    expect(
      screen.getByRole('textbox', {
        name: 'Service, repository or alert labels',
      }),
    ).toHaveValue('job=payments');
  });
});
