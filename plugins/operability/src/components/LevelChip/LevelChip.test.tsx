import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { LevelChip } from './LevelChip';

describe('LevelChip', () => {
  it('names the level, a count, or that nothing was evaluated', async () => {
    await renderInTestApp(
      <>
        <LevelChip level="gold" />
        <LevelChip level="bronze" count={3} />
        <LevelChip level={null} />
      </>,
    );
    expect(screen.getByText('gold')).toBeInTheDocument();
    expect(screen.getByText('bronze · 3')).toBeInTheDocument();
    expect(screen.getByText('not evaluated')).toBeInTheDocument();
  });
});
