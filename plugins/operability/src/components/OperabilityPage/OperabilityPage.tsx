import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { ScorecardRow } from '@opsready/plugin-operability-common';
import { useState } from 'react';
import { operabilityApiRef } from '../../api';

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
        `none (${row.owner.resolvedFrom})`
      ),
  },
  { title: 'Type', field: 'type' },
  { title: 'Lifecycle', field: 'lifecycle' },
  { title: 'Score', field: 'score', render: row => row.score ?? '—' },
  { title: 'Level', field: 'level', render: row => row.level ?? '—' },
];

/**
 * Every service with its owner and readiness; search and paging run on the server.
 * @public
 */
export function OperabilityPage() {
  const api = useApi(operabilityApiRef);
  const [error, setError] = useState<Error>();

  return (
    <Page themeId="tool">
      <Header
        title="Operability"
        subtitle="Who owns each service, who is on call, how production-ready it is"
      />
      <Content>
        {error && <ResponseErrorPanel error={error} />}
        <Table<ScorecardRow>
          title="Services"
          columns={columns}
          options={{
            pageSize: 20,
            pageSizeOptions: [20, 50, 100],
            debounceInterval: 300,
          }}
          data={async query => {
            try {
              const page = await api.getScorecards({
                q: query.search || undefined,
                limit: query.pageSize,
                // The backend's cursor is the row offset, so any page can be asked for.
                cursor:
                  query.page > 0
                    ? String(query.page * query.pageSize)
                    : undefined,
              });
              setError(undefined);
              return {
                data: page.items,
                page: query.page,
                totalCount: page.total,
              };
            } catch (e) {
              setError(e as Error);
              return { data: [], page: 0, totalCount: 0 };
            }
          }}
        />
      </Content>
    </Page>
  );
}
