import { Content, Header, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { WhoOwnsSearch } from '../WhoOwnsSearch';
import { MostFailedChecksCard } from './MostFailedChecksCard';
import { ScorecardFilters } from './ScorecardFilters';
import { ScorecardTable } from './ScorecardTable';
import { TeamRollupCard } from './TeamRollupCard';
import { useScorecardSearchParams } from './useScorecardSearchParams';

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

  return (
    <Page themeId="tool">
      <Header
        title="Operability"
        subtitle="Who owns each service, who is on call, how production-ready it is"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <WhoOwnsSearch />
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
            <ScorecardTable
              filters={filters}
              initialState={tableState}
              onStateChange={setTableState}
            />
          </Grid>
          <Grid item xs={12} md={7}>
            <TeamRollupCard
              teams={teams}
              onSelectTeam={teamRef => setFilter('owner', teamRef)}
            />
          </Grid>
          <Grid item xs={12} md={5}>
            <MostFailedChecksCard
              teams={teams}
              checks={checks}
              onSelectCheck={checkId => setFilter('failing', checkId)}
            />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
