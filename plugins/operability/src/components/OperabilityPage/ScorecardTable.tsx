import {
  ResponseErrorPanel,
  Table,
  TableColumn,
  TableProps,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ScorecardRow } from '@opsready/plugin-operability-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import { operabilityApiRef, ScorecardsQuery } from '../../api';
import { LevelChip } from '../LevelChip';
import {
  PAGE_SIZES,
  ScorecardFilterValues,
  SortKey,
  TableQueryState,
} from './useScorecardSearchParams';

/** The remote-data function of a core-components Table, and its query. */
type RemoteRows<T extends object> = Extract<
  TableProps<T>['data'],
  (...args: any[]) => unknown
>;
type TableQuery<T extends object> = Parameters<RemoteRows<T>>[0];

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

/** The server sorts; each sortable column names the key it sorts by. */
const sortKeyByField: Record<string, SortKey> = {
  entityRef: 'name',
  'owner.ref': 'owner',
  score: 'score',
  level: 'level',
};

function scorecardColumns(
  sort: SortKey | undefined,
  order: 'asc' | 'desc' | undefined,
): TableColumn<ScorecardRow>[] {
  const columns: TableColumn<ScorecardRow>[] = [
    {
      title: 'Service',
      field: 'entityRef',
      render: row => (
        <EntityRefLink entityRef={row.entityRef} title={row.title} />
      ),
    },
    {
      title: 'Owner',
      field: 'owner.ref',
      render: row =>
        row.owner.ref ? (
          <EntityRefLink entityRef={row.owner.ref} title={row.owner.title} />
        ) : (
          `none (${row.owner.resolvedFrom ?? 'not set'})`
        ),
    },
    {
      title: 'On call now',
      sorting: false,
      render: row => <PrimaryOnCall row={row} />,
    },
    { title: 'Type', field: 'type', sorting: false },
    { title: 'Lifecycle', field: 'lifecycle', sorting: false },
    { title: 'Score', field: 'score', render: row => row.score ?? '—' },
    {
      title: 'Level',
      field: 'level',
      render: row => <LevelChip level={row.level} />,
    },
  ];
  return columns.map(column =>
    sort && column.field && sortKeyByField[column.field as string] === sort
      ? { ...column, defaultSort: order ?? 'asc' }
      : column,
  );
}

function withoutEmpty(query: ScorecardsQuery): ScorecardsQuery {
  return Object.fromEntries(
    Object.entries(query).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  ) as ScorecardsQuery;
}

/**
 * Every service with owner, on-call, score and level. Search, sorting and
 * paging happen on the server; the backend's cursor is the row offset.
 * When the filters change the table asks again from the first page; it is not
 * mounted anew, which would cost a full re-render of the table.
 */
export function ScorecardTable(props: {
  filters: ScorecardFilterValues;
  initialState: TableQueryState;
  onStateChange: (state: TableQueryState) => void;
}) {
  const { filters, onStateChange } = props;
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const tableRef = useRef<any>();
  const filtersKey = JSON.stringify(filters);
  const firstFilters = useRef(filtersKey);
  useEffect(() => {
    if (filtersKey === firstFilters.current) return;
    firstFilters.current = filtersKey;
    const table = tableRef.current;
    table?.onQueryChange?.({ ...table.state?.query, page: 0 });
  }, [filtersKey]);
  const api = useApi(operabilityApiRef);
  const [error, setError] = useState<Error>();
  // Sort, search and page from the URL seed the table once; then the table leads.
  const [initial] = useState(props.initialState);
  const pendingInitialPage = useRef(true);
  const columns = useMemo(
    () => scorecardColumns(initial.sort, initial.order),
    [initial],
  );

  const fetchRows: RemoteRows<ScorecardRow> = async (
    query: TableQuery<ScorecardRow>,
  ) => {
    const page = pendingInitialPage.current ? initial.page : query.page;
    pendingInitialPage.current = false;
    const field = query.orderBy?.field as string | undefined;
    const sort = field ? sortKeyByField[field] : undefined;
    const order =
      sort && query.orderDirection ? query.orderDirection : undefined;
    const state: TableQueryState = {
      q: query.search || undefined,
      sort,
      order,
      page,
      pageSize: query.pageSize,
    };
    onStateChange(state);
    try {
      const result = await api.getScorecards(
        withoutEmpty({
          ...filtersRef.current,
          q: state.q,
          sort,
          order,
          limit: query.pageSize,
          cursor: page > 0 ? String(page * query.pageSize) : undefined,
        }),
      );
      setError(undefined);
      return { data: result.items, page, totalCount: result.total };
    } catch (e) {
      setError(e as Error);
      return { data: [], page: 0, totalCount: 0 };
    }
  };

  return (
    <>
      {error && <ResponseErrorPanel error={error} />}
      <Table<ScorecardRow>
        tableRef={tableRef}
        title="Services"
        columns={columns}
        options={{
          pageSize: initial.pageSize,
          pageSizeOptions: PAGE_SIZES,
          searchText: initial.q ?? '',
          debounceInterval: 300,
          padding: 'dense',
        }}
        localization={{
          body: {
            emptyDataSourceMessage:
              'No service matches. Clear the filters or the search; if the catalog has Components, the operability backend may not have evaluated them yet.',
          },
        }}
        data={fetchRows}
      />
    </>
  );
}
