import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type {
  CampaignServiceItem,
  CampaignTeam,
} from '@opsready/plugin-operability-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { operabilityApiRef } from '../../api';
import { CampaignBurndownChart } from './CampaignBurndownChart';

/** Open services per page of the list. */
const PAGE_SIZE = 10;

function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.round((100 * done) / total);
}

function TeamsTable(props: { teams: CampaignTeam[] }) {
  const { teams } = props;
  if (teams.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No team owns a service in this campaign.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Progress per team">
      <TableHead>
        <TableRow>
          <TableCell>Team</TableCell>
          <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
            Done
          </TableCell>
          <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
            Open
          </TableCell>
          <TableCell style={{ width: '30%' }}>Progress</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {teams.map(team => (
          <TableRow key={team.ref}>
            <TableCell>
              <EntityRefLink entityRef={team.ref} title={team.title} />
            </TableCell>
            <TableCell align="right" style={{ whiteSpace: 'nowrap' }}>
              {team.done} of {team.total}
            </TableCell>
            <TableCell align="right">{team.total - team.done}</TableCell>
            <TableCell>
              <LinearProgress
                variant="determinate"
                value={percent(team.done, team.total)}
                aria-label={`${team.title ?? team.ref}: ${percent(
                  team.done,
                  team.total,
                )}% done`}
              />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function FailingChecks(props: {
  failing: string[];
  checkTitles: ReadonlyMap<string, string>;
}) {
  const { failing, checkTitles } = props;
  if (failing.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        below the target level
      </Typography>
    );
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {failing.map(id => (
        <Tooltip key={id} title={id}>
          <Chip
            size="small"
            variant="outlined"
            label={checkTitles.get(id) ?? id}
          />
        </Tooltip>
      ))}
    </Box>
  );
}

/** The services still open, with what fails, a page at a time. */
function OpenServices(props: {
  campaignId: string;
  checkTitles: ReadonlyMap<string, string>;
}) {
  const { campaignId, checkTitles } = props;
  const api = useApi(operabilityApiRef);
  const [items, setItems] = useState<CampaignServiceItem[]>([]);
  const [page, setPage] = useState<{ total: number; next?: string }>();
  const [state, load] = useAsyncFn(
    async (cursor?: string) => {
      const answer = await api.getCampaignServices(campaignId, {
        done: false,
        limit: PAGE_SIZE,
        cursor,
      });
      setItems(previous =>
        cursor ? [...previous, ...answer.items] : answer.items,
      );
      setPage({ total: answer.total, next: answer.nextCursor });
    },
    [api, campaignId],
  );
  useEffect(() => {
    load();
  }, [load]);

  if (!page && state.error) return <ResponseErrorPanel error={state.error} />;
  if (!page) return <Progress />;
  if (page.total === 0) {
    return (
      <Typography variant="body2">
        Every service in scope meets the target.
      </Typography>
    );
  }
  return (
    <>
      <Table size="small" aria-label="Services still open">
        <TableHead>
          <TableRow>
            <TableCell>Service</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>What fails</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(item => (
            <TableRow key={item.entityRef}>
              <TableCell>
                <EntityRefLink entityRef={item.entityRef} />
              </TableCell>
              <TableCell>
                {item.owner ? <EntityRefLink entityRef={item.owner} /> : '—'}
              </TableCell>
              <TableCell>
                <FailingChecks
                  failing={item.failing}
                  checkTitles={checkTitles}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="caption" color="textSecondary">
          {items.length} of {page.total} open
        </Typography>
        {page.next && (
          <Button
            size="small"
            disabled={state.loading}
            onClick={() => load(page.next)}
          >
            Show more
          </Button>
        )}
        {state.error && (
          <Typography variant="caption" color="error">
            {state.error.message}
          </Typography>
        )}
      </Box>
    </>
  );
}

/** A campaign's teams, burndown and open services; loaded when shown. */
export function CampaignDetails(props: {
  campaignId: string;
  checkTitles: ReadonlyMap<string, string>;
}) {
  const { campaignId, checkTitles } = props;
  const api = useApi(operabilityApiRef);
  const detail = useAsync(() => api.getCampaign(campaignId), [api, campaignId]);
  if (detail.loading) return <Progress />;
  if (detail.error) return <ResponseErrorPanel error={detail.error} />;
  if (!detail.value) return null;
  return (
    <Grid container spacing={3}>
      {detail.value.description && (
        <Grid item xs={12}>
          <Typography variant="body2">{detail.value.description}</Typography>
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <Typography variant="subtitle2" gutterBottom>
          Per team
        </Typography>
        <TeamsTable teams={detail.value.teams} />
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="subtitle2" gutterBottom>
          Burndown
        </Typography>
        <CampaignBurndownChart detail={detail.value} />
      </Grid>
      <Grid item xs={12}>
        <Typography variant="subtitle2" gutterBottom>
          Still open
        </Typography>
        <OpenServices campaignId={campaignId} checkTitles={checkTitles} />
      </Grid>
    </Grid>
  );
}
