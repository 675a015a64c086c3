import { mockServices } from '@backstage/backend-test-utils';
import {
  READINESS_CHANGED_TOPIC,
  type ReadinessChange,
} from '@opsready/plugin-operability-node';
import { publishReadinessChanged, readinessChangedPayload } from './publish';

const change: ReadinessChange = {
  entityRef: 'component:default/a',
  before: { score: 80, level: 'silver' },
  after: { score: 60, level: 'bronze' },
  regressed: ['alerting.runbooks'],
  recovered: [],
  stale: false,
};

describe('readinessChangedPayload', () => {
  it('is the cycle id, its instant and the changes; nothing when nothing changed', () => {
    const at = new Date('2026-03-02T10:00:00Z');
    expect(readinessChangedPayload('id-1', at, [change])).toEqual({
      cycleId: 'id-1',
      at: '2026-03-02T10:00:00.000Z',
      changes: [change],
    });
    expect(readinessChangedPayload('id-1', at, [])).toBeUndefined();
  });
});

describe('publishReadinessChanged', () => {
  it('publishes one event on the topic, and none without a payload', async () => {
    const events = mockServices.events.mock();
    const payload = {
      cycleId: 'id-1',
      at: '2026-03-02T10:00:00.000Z',
      changes: [change],
    };
    expect(await publishReadinessChanged(events, payload)).toBe(true);
    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(events.publish).toHaveBeenCalledWith({
      topic: READINESS_CHANGED_TOPIC,
      eventPayload: payload,
    });
    expect(READINESS_CHANGED_TOPIC).toBe('operability.readiness.changed');
    expect(await publishReadinessChanged(events, undefined)).toBe(false);
    expect(events.publish).toHaveBeenCalledTimes(1);
  });
});
