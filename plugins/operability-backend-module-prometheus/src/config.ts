import type { Config } from '@backstage/config';

export interface PrometheusInstance {
  name: string;
  url: string;
  headers: Record<string, string>;
}

export interface PrometheusModuleConfig {
  instances: PrometheusInstance[];
  alertmanager?: { url?: string; configFile?: string };
}

function checkUrl(value: string, path: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error('not http(s)');
    }
  } catch {
    throw new Error(
      `Invalid config at '${path}': '${value}' is not an http(s) URL`,
    );
  }
  return value.replace(/\/+$/, '');
}

/** Reads `operability.prometheus` and `operability.alertmanager`; errors name the config path. */
export function readPrometheusModuleConfig(
  config: Config,
): PrometheusModuleConfig {
  const instances = (
    config.getOptionalConfigArray('operability.prometheus.instances') ?? []
  ).map((instance, i) => {
    const path = `operability.prometheus.instances[${i}]`;
    const headersConfig = instance.getOptionalConfig('headers');
    const headers: Record<string, string> = {};
    for (const key of headersConfig?.keys() ?? []) {
      headers[key] = headersConfig!.getString(key);
    }
    return {
      name: instance.getString('name'),
      url: checkUrl(instance.getString('url'), `${path}.url`),
      headers,
    };
  });
  const names = new Set<string>();
  instances.forEach((instance, i) => {
    if (names.has(instance.name)) {
      throw new Error(
        `Invalid config at 'operability.prometheus.instances[${i}].name': duplicate name '${instance.name}'`,
      );
    }
    names.add(instance.name);
  });
  const am = config.getOptionalConfig('operability.alertmanager');
  const amUrl = am?.getOptionalString('url');
  return {
    instances,
    ...(am
      ? {
          alertmanager: {
            ...(amUrl
              ? { url: checkUrl(amUrl, 'operability.alertmanager.url') }
              : {}),
            ...(am.getOptionalString('configFile')
              ? { configFile: am.getString('configFile') }
              : {}),
          },
        }
      : {}),
  };
}
