import type { Config } from '@backstage/config';

export interface PagerDutyModuleConfig {
  token: string;
  baseUrl: string;
}

/** Reads `operability.pagerduty`; undefined when PagerDuty is not configured. */
export function readPagerDutyModuleConfig(
  config: Config,
): PagerDutyModuleConfig | undefined {
  const pd = config.getOptionalConfig('operability.pagerduty');
  if (!pd) return undefined;
  const baseUrl =
    pd.getOptionalString('baseUrl') ?? 'https://api.pagerduty.com';
  if (!URL.canParse(baseUrl)) {
    throw new Error(
      `Invalid config at 'operability.pagerduty.baseUrl': '${baseUrl}' is not a URL`,
    );
  }
  return { token: pd.getString('token'), baseUrl: baseUrl.replace(/\/+$/, '') };
}
