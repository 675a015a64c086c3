import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import InputAdornment from '@material-ui/core/InputAdornment';
import LinearProgress from '@material-ui/core/LinearProgress';
import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import type { ScorecardRow } from '@opsready/plugin-operability-common';
import { memo, useEffect, useMemo } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { operabilityApiRef, ScorecardsQuery } from '../../api';
import { DebouncedTextField } from '../DebouncedTextField';
import { LevelChip } from '../LevelChip';
import {
  PAGE_SIZES,
  ScorecardFilterValues,
  SortKey,
  TableQueryState,
} from './useScorecardSearchParams';

/** The server's order when the URL names none. */
const DEFAULT_SORT: SortKey = 'name';

function PrimaryOnCall(props: { row: ScorecardRow }) {
  const { onCall } = props.row;
  if (!onCall) return <>no schedule</>;
  if (onCall.status === 'unknown' && !onCall.primary) return <>unknown</>;
  if (!onCall.primary) return <>nobody</>;
  return (
    <EntityRefLink
      entityRef={onCall.primary.ref}
      title={onCall.primary.title}
    />
  );
}

interface Column {
  title: string;
  /** The server's sort key, for the columns it can sort by. */
  sort?: SortKey;
  numeric?: boolean;
  render: (row: ScorecardRow) => React.ReactNode;
}

const COLUMNS: Column[] = [
  {
    title: 'Service',
    sort: 'name',
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  },
  {
    title: 'Owner',
    sort: 'owner',
    render: row =>
      row.owner.ref ? (
        <EntityRefLink entityRef={row.owner.ref} title={row.owner.title} />
      ) : (
        `none (${row.owner.resolvedFrom ?? 'not set'})`
      ),
  },
  { title: 'On call now', render: row => <PrimaryOnCall row={row} /> },
  { title: 'Type', render: row => row.type ?? '' },
  { title: 'Lifecycle', render: row => row.lifecycle ?? '' },
  {
    title: 'Score',
    sort: 'score',
    numeric: true,
    render: row => row.score ?? '—',
  },
  {
    title: 'Level',
    sort: 'level',
    render: row => <LevelChip level={row.level} />,
  },
];

function withoutEmpty(query: ScorecardsQuery): ScorecardsQuery {
  return Object.fromEntries(
    Object.entries(query).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  ) as ScorecardsQuery;
}

/** The scorecards request for the filters and the table's state in the URL. */
export function scorecardsQuery(
  filters: ScorecardFilterValues,
  state: TableQueryState,
): ScorecardsQuery {
  return withoutEmpty({
    ...filters,
    q: state.q,
    sort: state.sort,
    order: state.sort ? state.order : undefined,
    limit: state.pageSize,
    cursor: state.page > 0 ? String(state.page * state.pageSize) : undefined,
  });
}

/** The rows of one page; memoised so that a re-render of the page while a request runs costs nothing. */
const ScorecardRows = memo(function ScorecardRowList(props: {
  rows: ScorecardRow[];
}) {
  return (
    <>
      {props.rows.map(row => (
        <TableRow key={row.entityRef} hover>
          {COLUMNS.map(column => (
            <TableCell
              key={column.title}
              align={column.numeric ? 'right' : 'left'}
            >
              {column.render(row)}
            </TableCell>
          ))}
        </TableRow>
      ))}
    </>
  );
});

/**
 * Every service with owner, on-call, score and level. Filters, search,
 * sorting and paging are the URL's, and the server applies them: the table
 * only shows the page it is sent. A plain Material UI table rather than
 * core-components' Table: with paging on the server none of its client-side
 * machinery is needed, and re-rendering it on every filter change cost
 * hundreds of milliseconds.
 */
export function ScorecardTable(props: {
  filters: ScorecardFilterValues;
  tableState: TableQueryState;
  onStateChange: (state: TableQueryState) => void;
}) {
  const { filters, tableState, onStateChange } = props;
  const api = useApi(operabilityApiRef);
  const query = useMemo(
    () => scorecardsQuery(filters, tableState),
    [filters, tableState],
  );
  const key = JSON.stringify(query);
  // The page shown stays on screen, marked busy, until the next one arrives.
  const [result, load] = useAsyncFn(
    async () => ({ key, page: await api.getScorecards(query) }),
    [api, key],
  );
  useEffect(() => {
    load();
  }, [load]);

  const shown = result.value;
  const busy = result.loading || (!result.error && shown?.key !== key);
  const sort = tableState.sort ?? DEFAULT_SORT;
  const order = tableState.order ?? 'asc';
  const total = shown?.page.total ?? 0;
  // A shared link may point past the last page; the pager shows the last one.
  const lastPage = Math.max(0, Math.ceil(total / tableState.pageSize) - 1);

  const change = (next: Partial<TableQueryState>) =>
    onStateChange({ ...tableState, page: 0, ...next });

  return (
    <Paper>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        px={2}
        pt={2}
        pb={1}
        style={{ gap: 16 }}
      >
        <Typography variant="h5" component="h2">
          Services
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {shown ? `${total.toLocaleString('en-US')} matching` : ''}
        </Typography>
        <Box flexGrow={1} />
        <DebouncedTextField
          id="scorecards-search"
          placeholder="Name, title or owner"
          size="small"
          value={tableState.q}
          onChange={q => change({ q })}
          inputProps={{ 'aria-label': 'Search services' }}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
        />
      </Box>
      <Box height={4}>{busy && <LinearProgress />}</Box>
      {result.error && (
        <Box px={2} pb={2}>
          <ResponseErrorPanel error={result.error} />
        </Box>
      )}
      <Box style={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Services" aria-busy={busy}>
          <TableHead>
            <TableRow>
              {COLUMNS.map(column => (
                <TableCell
                  key={column.title}
                  align={column.numeric ? 'right' : 'left'}
                  sortDirection={column.sort === sort ? order : false}
                >
                  {column.sort ? (
                    <TableSortLabel
                      active={column.sort === sort}
                      direction={column.sort === sort ? order : 'asc'}
                      onClick={() =>
                        change({
                          sort: column.sort,
                          order:
                            column.sort === sort && order === 'asc'
                              ? 'desc'
                              : 'asc',
                        })
                      }
                    >
                      {column.title}
                    </TableSortLabel>
                  ) : (
                    column.title
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown && shown.page.items.length > 0 && (
              <ScorecardRows rows={shown.page.items} />
            )}
            {shown && shown.page.items.length === 0 && !result.error && (
              <TableRow>
                <TableCell colSpan={COLUMNS.length}>
                  {total > 0 ? (
                    // A shared link to a page that no longer exists.
                    <Typography variant="body2" color="textSecondary">
                      This page is past the last one ({total} services match).{' '}
                      <Link
                        component="button"
                        variant="body2"
                        onClick={() => change({ page: 0 })}
                      >
                        Go to the first page
                      </Link>
                    </Typography>
                  ) : (
                    <Typography variant="body2" color="textSecondary">
                      No service matches. Clear the filters or the search; if
                      the catalog has Components, the operability backend may
                      not have evaluated them yet.
                    </Typography>
                  )}
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </Box>
      <TablePagination
        component="div"
        count={total}
        page={Math.min(tableState.page, lastPage)}
        rowsPerPage={tableState.pageSize}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={(_event, page) => change({ page })}
        onRowsPerPageChange={event =>
          change({ pageSize: Number(event.target.value) })
        }
      />
    </Paper>
  );
}
