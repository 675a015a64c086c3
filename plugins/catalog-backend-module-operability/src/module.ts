import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ScheduleEntitiesProcessor } from './processor/ScheduleEntitiesProcessor';

/**
 * Adds the `Schedule` kind (operability.io/v1alpha1) to the catalog.
 *
 * @public
 */
export const catalogModuleOperability = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'operability',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new ScheduleEntitiesProcessor());
      },
    });
  },
});
