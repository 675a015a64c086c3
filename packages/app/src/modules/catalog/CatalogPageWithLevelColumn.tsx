import {
  CatalogIndexPage,
  CatalogTable,
  type CatalogTableColumnsFunc,
} from '@backstage/plugin-catalog';
import type { EntityListPagination } from '@backstage/plugin-catalog-react';
import { operabilityLevelColumn } from '@opsready/plugin-operability';
import type { ReactNode } from 'react';

/** The catalog's own columns for the kind shown, then the readiness level. */
const columns: CatalogTableColumnsFunc = context => [
  ...CatalogTable.defaultColumnsFunc(context),
  operabilityLevelColumn(),
];

/**
 * The catalog's own index page (title, its Create and export buttons, the
 * filter extensions, the table), with the operability level column added.
 * The Create button shows, as in any app, to those allowed to create
 * entities once a page (the scaffolder's) is bound to the catalog's
 * `createComponent` route; export offers the catalog's CSV and JSON.
 */
export function CatalogPageWithLevelColumn(props: {
  filters: ReactNode;
  pagination?: EntityListPagination;
}) {
  return (
    <CatalogIndexPage
      columns={columns}
      filters={props.filters}
      pagination={props.pagination}
      exportSettings={{ enabled: true }}
    />
  );
}
