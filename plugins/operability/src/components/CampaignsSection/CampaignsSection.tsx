import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type {
  CampaignSummary,
  CheckDescription,
} from '@opsready/plugin-operability-common';
import { useMemo } from 'react';
import { useLocation } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { LevelChip } from '../LevelChip';
import { campaignTimeText, formatCalendarDate } from '../shared/calendar';
import { CampaignDetails } from './CampaignDetails';

function TargetText(props: {
  campaign: CampaignSummary;
  checkTitles: ReadonlyMap<string, string>;
}) {
  const { campaign, checkTitles } = props;
  if ('level' in campaign.target) {
    return (
      <>
        target: level <LevelChip level={campaign.target.level} /> or better
      </>
    );
  }
  return (
    <>
      target:{' '}
      {campaign.target.checks.map(id => checkTitles.get(id) ?? id).join(', ')}
    </>
  );
}

/** A campaign's line: title, state, progress bar, deadline and days left. */
function CampaignProgress(props: {
  campaign: CampaignSummary;
  checkTitles: ReadonlyMap<string, string>;
}) {
  const { campaign, checkTitles } = props;
  const percent =
    campaign.total === 0
      ? 100
      : Math.round((100 * campaign.done) / campaign.total);
  return (
    <Box width="100%">
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="subtitle1" component="h3">
          {campaign.title}
        </Typography>
        <Chip size="small" label={campaign.state} />
      </Box>
      <Box display="flex" alignItems="center" my={1} style={{ gap: 12 }}>
        <Box flexGrow={1}>
          <LinearProgress
            variant="determinate"
            value={percent}
            aria-label={`${campaign.title}: ${percent}% done`}
          />
        </Box>
        <Typography variant="body2" style={{ whiteSpace: 'nowrap' }}>
          {campaign.done} of {campaign.total} done ({percent}%)
        </Typography>
      </Box>
      <Typography variant="body2" color="textSecondary" component="div">
        Deadline {formatCalendarDate(campaign.deadline)} ·{' '}
        {campaignTimeText(campaign)} ·{' '}
        <TargetText campaign={campaign} checkTitles={checkTitles} />
      </Typography>
    </Box>
  );
}

/**
 * Campaigns on the org page: each campaign's progress bar, deadline and days
 * left; opened, its per-team progress, burndown and the services still open
 * with what fails. The campaign named by `?campaign=<id>` (the link of its
 * notifications) is open at first, else the first active one.
 */
export function CampaignsSection(props: {
  /** The rubric's checks, for their titles. */
  checks?: readonly CheckDescription[];
}) {
  const api = useApi(operabilityApiRef);
  const campaigns = useAsync(() => api.getCampaigns(), [api]);
  const requested = new URLSearchParams(useLocation().search).get('campaign');
  const checkTitles = useMemo(
    () => new Map((props.checks ?? []).map(c => [c.id, c.title])),
    [props.checks],
  );

  let body;
  if (campaigns.loading) body = <Progress />;
  else if (campaigns.error) {
    body = <ResponseErrorPanel error={campaigns.error} />;
  } else if (!campaigns.value?.length) {
    body = (
      <Typography variant="body2">
        No campaigns. Set a goal with a deadline (say, every production service
        at silver by the end of the quarter) under{' '}
        <code>operability.campaigns</code> in the app config.
      </Typography>
    );
  } else {
    const items = campaigns.value;
    const open = items.some(c => c.id === requested)
      ? requested
      : items.find(c => c.state === 'active')?.id;
    body = (
      <Box>
        {items.map(campaign => (
          <Accordion
            key={campaign.id}
            id={`campaign-${campaign.id}`}
            defaultExpanded={campaign.id === open}
            TransitionProps={{ unmountOnExit: true }}
          >
            <AccordionSummary
              expandIcon={<ExpandMoreIcon />}
              aria-controls={`campaign-${campaign.id}-details`}
            >
              <CampaignProgress campaign={campaign} checkTitles={checkTitles} />
            </AccordionSummary>
            <AccordionDetails id={`campaign-${campaign.id}-details`}>
              <CampaignDetails
                campaignId={campaign.id}
                checkTitles={checkTitles}
              />
            </AccordionDetails>
          </Accordion>
        ))}
      </Box>
    );
  }
  return (
    <section aria-label="Campaigns">
      <InfoCard
        title="Campaigns"
        subheader="Time-boxed goals: how many services meet them, per team, and what is still open"
      >
        {body}
      </InfoCard>
    </section>
  );
}
