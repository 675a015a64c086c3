import type { Config } from '@backstage/config';
import { isLevel, type Level } from '@opsready/plugin-operability-common';

/** `operability.onCall.handoffReports`, as read. */
export interface HandoffReportsSettings {
  /**
   * True or false when set; undefined when not: then on when notifications
   * are (`operability.notifications.enabled`, by default whether the
   * notifications backend runs in this backend).
   */
  enabled?: boolean;
  /** A covered service below this level is reported as not ready. */
  readyLevel: Level;
}

const KEY = 'operability.onCall.handoffReports';

/** Reads `operability.onCall.handoffReports`; a bad value stops start-up naming its path. */
export function readHandoffReportsConfig(
  config: Config,
): HandoffReportsSettings {
  let enabled: boolean | undefined;
  let readyLevel: string | undefined;
  try {
    enabled = config.getOptionalBoolean(`${KEY}.enabled`);
  } catch (error) {
    throw new Error(
      `Invalid config at '${KEY}.enabled': ${(error as Error).message}`,
    );
  }
  try {
    readyLevel = config.getOptionalString(`${KEY}.readyLevel`);
  } catch (error) {
    throw new Error(
      `Invalid config at '${KEY}.readyLevel': ${(error as Error).message}`,
    );
  }
  if (readyLevel !== undefined && !isLevel(readyLevel)) {
    throw new Error(
      `Invalid config at '${KEY}.readyLevel': '${readyLevel}' is not a level; use 'none', 'bronze', 'silver' or 'gold'`,
    );
  }
  return { enabled, readyLevel: (readyLevel as Level) ?? 'bronze' };
}
