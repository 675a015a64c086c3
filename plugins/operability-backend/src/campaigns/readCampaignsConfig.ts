import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseCalendarDate } from '@opsready/plugin-operability-common';
import { z } from 'zod';
import { formatPath } from '../readiness/evaluator/conditions';
import {
  calendarDate,
  filterSchema,
} from '../readiness/rubric/readRubricConfig';
import type { CheckFilter } from '../readiness/types';
import type { Campaign } from './types';

export const CAMPAIGNS_CONFIG_KEY = 'operability.campaigns';

/** A campaign id: lower-case letters, digits and `-`, as in URLs and notification scopes. */
export const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const campaignSchema = z.strictObject({
  id: z
    .string()
    .regex(
      CAMPAIGN_ID,
      "expected lower-case letters, digits and '-' (at most 64), e.g. 'runbooks-for-criticals'",
    ),
  title: z.string().trim().min(1),
  description: z.string().trim().min(1).optional(),
  target: z.strictObject({
    checks: z.array(z.string().min(1)).min(1).optional(),
    level: z.enum(['bronze', 'silver', 'gold']).optional(),
  }),
  filter: filterSchema.optional(),
  start: calendarDate,
  deadline: calendarDate,
});

export interface ReadCampaignsConfigOptions {
  /** Ids of the rubric's checks: a target may name only these. */
  checkIds: ReadonlySet<string>;
}

/**
 * Reads `operability.campaigns`: a list of time-boxed goals. Any problem
 * throws an InputError naming every config path at fault, e.g.
 * `Invalid config at 'operability.campaigns[1].target.checks[0]': …`.
 *
 * - `id`: `[a-z0-9-]`, unique; `title` required, `description` optional;
 * - `target`: exactly one of `checks` (ids of checks in the rubric) or
 *   `level` (bronze, silver or gold);
 * - `filter`: the shape of a check's filter (kind, type, lifecycle, tags,
 *   owner; a string or a list each);
 * - `start` and `deadline`: dates `YYYY-MM-DD`, start not after deadline.
 */
export function readCampaignsConfig(
  config: Config,
  options: ReadCampaignsConfigOptions,
): Campaign[] {
  const raw = config.getOptional(CAMPAIGNS_CONFIG_KEY);
  if (raw === undefined) return [];
  const issues: string[] = [];
  const add = (path: readonly PropertyKey[], message: string) =>
    issues.push(
      `Invalid config at '${formatPath(
        CAMPAIGNS_CONFIG_KEY,
        path,
      )}': ${message}`,
    );
  if (!Array.isArray(raw)) {
    add([], 'expected a list of campaigns');
    throw new InputError(issues.join('\n'));
  }
  const campaigns: Campaign[] = [];
  const seen = new Map<string, number>();
  raw.forEach((entry, index) => {
    const parsed = campaignSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        add([index, ...issue.path], issue.message);
      }
      return;
    }
    const c = parsed.data;
    const at = (...path: PropertyKey[]) => [index, ...path];
    let ok = true;
    const first = seen.get(c.id);
    if (first !== undefined) {
      add(
        at('id'),
        `duplicate campaign id '${c.id}' (also at campaigns[${first}])`,
      );
      ok = false;
    } else {
      seen.set(c.id, index);
    }
    const { checks, level } = c.target;
    if ((checks === undefined) === (level === undefined)) {
      add(
        at('target'),
        "give exactly one of 'checks' (check ids) or 'level' (bronze, silver or gold)",
      );
      ok = false;
    }
    checks?.forEach((id, i) => {
      if (!options.checkIds.has(id)) {
        add(at('target', 'checks', i), `no check '${id}' in the rubric`);
        ok = false;
      } else if (checks.indexOf(id) !== i) {
        add(at('target', 'checks', i), `check '${id}' is named twice`);
        ok = false;
      }
    });
    if (parseCalendarDate(c.deadline)! < parseCalendarDate(c.start)!) {
      add(at('deadline'), `must not be before start (${c.start})`);
      ok = false;
    }
    if (!ok) return;
    campaigns.push({
      id: c.id,
      title: c.title,
      ...(c.description ? { description: c.description } : {}),
      target: checks ? { checks } : { level: level! },
      ...(c.filter ? { filter: c.filter as CheckFilter } : {}),
      start: c.start,
      deadline: c.deadline,
    });
  });
  if (issues.length > 0) throw new InputError(issues.join('\n'));
  return campaigns;
}
