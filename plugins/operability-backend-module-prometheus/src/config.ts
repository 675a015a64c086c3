import { readDurationFromConfig } from '@backstage/config';
import type { Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { compileAnchored } from './util/regex';
import {
  DEFAULT_GOLDEN_SIGNALS,
  GoldenSignalPatterns,
} from './signals/goldenSignals';

/** One Prometheus server. */
export interface PrometheusInstance {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** Settings of `operability.alertmanager`. */
export interface AlertmanagerSettings {
  url?: string;
  configFile?: string;
  headers: Record<string, string>;
  requestTimeoutMs: number;
  pagingReceivers: string[];
  pagerDutyServices: Record<string, string>;
}

/** The module's settings, read from `operability.prometheus` and `operability.alertmanager`. */
export interface PrometheusModuleConfig {
  instances: PrometheusInstance[];
  requestTimeoutMs: number;
  goldenSignals: GoldenSignalPatterns;
  maxQueryLength: number;
  alertmanager?: AlertmanagerSettings;
}

/** Defaults. */
export const DEFAULTS = {
  requestTimeoutMs: 10_000,
  maxQueryLength: 256 * 1024,
} as const;

function invalid(path: string, detail: string): Error {
  return new Error(`Invalid config at '${path}': ${detail}`);
}

function checkUrl(value: string, path: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error('not http(s)');
    }
  } catch {
    throw invalid(path, `'${value}' is not an http(s) URL`);
  }
  return value.replace(/\/+$/, '');
}

/** Runs a config read, turning the config library's errors into ones naming the path. */
function at<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith('Invalid config at')) throw e;
    throw invalid(path, message);
  }
}

function readStringMap(
  config: Config | undefined,
  path: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!config) return out;
  for (const key of config.keys()) {
    out[key] = at(`${path}.${key}`, () => config.getString(key));
  }
  return out;
}

function readTimeout(
  config: Config | undefined,
  key: string,
  path: string,
): number {
  if (!config?.has(key)) return DEFAULTS.requestTimeoutMs;
  const ms = at(path, () =>
    durationToMilliseconds(readDurationFromConfig(config, { key })),
  );
  if (!Number.isFinite(ms) || ms <= 0)
    throw invalid(path, 'the duration must be positive');
  return ms;
}

function readPatterns(
  config: Config | undefined,
  key: string,
  path: string,
  validateRegex: boolean,
): string[] {
  const list =
    at(`${path}.${key}`, () => config?.getOptionalStringArray(key)) ?? [];
  list.forEach((p, i) => {
    if (p.trim() === '') throw invalid(`${path}.${key}[${i}]`, 'empty');
    if (validateRegex && !compileAnchored(p)) {
      throw invalid(
        `${path}.${key}[${i}]`,
        `'${p}' is not a valid regular expression`,
      );
    }
    if (!validateRegex && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(p)) {
      throw invalid(`${path}.${key}[${i}]`, `'${p}' is not a label name`);
    }
  });
  return list;
}

/**
 * Reads `operability.prometheus` and `operability.alertmanager`. Every error
 * names the config path, e.g. `Invalid config at
 * 'operability.prometheus.instances[0].url': …`.
 */
export function readPrometheusModuleConfig(
  config: Config,
): PrometheusModuleConfig {
  const prom = at('operability.prometheus', () =>
    config.getOptionalConfig('operability.prometheus'),
  );
  const instances = (
    at('operability.prometheus.instances', () =>
      prom?.getOptionalConfigArray('instances'),
    ) ?? []
  ).map((instance, i) => {
    const path = `operability.prometheus.instances[${i}]`;
    const name = at(`${path}.name`, () => instance.getString('name'));
    if (name.trim() === '') throw invalid(`${path}.name`, 'empty');
    return {
      name,
      url: checkUrl(
        at(`${path}.url`, () => instance.getString('url')),
        `${path}.url`,
      ),
      headers: readStringMap(
        at(`${path}.headers`, () => instance.getOptionalConfig('headers')),
        `${path}.headers`,
      ),
    };
  });
  const names = new Set<string>();
  instances.forEach((instance, i) => {
    if (names.has(instance.name)) {
      throw invalid(
        `operability.prometheus.instances[${i}].name`,
        `duplicate name '${instance.name}'`,
      );
    }
    names.add(instance.name);
  });

  const gsPath = 'operability.prometheus.goldenSignals';
  const gs = at(gsPath, () => prom?.getOptionalConfig('goldenSignals'));
  const goldenSignals: GoldenSignalPatterns = {
    requests: [
      ...DEFAULT_GOLDEN_SIGNALS.requests,
      ...readPatterns(gs, 'requests', gsPath, true),
    ],
    errors: [
      ...DEFAULT_GOLDEN_SIGNALS.errors,
      ...readPatterns(gs, 'errors', gsPath, true),
    ],
    latency: [
      ...DEFAULT_GOLDEN_SIGNALS.latency,
      ...readPatterns(gs, 'latency', gsPath, true),
    ],
    errorLabels: [
      ...new Set([
        ...DEFAULT_GOLDEN_SIGNALS.errorLabels,
        ...readPatterns(gs, 'errorLabels', gsPath, false),
      ]),
    ],
  };

  const mqlPath = 'operability.prometheus.maxQueryLength';
  const maxQueryLength =
    at(mqlPath, () => prom?.getOptionalNumber('maxQueryLength')) ??
    DEFAULTS.maxQueryLength;
  if (!Number.isInteger(maxQueryLength) || maxQueryLength < 1024) {
    throw invalid(mqlPath, 'must be an integer of at least 1024');
  }

  const amPath = 'operability.alertmanager';
  const am = at(amPath, () => config.getOptionalConfig(amPath));
  let alertmanager: AlertmanagerSettings | undefined;
  if (am) {
    const url = at(`${amPath}.url`, () => am.getOptionalString('url'));
    const configFile = at(`${amPath}.configFile`, () =>
      am.getOptionalString('configFile'),
    );
    if (configFile !== undefined && configFile.trim() === '') {
      throw invalid(`${amPath}.configFile`, 'empty');
    }
    const pagingReceivers =
      at(`${amPath}.pagingReceivers`, () =>
        am.getOptionalStringArray('pagingReceivers'),
      ) ?? [];
    const pagerDutyServices = readStringMap(
      at(`${amPath}.pagerDutyServices`, () =>
        am.getOptionalConfig('pagerDutyServices'),
      ),
      `${amPath}.pagerDutyServices`,
    );
    alertmanager = {
      ...(url ? { url: checkUrl(url, `${amPath}.url`) } : {}),
      ...(configFile ? { configFile } : {}),
      headers: readStringMap(
        at(`${amPath}.headers`, () => am.getOptionalConfig('headers')),
        `${amPath}.headers`,
      ),
      requestTimeoutMs: readTimeout(
        am,
        'requestTimeout',
        `${amPath}.requestTimeout`,
      ),
      pagingReceivers,
      pagerDutyServices,
    };
  }

  return {
    instances,
    requestTimeoutMs: readTimeout(
      prom,
      'requestTimeout',
      'operability.prometheus.requestTimeout',
    ),
    goldenSignals,
    maxQueryLength,
    ...(alertmanager ? { alertmanager } : {}),
  };
}
