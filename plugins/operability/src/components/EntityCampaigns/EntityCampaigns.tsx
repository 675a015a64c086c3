import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  type EntityCampaign,
  parseCalendarDate,
} from '@opsready/plugin-operability-common';
import { StatusOK, StatusWarning } from '@backstage/core-components';
import { formatCalendarDate } from '../shared/calendar';

const DAY_MS = 86_400_000;

/** "12 days left", "last day", "deadline passed": the deadline day counts in full. */
export function deadlineText(deadline: string, now: Date = new Date()): string {
  const end = (parseCalendarDate(deadline) ?? 0) + DAY_MS;
  const left = Math.ceil((end - now.getTime()) / DAY_MS);
  if (left <= 0) return 'deadline passed';
  return left === 1 ? 'last day' : `${left} days left`;
}

/**
 * The campaigns an entity is in (from its report): each with its deadline,
 * and whether the entity is done or which checks keep it open. Nothing when
 * it is in none. `checkTitles` names the failing checks.
 */
export function EntityCampaigns(props: {
  campaigns: readonly EntityCampaign[] | undefined;
  checkTitles?: ReadonlyMap<string, string>;
  /** Whether to head the list with "Campaigns" (not inside a card of that title). */
  heading?: boolean;
}) {
  const { campaigns, checkTitles, heading = true } = props;
  if (!campaigns?.length) return null;
  return (
    <Box>
      {heading && <Typography variant="subtitle2">Campaigns</Typography>}
      <Box
        component="ul"
        pl={0}
        m={0}
        aria-label="Campaigns"
        style={{ listStyle: 'none' }}
      >
        {campaigns.map(c => {
          const due = `due ${formatCalendarDate(c.deadline)}, ${deadlineText(
            c.deadline,
          )}`;
          const failing = c.failing
            .map(id => checkTitles?.get(id) ?? id)
            .join(', ');
          return (
            <Typography key={c.id} component="li" variant="body2">
              {c.done ? (
                <StatusOK>
                  <strong>{c.title}</strong>: done ({due})
                </StatusOK>
              ) : (
                <StatusWarning>
                  <strong>{c.title}</strong>: open
                  {failing ? `, fix ${failing}` : ', below the target level'} (
                  {due})
                </StatusWarning>
              )}
            </Typography>
          );
        })}
      </Box>
    </Box>
  );
}
