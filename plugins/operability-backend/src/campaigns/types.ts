import type { CampaignTarget } from '@opsready/plugin-operability-common';
import type { CheckFilter } from '../readiness/types';

/** A campaign as configured under `operability.campaigns`, read and checked. */
export interface Campaign {
  /** Stable id, `[a-z0-9-]`. */
  id: string;
  title: string;
  description?: string;
  target: CampaignTarget;
  /** Which entities the campaign covers; without one, every scored entity. */
  filter?: CheckFilter;
  /** First day, `YYYY-MM-DD` (UTC). */
  start: string;
  /** Last day, `YYYY-MM-DD` (UTC), inclusive. */
  deadline: string;
}
