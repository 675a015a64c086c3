import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NOTIFICATION_TOPIC } from '../notifications/notificationFor';
import type { CampaignNotice } from './CampaignStore';
import type { CampaignEntry, CompiledCampaign } from './progress';
import { campaignStateAt } from './progress';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** After the deadline, the deadline notice goes out for this long; later, none. */
const DEADLINE_NOTICE_WINDOW_MS = WEEK_MS;

/**
 * Which notice of a campaign is due at an instant (pure), given when each
 * was last sent:
 *
 * - `start`: once, while the campaign is active;
 * - `weekly`: while it is active, seven days after the start notice or the
 *   last weekly one;
 * - `deadline`: once, within a week after the deadline passed (a campaign
 *   configured long after its deadline sends nothing).
 */
export function noticeDue(
  compiled: Pick<CompiledCampaign, 'startMs' | 'endMs'>,
  sent: Partial<Record<CampaignNotice, Date>>,
  nowMs: number,
): CampaignNotice | undefined {
  const state = campaignStateAt(compiled, nowMs);
  if (state === 'active') {
    if (!sent.start) return 'start';
    const last = Math.max(
      sent.start.getTime(),
      sent.weekly?.getTime() ?? -Infinity,
    );
    return nowMs - last >= WEEK_MS ? 'weekly' : undefined;
  }
  if (
    state === 'ended' &&
    !sent.deadline &&
    nowMs < compiled.endMs + DEADLINE_NOTICE_WINDOW_MS
  ) {
    return 'deadline';
  }
  return undefined;
}

/** The open entries of a campaign by owning team; entries without an owner are left out. */
export function openByTeam(
  entries: readonly CampaignEntry[],
): Map<string, CampaignEntry[]> {
  const out = new Map<string, CampaignEntry[]>();
  for (const e of entries) {
    if (e.done || !e.owner) continue;
    const list = out.get(e.owner) ?? [];
    list.push(e);
    out.set(e.owner, list);
  }
  return out;
}

/** `component:default/payments-api` → `payments-api`. */
function nameOf(entityRef: string): string {
  return entityRef.slice(entityRef.lastIndexOf('/') + 1);
}

function listed(entries: readonly CampaignEntry[], max = 5): string {
  const names = entries.slice(0, max).map(e => {
    const failing = e.failing.length ? ` (${e.failing.join(', ')})` : '';
    return `${nameOf(e.entityRef)}${failing}`;
  });
  const more = entries.length - max;
  return `${names.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** The notification scope of a campaign and team: each notice updates the team's one notification. */
export function campaignScope(campaignId: string, teamRef: string): string {
  return `operability:campaign:${campaignId}:${teamRef}`;
}

/** The notification of one notice of a campaign to one team with open services (pure). */
export function campaignNotification(
  compiled: Pick<CompiledCampaign, 'campaign' | 'endMs'>,
  notice: CampaignNotice,
  teamRef: string,
  open: readonly CampaignEntry[],
  nowMs: number,
): NotificationPayload {
  const { campaign } = compiled;
  const n = open.length;
  const services = `${n} ${n === 1 ? 'service' : 'services'}`;
  const daysLeft = Math.max(0, Math.ceil((compiled.endMs - nowMs) / DAY_MS));
  let title: string;
  let lead: string;
  let severity: NotificationPayload['severity'] = 'normal';
  if (notice === 'start') {
    title = `Campaign started: ${campaign.title}`;
    lead = `${services} of your team ${n === 1 ? 'has' : 'have'} until ${
      campaign.deadline
    } to meet it.`;
  } else if (notice === 'weekly') {
    title = `Campaign: ${campaign.title}, ${daysLeft} ${
      daysLeft === 1 ? 'day' : 'days'
    } left`;
    lead = `${services} of your team ${
      n === 1 ? 'is' : 'are'
    } still open; the deadline is ${campaign.deadline}.`;
  } else {
    title = `Campaign deadline passed: ${campaign.title}`;
    lead = `The deadline was ${campaign.deadline}; ${services} of your team ${
      n === 1 ? 'is' : 'are'
    } still open.`;
    severity = 'high';
  }
  return {
    title,
    description: `${lead} Open: ${listed(open)}.`,
    link: `/operability?campaign=${encodeURIComponent(campaign.id)}`,
    severity,
    topic: NOTIFICATION_TOPIC,
    scope: campaignScope(campaign.id, teamRef),
  };
}
