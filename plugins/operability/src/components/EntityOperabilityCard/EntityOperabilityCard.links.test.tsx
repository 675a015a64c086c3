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
  report,
} from '../__testUtils__/testing';
import { EntityOperabilityCard } from './EntityOperabilityCard';

jest.setTimeout(20_000);

describe('EntityOperabilityCard links', () => {
  it('links the rest of the failing checks to the Operability tab, and fixes written in Markdown', async () => {
    const api = mockOperabilityApi();
    api.getEntityReport.mockResolvedValue({
      ...report,
      readiness: {
        score: 10,
        level: 'none',
        evaluatedAt: '2026-03-02T10:00:00.000Z',
        checks: ['a', 'b', 'c', 'd', 'e'].map(id =>
          check({
            id: `documentation.${id}`,
            title: `Check ${id}`,
            status: 'fail',
            message: `${id} fails`,
            remediation: `See [the guide](https://docs.example.com/${id}) and set \`x\`.`,
          }),
        ),
      },
    });
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
    const tab = await screen.findByRole('link', { name: 'Operability tab' });
    expect(tab).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/operability',
    );
    expect(screen.getByText(/and 2 more failing/)).toBeInTheDocument();
    const fixes = screen.getByRole('list', {
      name: 'Failing checks to fix first',
    });
    const guides = within(fixes).getAllByRole('link', { name: /^the guide/ });
    expect(guides).toHaveLength(3);
    expect(guides[0]).toHaveAttribute('href', 'https://docs.example.com/a');
    expect(within(fixes).getAllByText('x')[0].tagName).toBe('CODE');
    // Not allowed operability.refresh here: no "Re-evaluate now".
    expect(
      screen.queryByRole('button', { name: /Re-evaluate now/ }),
    ).toBeNull();
  });
});
