import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  FactProvider,
  OnCallProvider,
  operabilityFactProvidersExtensionPoint,
  operabilityOnCallProvidersExtensionPoint,
} from '@opsready/plugin-operability-node';
import { ScheduleOnCall } from './oncall/ScheduleOnCall';
import { CatalogSnapshot } from './ownership/CatalogSnapshot';
import { createRouter } from './service/router';
import { readOperabilityConfig } from './config';

/**
 * The operability backend plugin: ownership, on-call and readiness over REST.
 *
 * @public
 */
export const operabilityPlugin = createBackendPlugin({
  pluginId: 'operability',
  register(env) {
    const onCallProviders: OnCallProvider[] = [];
    const factProviders: FactProvider[] = [];
    env.registerExtensionPoint(operabilityOnCallProvidersExtensionPoint, {
      addOnCallProvider(...providers) {
        onCallProviders.push(...providers);
      },
    });
    env.registerExtensionPoint(operabilityFactProvidersExtensionPoint, {
      addFactProvider(...providers) {
        factProviders.push(...providers);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, auth, httpAuth, httpRouter, catalog }) {
        const settings = readOperabilityConfig(config);
        const snapshot = new CatalogSnapshot({
          catalog,
          auth,
          logger,
          ttlMs: settings.catalogCacheTtlMs,
        });
        logger.info(
          `Operability: ${
            onCallProviders.length
          } on-call provider(s) [${onCallProviders
            .map(p => p.id)
            .join(', ')}], ${
            factProviders.length
          } fact provider(s) [${factProviders.map(p => p.id).join(', ')}]`,
        );
        httpRouter.use(
          await createRouter({
            httpAuth,
            logger,
            catalog,
            snapshot,
            onCallProviders,
            scheduleOnCall: new ScheduleOnCall(),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
