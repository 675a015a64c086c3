import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import type { TeamRollup } from '@opsready/plugin-operability-common';
import { memo, useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { operabilityApiRef } from '../../api';
import { DownloadButton } from '../DownloadButton';
import { LevelChip } from '../LevelChip';
import { LEVELS_BEST_FIRST } from '../shared/levels';
import type { LoadedList } from './ScorecardFilters';

function teamColumns(
  onSelectTeam: (teamRef: string) => void,
): TableColumn<TeamRollup>[] {
  return [
    {
      title: 'Team',
      field: 'title',
      render: team => (
        <Link
          component="button"
          variant="body2"
          onClick={() => onSelectTeam(team.ref)}
          title="Show this team's services"
        >
          {team.title ?? team.ref}
        </Link>
      ),
    },
    { title: 'Services', field: 'services', type: 'numeric' },
    {
      title: 'Average score',
      field: 'averageScore',
      type: 'numeric',
      render: team => Math.round(team.averageScore),
    },
    {
      title: 'Levels',
      sorting: false,
      render: team => (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {LEVELS_BEST_FIRST.filter(level => team.levels[level] > 0).map(
            level => (
              <LevelChip key={level} level={level} count={team.levels[level]} />
            ),
          )}
        </Box>
      ),
    },
  ];
}

/**
 * Per team: services, average score and services per level; a click filters
 * the table to the team. Memoised: a filter change re-renders the page, and
 * this table of every team does not depend on it.
 */
export const TeamRollupCard = memo(function TeamRollupView(props: {
  teams: LoadedList<TeamRollup>;
  onSelectTeam: (teamRef: string) => void;
}) {
  const { teams, onSelectTeam } = props;
  const api = useApi(operabilityApiRef);
  const columns = useMemo(() => teamColumns(onSelectTeam), [onSelectTeam]);
  if (teams.loading) {
    return (
      <InfoCard title="Teams">
        <Progress />
      </InfoCard>
    );
  }
  if (teams.error) {
    return (
      <InfoCard title="Teams">
        <ResponseErrorPanel error={teams.error} />
      </InfoCard>
    );
  }
  if (!teams.value?.length) {
    return (
      <InfoCard title="Teams">
        <Typography variant="body2">
          No team owns an evaluated service yet. Set <code>spec.owner</code> of
          your Components to a Group; teams appear after the next evaluation.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Box>
      <Table<TeamRollup>
        title="Teams"
        subtitle="Choose a team to see its services"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={teams.value}
      />
      <Box mt={1} display="flex" justifyContent="flex-end">
        <DownloadButton
          label="Teams CSV"
          ariaLabel="Download the team roll-up as CSV"
          fetchFile={() => api.downloadTeamsCsv()}
        />
      </Box>
    </Box>
  );
});
