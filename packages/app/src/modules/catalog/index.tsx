import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';

/**
 * The catalog page with the operability level column. Backstage 1.55's
 * catalog page of the new frontend system takes no columns (only filter
 * extensions; backstage/backstage#33438), so this module overrides its loader
 * and keeps the rest: the path, the route, the nav item, the filter
 * extensions attached to it (the operability level filter among them) and
 * its `pagination` config.
 */
const catalogPageWithLevelColumn = catalogPlugin
  .getExtension('page:catalog')
  .override({
    factory(originalFactory, { inputs, config }) {
      return originalFactory({
        params: {
          loader: async () => {
            const { CatalogPageWithLevelColumn } = await import(
              './CatalogPageWithLevelColumn'
            );
            const filters = inputs.filters.map(filter =>
              filter.get(coreExtensionData.reactElement),
            );
            return (
              <CatalogPageWithLevelColumn
                filters={<>{filters}</>}
                pagination={config.pagination}
              />
            );
          },
        },
      });
    },
  });

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogPageWithLevelColumn],
});
