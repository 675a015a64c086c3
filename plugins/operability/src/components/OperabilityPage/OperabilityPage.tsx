import { Content, Header, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { memo, useCallback, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { WhoOwnsSearch } from '../WhoOwnsSearch';
import { CampaignsSection } from '../CampaignsSection';
import { DownloadButton } from '../DownloadButton';
import { MyTeamsFilter } from '../MyTeamsFilter';
import { MostFailedChecksCard } from './MostFailedChecksCard';
import { ScorecardFilters } from './ScorecardFilters';
import { scorecardsQuery, ScorecardTable } from './ScorecardTable';
import { TeamRollupCard } from './TeamRollupCard';
import { useScorecardSearchParams } from './useScorecardSearchParams';

/** The search takes no props from the page: a filter change need not re-render it. */
const OrgWhoOwnsSearch = memo(() => <WhoOwnsSearch />);

/**
 * The org-wide page: who owns what, every service with owner, on-call, score
 * and level (filtered, sorted, searched and paged on the server), the team
 * roll-up and the checks that fail most. Its filters live in the URL.
 * @public
 */
export function OperabilityPage() {
  const api = useApi(operabilityApiRef);
  const teams = useAsync(() => api.getTeams(), [api]);
  const checks = useAsync(() => api.getChecks(), [api]);
  const { filters, tableState, setFilter, clearFilters, setTableState } =
    useScorecardSearchParams();
  // Stable, so that the memoised cards skip the re-render of a filter change.
  const selectTeam = useCallback(
    (teamRef: string) => setFilter('owner', teamRef),
    [setFilter],
  );
  const selectOwner = useCallback(
    (owner: string | string[] | undefined) => setFilter('owner', owner),
    [setFilter],
  );
  const teamTitles = useMemo(
    () =>
      new Map(
        (teams.value ?? []).flatMap(team =>
          team.title ? [[team.ref, team.title] as const] : [],
        ),
      ),
    [teams.value],
  );
  // The CSV has every row matching the table's filters, search and sort.
  const downloadCsv = useCallback(() => {
    const query = scorecardsQuery(filters, tableState);
    return api.downloadScorecardsCsv({
      ...filters,
      q: query.q,
      sort: query.sort,
      order: query.order,
    });
  }, [api, filters, tableState]);
  const selectCheck = useCallback(
    (checkId: string) => setFilter('failing', checkId),
    [setFilter],
  );

  return (
    <Page themeId="tool">
      <Header
        title="Operability"
        subtitle="Who owns each service, who is on call, how production-ready it is"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <OrgWhoOwnsSearch />
          </Grid>
          <Grid item xs={12}>
            <CampaignsSection checks={checks.value} />
          </Grid>
          <Grid item xs={12}>
            <ScorecardFilters
              values={filters}
              teams={teams}
              checks={checks}
              onChange={setFilter}
              onClear={clearFilters}
            />
          </Grid>
          <Grid item xs={12}>
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              justifyContent="space-between"
              style={{ gap: 12 }}
            >
              <MyTeamsFilter
                owner={filters.owner}
                titles={teamTitles}
                onChange={selectOwner}
              />
              <Box ml="auto">
                <DownloadButton
                  label="Services CSV"
                  ariaLabel="Download the services as CSV"
                  fetchFile={downloadCsv}
                />
              </Box>
            </Box>
          </Grid>
          <Grid item xs={12}>
            <ScorecardTable
              filters={filters}
              tableState={tableState}
              onStateChange={setTableState}
            />
          </Grid>
          <Grid item xs={12} md={7}>
            <TeamRollupCard teams={teams} onSelectTeam={selectTeam} />
          </Grid>
          <Grid item xs={12} md={5}>
            <MostFailedChecksCard
              teams={teams}
              checks={checks}
              onSelectCheck={selectCheck}
            />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
