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
 * The Create button shows to those allowed to create entities
 * (`catalog.entity.create`) once a page is bound to the catalog's
 * `createComponent` route: in the demo, which has no scaffolder, the
 * catalog-import page (`bindRoutes` in App.tsx). This legacy page reads the
 * binding through `useRouteRef`, which the new frontend system answers from
 * the app's route bindings. Export offers the catalog's CSV and JSON.
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
