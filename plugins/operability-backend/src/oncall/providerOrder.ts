import type { OnCallProvider } from '@opsready/plugin-operability-node';
import { SCHEDULE_PROVIDER_ID } from './ScheduleOnCallProvider';

/** The config key that orders the on-call providers. */
export const ON_CALL_PROVIDERS_KEY = 'operability.onCall.providers';

/**
 * The on-call providers in order of precedence: for each entity, the first
 * provider that covers it answers.
 *
 * With `configured` (the ids of `operability.onCall.providers`), exactly
 * those providers in that order; an id no installed provider has stops
 * start-up naming the config key. Without it, every installed provider other
 * than the catalog's schedules in the order the modules registered them, then
 * the schedules, so that `[pagerduty, schedule]` is the default.
 */
export function orderOnCallProviders(
  installed: OnCallProvider[],
  configured: string[] | undefined,
): OnCallProvider[] {
  const byId = new Map<string, OnCallProvider>();
  for (const provider of installed) {
    if (byId.has(provider.id)) {
      throw new Error(
        `Two on-call providers are installed with the id '${provider.id}'`,
      );
    }
    byId.set(provider.id, provider);
  }
  if (configured === undefined) {
    return [
      ...installed.filter(p => p.id !== SCHEDULE_PROVIDER_ID),
      ...installed.filter(p => p.id === SCHEDULE_PROVIDER_ID),
    ];
  }
  const unknown = configured.filter(id => !byId.has(id));
  if (unknown.length > 0) {
    throw new Error(
      `Invalid config at '${ON_CALL_PROVIDERS_KEY}': no installed on-call provider has the id ${unknown
        .map(id => `'${id}'`)
        .join(', ')}; installed: ${[...byId.keys()].join(', ') || 'none'}`,
    );
  }
  return configured.map(id => byId.get(id)!);
}
