import {
  type CampaignState,
  parseCalendarDate,
} from '@opsready/plugin-operability-common';

const DAY_MS = 86_400_000;

/**
 * A calendar date of the API (`YYYY-MM-DD`, a day in UTC) in the viewer's
 * language, e.g. "March 1, 2027" or "1 March 2027": the same day wherever
 * the viewer is.
 */
export function formatCalendarDate(date: string): string {
  const ms = parseCalendarDate(date);
  if (ms === undefined) return date;
  return new Date(ms).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * Where a campaign is in time, in words: "starts in 3 days", "12 days left",
 * "last day", "ended 2 days ago". The deadline day counts in full.
 */
export function campaignTimeText(
  campaign: { start: string; deadline: string; state: CampaignState },
  now: Date = new Date(),
): string {
  const start = parseCalendarDate(campaign.start) ?? 0;
  const end = (parseCalendarDate(campaign.deadline) ?? 0) + DAY_MS;
  const t = now.getTime();
  if (campaign.state === 'upcoming') {
    return `starts in ${plural(
      Math.max(1, Math.ceil((start - t) / DAY_MS)),
      'day',
    )}`;
  }
  if (campaign.state === 'ended') {
    const ago = Math.floor((t - end) / DAY_MS);
    return ago < 1 ? 'ended today' : `ended ${plural(ago, 'day')} ago`;
  }
  const left = Math.max(1, Math.ceil((end - t) / DAY_MS));
  return left === 1 ? 'last day' : `${plural(left, 'day')} left`;
}

/** What the UI says of a check announced for later: "counts from March 1, 2027". */
export function countsFromText(enforcedFrom: string): string {
  return `counts from ${formatCalendarDate(enforcedFrom)}`;
}
