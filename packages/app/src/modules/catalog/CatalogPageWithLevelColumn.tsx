import { configApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  CatalogTable,
  type CatalogTableColumnsFunc,
} from '@backstage/plugin-catalog';
import { catalogTranslationRef } from '@backstage/plugin-catalog/alpha';
import {
  CatalogFilterLayout,
  EntityListProvider,
  type EntityListPagination,
} from '@backstage/plugin-catalog-react';
import { Container, Header } from '@backstage/ui';
import { operabilityLevelColumn } from '@opsready/plugin-operability';
import type { ReactNode } from 'react';

/** The catalog's own columns for the kind shown, then the readiness level. */
const columns: CatalogTableColumnsFunc = context => [
  ...CatalogTable.defaultColumnsFunc(context),
  operabilityLevelColumn(),
];

/**
 * The catalog index page as the new frontend system's catalog renders it
 * (title, the filter extensions, the table), with the operability level
 * column added. Not shown: the Create and export buttons, which the demo has
 * no use for.
 */
export function CatalogPageWithLevelColumn(props: {
  filters: ReactNode;
  pagination?: EntityListPagination;
}) {
  const orgName =
    useApi(configApiRef).getOptionalString('organization.name') ?? 'Backstage';
  const { t } = useTranslationRef(catalogTranslationRef);
  return (
    <EntityListProvider pagination={props.pagination}>
      <Header title={t('indexPage.title', { orgName })} />
      <Container>
        <CatalogFilterLayout>
          <CatalogFilterLayout.Filters>
            {props.filters}
          </CatalogFilterLayout.Filters>
          <CatalogFilterLayout.Content>
            <CatalogTable columns={columns} />
          </CatalogFilterLayout.Content>
        </CatalogFilterLayout>
      </Container>
    </EntityListProvider>
  );
}
