import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { operabilityFactProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import { readPrometheusModuleConfig } from './config';
import { PROMETHEUS_FACTS } from './facts';

/**
 * Facts from Prometheus, Alertmanager and rule files for the operability plugin.
 *
 * @public
 */
export const operabilityModulePrometheus = createBackendModule({
  pluginId: 'operability',
  moduleId: 'prometheus',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        facts: operabilityFactProvidersExtensionPoint,
      },
      async init({ config, logger, facts }) {
        const settings = readPrometheusModuleConfig(config);
        logger.info(
          `Prometheus facts: ${
            settings.instances.length
          } instance(s), Alertmanager ${
            settings.alertmanager ? 'configured' : 'not configured'
          }`,
        );
        facts.addFactProvider({
          id: 'prometheus',
          facts: PROMETHEUS_FACTS,
          // Collection from the Prometheus API, Alertmanager and rule files is
          // not built yet: the provider declares its facts and returns none,
          // so the checks that need them stay `unknown`.
          async collect() {
            return { facts: new Map() };
          },
        });
      },
    });
  },
});
