import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { readWorkingHours, type WorkingHours } from './workingHours';

/** One incident export file of `operability.onCall.pages.files`. */
export interface PageFileConfig {
  /** Resolved against the backend's working directory. */
  path: string;
  /** The annotation whose value is matched against a row's `service_id`. */
  serviceAnnotation: string;
}

/** The settings of the on-call load (`operability.onCall.pages`, `…workingHours`). */
export interface PagesSettings {
  retentionMs: number;
  /** How far before its last point each collection starts again. */
  lookbackMs: number;
  /** The window of the check `on-call.page-load`. */
  windowMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  files: PageFileConfig[];
  workingHours: WorkingHours;
}

const ROOT = 'operability.onCall.pages';

export const PAGES_DEFAULTS = {
  retention: { days: 90 },
  lookback: { days: 1 },
  window: { days: 28 },
  schedule: {
    frequency: { minutes: 5 },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 3 },
  } as SchedulerServiceTaskScheduleDefinition,
  serviceAnnotation: 'pagerduty.com/service-id',
};

function duration(config: Config, key: string, fallback: HumanDuration) {
  let ms: number;
  if (!config.has(key)) {
    ms = durationToMilliseconds(fallback);
  } else {
    try {
      ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
    } catch (error) {
      throw new Error(
        `Invalid config at '${key}': ${(error as Error).message}`,
      );
    }
  }
  if (!(ms > 0)) {
    throw new Error(`Invalid config at '${key}': must be a positive duration`);
  }
  return ms;
}

/** Reads the on-call load's config; a bad value stops start-up naming its path. */
export function readPagesConfig(config: Config): PagesSettings {
  let schedule = PAGES_DEFAULTS.schedule;
  const scheduleKey = `${ROOT}.schedule`;
  if (config.has(scheduleKey)) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(scheduleKey),
      );
    } catch (error) {
      throw new Error(
        `Invalid config at '${scheduleKey}': ${(error as Error).message}`,
      );
    }
  }
  const files = (config.getOptionalConfigArray(`${ROOT}.files`) ?? []).map(
    (file, i) => {
      const key = `${ROOT}.files[${i}]`;
      const path = file.getOptionalString('path');
      if (!path?.trim()) {
        throw new Error(
          `Invalid config at '${key}.path': a file path is required`,
        );
      }
      return {
        path: path.trim(),
        serviceAnnotation:
          file.getOptionalString('serviceAnnotation')?.trim() ||
          PAGES_DEFAULTS.serviceAnnotation,
      };
    },
  );
  const retentionMs = duration(
    config,
    `${ROOT}.retention`,
    PAGES_DEFAULTS.retention,
  );
  const windowMs = durationToMilliseconds(PAGES_DEFAULTS.window);
  if (retentionMs < windowMs) {
    throw new Error(
      `Invalid config at '${ROOT}.retention': must be at least 28 days, the window of the on-call load`,
    );
  }
  return {
    retentionMs,
    lookbackMs: duration(config, `${ROOT}.lookback`, PAGES_DEFAULTS.lookback),
    windowMs,
    schedule,
    files,
    workingHours: readWorkingHours(config),
  };
}
