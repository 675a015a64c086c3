import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { operabilityApiRef } from '../../api';
import { mockOperabilityApi, pending } from '../__testUtils__/testing';
import { ScoreHistoryCard, toChartPoints } from './ScoreHistoryCard';

function renderCard(api: ReturnType<typeof mockOperabilityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[operabilityApiRef, api]]}>
      <ScoreHistoryCard entityRef="component:default/payments-api" />
    </TestApiProvider>,
  );
}

describe('ScoreHistoryCard', () => {
  it('shows progress while the history loads', async () => {
    const api = mockOperabilityApi();
    api.getHistory.mockReturnValue(pending());
    await renderCard(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains the empty chart when there are fewer than two points', async () => {
    const api = mockOperabilityApi();
    api.getHistory.mockResolvedValue([
      { time: '2026-03-01T00:00:00Z', score: 40, level: 'bronze' },
    ]);
    await renderCard(api);
    expect(
      await screen.findByText(
        /the chart needs two evaluations and there is one/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('figure')).toBeNull();
  });

  it('charts the score over time with the first and last level', async () => {
    const api = mockOperabilityApi();
    api.getHistory.mockResolvedValue([
      { time: '2026-03-02T00:00:00Z', score: 72, level: 'silver' },
      { time: '2026-03-01T00:00:00Z', score: 40, level: 'bronze' },
    ]);
    await renderCard(api);
    expect(
      await screen.findByRole('figure', { name: 'Score over time' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/From 40 \(bronze\) on .* to 72 \(silver\) on/),
    ).toBeInTheDocument();
  });

  it('shows the error when the history fails', async () => {
    const api = mockOperabilityApi();
    api.getHistory.mockRejectedValue(new Error('no history'));
    await renderCard(api);
    expect(await screen.findByText('Error: no history')).toBeInTheDocument();
  });

  it('orders points by time', () => {
    expect(
      toChartPoints([
        { time: '2026-03-02T00:00:00Z', score: 2, level: 'none' },
        { time: '2026-03-01T00:00:00Z', score: 1, level: 'none' },
      ]).map(p => p.score),
    ).toEqual([1, 2]);
  });
});
