import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  entityRefOf,
  type Page,
  type ScorecardRow,
} from '@opsready/plugin-operability-common';
import useAsync from 'react-use/esm/useAsync';
import { operabilityApiRef } from '../../api';
import { LevelChip } from '../LevelChip';
import { OnCallCell } from '../OnCallCell';
import {
  TeamLoadSummary,
  teamLoadColumn,
  useTeamOnCallLoad,
} from '../OnCallLoadCard';
import { countByLevel, LEVELS_BEST_FIRST } from '../shared/levels';

/** The most services one card lists; the org page pages through the rest. */
const SERVICES_LIMIT = 100;

const serviceColumns: TableColumn<ScorecardRow>[] = [
  {
    title: 'Service',
    field: 'entityRef',
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  },
  {
    title: 'Level',
    field: 'level',
    render: row => <LevelChip level={row.level} />,
  },
  { title: 'Score', field: 'score', render: row => row.score ?? '—' },
  {
    title: 'On call now',
    sorting: false,
    render: row => <OnCallCell onCall={row.onCall} />,
  },
];

function LevelCounts(props: { rows: ScorecardRow[] }) {
  const counts = countByLevel(props.rows, row => row.level);
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      style={{ gap: 8 }}
      aria-label="Services per level"
    >
      {LEVELS_BEST_FIRST.map(level => (
        <LevelChip key={level} level={level} count={counts[level]} />
      ))}
      {counts.notEvaluated > 0 && (
        <LevelChip level={null} count={counts.notEvaluated} />
      )}
    </Box>
  );
}

function TeamServices(props: { groupRef: string; page: Page<ScorecardRow> }) {
  const { groupRef, page } = props;
  // The on-call load of the first few services: one request each.
  const load = useTeamOnCallLoad(page.items.map(row => row.entityRef));
  if (page.items.length === 0) {
    return (
      <Typography variant="body2">
        No service has this team as its owner. Set{' '}
        <code>spec.owner: {groupRef}</code> on the team's Components.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      <LevelCounts rows={page.items} />
      <TeamLoadSummary team={load} total={page.total} />
      {page.total > page.items.length && (
        <Typography variant="caption" color="textSecondary">
          Counted over the first {page.items.length} of {page.total} services.
        </Typography>
      )}
      <Table<ScorecardRow>
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={[...serviceColumns, teamLoadColumn<ScorecardRow>(load)]}
        data={page.items}
      />
    </Box>
  );
}

/**
 * For a Group page: the team's services with their levels, and who is on
 * call for each of them now.
 * @public
 */
export function EntityTeamOperabilityCard() {
  const { entity } = useEntity();
  const api = useApi(operabilityApiRef);
  const groupRef = entityRefOf(entity);
  const { value, loading, error } = useAsync(
    () => api.getScorecards({ owner: groupRef, limit: SERVICES_LIMIT }),
    [api, groupRef],
  );

  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (value) body = <TeamServices groupRef={groupRef} page={value} />;

  return <InfoCard title="Services and on-call">{body}</InfoCard>;
}
