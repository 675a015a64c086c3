import type { Entity } from '@backstage/catalog-model';
import { Table } from '@backstage/core-components';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  operabilityLevelColumn,
  stampedLevel,
  stampedScore,
} from './operabilityLevelColumn';

function stamped(
  name: string,
  level?: string,
  score?: string,
): { entity: Entity } {
  return {
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        labels: level ? { 'operability.io/level': level } : undefined,
        annotations: score ? { 'operability.io/score': score } : undefined,
      },
    },
  };
}

const rows = [
  stamped('gold-svc', 'gold', '100'),
  stamped('unstamped-svc'),
  stamped('bronze-svc', 'bronze', '45'),
];

describe('operabilityLevelColumn', () => {
  it('reads the stamped label and annotation', () => {
    expect(stampedLevel(rows[0].entity)).toBe('gold');
    expect(stampedScore(rows[0].entity)).toBe(100);
    expect(stampedLevel(rows[1].entity)).toBeUndefined();
    expect(stampedScore(stamped('x', 'gold', 'n/a').entity)).toBeUndefined();
  });

  it('renders the level chip and score, and sorts by level', async () => {
    await renderInTestApp(
      <Table<{ entity: Entity }>
        options={{ paging: false, search: false }}
        columns={[
          { title: 'Name', field: 'entity.metadata.name' },
          operabilityLevelColumn(),
        ]}
        data={rows}
      />,
    );
    const gold = screen.getByText('gold-svc').closest('tr')!;
    expect(within(gold).getByText('gold')).toBeInTheDocument();
    expect(within(gold).getByText(/100\/100/)).toBeInTheDocument();
    const unstamped = screen.getByText('unstamped-svc').closest('tr')!;
    expect(within(unstamped).getByText('not evaluated')).toBeInTheDocument();

    await userEvent.click(screen.getByText('Operability'));
    const names = screen
      .getAllByRole('row')
      .slice(1)
      .map(row => within(row).getAllByRole('cell')[0].textContent);
    expect(names).toEqual(['unstamped-svc', 'bronze-svc', 'gold-svc']);
  });
});
