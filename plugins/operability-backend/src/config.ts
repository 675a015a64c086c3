import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

export interface OperabilitySettings {
  catalogCacheTtlMs: number;
  cycleSchedule: SchedulerServiceTaskScheduleDefinition;
  providerTimeoutMs: number;
  historyRetentionMs: number;
  /**
   * `operability.onCall.providers`: on-call provider ids in order of
   * precedence, as configured (checked against the installed providers at
   * start-up); undefined for the default order.
   */
  onCallProviders?: string[];
  /** `operability.onCall.requestBudget`: how long a route waits for on-call providers. */
  onCallRequestBudgetMs: number;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 3 },
};

function duration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  if (!config.has(key)) return durationToMilliseconds(fallback);
  try {
    return durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(`Invalid config at '${key}': ${(error as Error).message}`);
  }
}

/** Reads `operability.*`; a bad value stops start-up naming its config path. */
export function readOperabilityConfig(config: Config): OperabilitySettings {
  let cycleSchedule = DEFAULT_SCHEDULE;
  const scheduleKey = 'operability.readiness.schedule';
  if (config.has(scheduleKey)) {
    try {
      cycleSchedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(scheduleKey),
      );
    } catch (error) {
      throw new Error(
        `Invalid config at '${scheduleKey}': ${(error as Error).message}`,
      );
    }
  }
  // Replicas share one cycle through the scheduler's lock; a local scope
  // would have every replica write the same reports at the same time.
  const scope = config.getOptionalString(`${scheduleKey}.scope`);
  if (scope !== undefined && scope !== 'global') {
    throw new Error(
      `Invalid config at '${scheduleKey}.scope': the readiness cycle runs with global scope (one replica at a time); remove the key or set it to 'global'`,
    );
  }
  return {
    catalogCacheTtlMs: duration(config, 'operability.catalogCacheTtl', {
      minutes: 1,
    }),
    cycleSchedule,
    providerTimeoutMs: duration(
      config,
      'operability.readiness.providerTimeout',
      {
        minutes: 1,
      },
    ),
    historyRetentionMs: duration(config, 'operability.history.retention', {
      days: 365,
    }),
    onCallProviders: readOnCallProviders(config),
    onCallRequestBudgetMs: positive(
      'operability.onCall.requestBudget',
      duration(config, 'operability.onCall.requestBudget', {
        milliseconds: 1500,
      }),
    ),
  };
}

function positive(key: string, ms: number): number {
  if (!(ms > 0)) {
    throw new Error(`Invalid config at '${key}': must be a positive duration`);
  }
  return ms;
}

function readOnCallProviders(config: Config): string[] | undefined {
  const key = 'operability.onCall.providers';
  if (!config.has(key)) return undefined;
  let ids: string[];
  try {
    ids = config.getStringArray(key);
  } catch (error) {
    throw new Error(`Invalid config at '${key}': ${(error as Error).message}`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      throw new Error(
        `Invalid config at '${key}': on-call provider '${id}' is listed twice`,
      );
    }
    seen.add(id);
  }
  return ids;
}
