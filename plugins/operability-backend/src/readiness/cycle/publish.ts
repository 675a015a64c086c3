import type { EventsService } from '@backstage/plugin-events-node';
import {
  READINESS_CHANGED_TOPIC,
  type ReadinessChange,
  type ReadinessChangedEventPayload,
} from '@opsready/plugin-operability-node';

/**
 * The payload of a cycle's `operability.readiness.changed` event (pure), or
 * `undefined` when nothing changed: a cycle that changed nothing publishes
 * nothing.
 */
export function readinessChangedPayload(
  cycleId: string,
  at: Date,
  changes: ReadinessChange[],
): ReadinessChangedEventPayload | undefined {
  if (changes.length === 0) return undefined;
  return { cycleId, at: at.toISOString(), changes };
}

/** The publish step: one event on the events service, if anything changed. */
export async function publishReadinessChanged(
  events: EventsService,
  payload: ReadinessChangedEventPayload | undefined,
): Promise<boolean> {
  if (!payload) return false;
  await events.publish({
    topic: READINESS_CHANGED_TOPIC,
    eventPayload: payload,
  });
  return true;
}
