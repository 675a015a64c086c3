import { EpisodeTracker } from './PrometheusPageSource';

const STEP = 60_000;
const labels = { __name__: 'ALERTS', alertstate: 'firing', alertname: 'A' };
const minutes = (...ms: number[]) => ms.map(m => m * STEP);

describe('EpisodeTracker', () => {
  it('starts an episode where a series appears after an absence, across chunks', () => {
    const tracker = new EpisodeTracker(STEP, 0);
    tracker.add(labels, minutes(3, 4, 5, 9));
    // The next chunk continues the episode that began at minute 9.
    tracker.add(labels, minutes(10, 11, 20));
    expect(tracker.finish(20 * STEP)).toEqual([
      { labels: { alertname: 'A' }, start: 3 * STEP, end: 6 * STEP },
      { labels: { alertname: 'A' }, start: 9 * STEP, end: 12 * STEP },
      // Still firing at the last step: no end.
      { labels: { alertname: 'A' }, start: 20 * STEP },
    ]);
  });

  it('starts none for a series firing at the first step', () => {
    const tracker = new EpisodeTracker(STEP, 10 * STEP);
    tracker.add(labels, minutes(10, 11, 12));
    tracker.add({ ...labels, instance: 'b' }, minutes(11, 12));
    expect(tracker.finish(30 * STEP)).toEqual([
      {
        labels: { alertname: 'A', instance: 'b' },
        start: 11 * STEP,
        end: 13 * STEP,
      },
    ]);
  });
});
