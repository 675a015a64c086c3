import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

export interface OperabilitySettings {
  catalogCacheTtlMs: number;
}

const DEFAULT_CATALOG_CACHE_TTL_MS = 60_000;

/** Reads `operability.*`; a bad value stops start-up naming its config path. */
export function readOperabilityConfig(config: Config): OperabilitySettings {
  const key = 'operability.catalogCacheTtl';
  let catalogCacheTtlMs = DEFAULT_CATALOG_CACHE_TTL_MS;
  if (config.has(key)) {
    try {
      catalogCacheTtlMs = durationToMilliseconds(
        readDurationFromConfig(config, { key }),
      );
    } catch (error) {
      throw new InputError(`Invalid config at '${key}': ${error}`);
    }
  }
  return { catalogCacheTtlMs };
}
