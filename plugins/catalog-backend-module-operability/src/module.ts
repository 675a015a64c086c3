import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { OperabilityStampProcessor } from './processor/OperabilityStampProcessor';
import { ScheduleEntitiesProcessor } from './processor/ScheduleEntitiesProcessor';
import { StampSource } from './stamps/StampSource';

/**
 * Adds the `Schedule` kind (operability.io/v1alpha1) to the catalog, and stamps
 * operability levels, scores, owning teams and resolved schedules on entities.
 *
 * @public
 */
export const catalogModuleOperability = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'operability',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ catalog, config, discovery, auth, logger }) {
        catalog.addProcessor(new ScheduleEntitiesProcessor());
        const stampKey = 'operability.catalog.stamps';
        if (config.getOptionalBoolean(`${stampKey}.enabled`) ?? true) {
          const ttlKey = `${stampKey}.refresh`;
          let ttlMs = 60_000;
          if (config.has(ttlKey)) {
            try {
              ttlMs = durationToMilliseconds(
                readDurationFromConfig(config, { key: ttlKey }),
              );
            } catch (error) {
              throw new Error(
                `Invalid config at '${ttlKey}': ${(error as Error).message}`,
              );
            }
          }
          catalog.addProcessor(
            new OperabilityStampProcessor(
              new StampSource({ discovery, auth, logger, ttlMs }),
            ),
          );
        }
      },
    });
  },
});
