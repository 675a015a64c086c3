import type { Entity } from '@backstage/catalog-model';
import { MockEntityListContextProvider } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityOperabilityLevelFilter } from './EntityOperabilityLevelFilter';
import { EntityOperabilityLevelPicker } from './EntityOperabilityLevelPicker';

const entityAt = (level?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `svc-${level ?? 'unstamped'}`,
    labels: level ? { 'operability.io/level': level } : {},
  },
});

describe('EntityOperabilityLevelFilter', () => {
  it('filters on the stamped label, in the catalog and in the browser', () => {
    const filter = new EntityOperabilityLevelFilter(['gold', 'silver']);
    expect(filter.getCatalogFilters()).toEqual({
      'metadata.labels.operability.io/level': ['gold', 'silver'],
    });
    expect(filter.filterEntity(entityAt('gold'))).toBe(true);
    expect(filter.filterEntity(entityAt('bronze'))).toBe(false);
    expect(filter.filterEntity(entityAt())).toBe(false);
    expect(filter.toQueryValue()).toEqual(['gold', 'silver']);
  });
});

describe('EntityOperabilityLevelPicker', () => {
  it('sets the level filter from the selection', async () => {
    const updateFilters = jest.fn();
    await renderInTestApp(
      <MockEntityListContextProvider value={{ updateFilters }}>
        <EntityOperabilityLevelPicker />
      </MockEntityListContextProvider>,
    );
    expect(updateFilters).toHaveBeenLastCalledWith({
      operabilityLevel: undefined,
    });
    const user = userEvent.setup({ delay: null });
    await user.click(
      screen.getByRole('textbox', { name: 'Operability level' }),
    );
    await user.click(screen.getByRole('option', { name: 'gold' }));
    await waitFor(() =>
      expect(updateFilters).toHaveBeenLastCalledWith({
        operabilityLevel: new EntityOperabilityLevelFilter(['gold']),
      }),
    );
  });

  it('starts from the levels in the URL', async () => {
    const updateFilters = jest.fn();
    await renderInTestApp(
      <MockEntityListContextProvider
        value={{
          updateFilters,
          queryParameters: { operabilityLevel: ['bronze', 'bogus'] } as any,
        }}
      >
        <EntityOperabilityLevelPicker />
      </MockEntityListContextProvider>,
    );
    expect(screen.getByText('bronze')).toBeInTheDocument();
    expect(updateFilters).toHaveBeenLastCalledWith({
      operabilityLevel: new EntityOperabilityLevelFilter(['bronze']),
    });
  });
});
