import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { operabilityOnCallProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import { PagerDutyClient } from './client/PagerDutyClient';
import { readPagerDutyModuleConfig } from './config';
import { PagerDutyOnCallProvider } from './PagerDutyOnCallProvider';

/**
 * On-call from PagerDuty for entities annotated with `pagerduty.com/service-id`.
 *
 * @public
 */
export const operabilityModulePagerDuty = createBackendModule({
  pluginId: 'operability',
  moduleId: 'pagerduty',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        onCall: operabilityOnCallProvidersExtensionPoint,
      },
      async init({ config, logger, onCall }) {
        const settings = readPagerDutyModuleConfig(config);
        if (!settings) {
          logger.info(
            'PagerDuty on-call is off: operability.pagerduty is not configured',
          );
          return;
        }
        const client = new PagerDutyClient({
          token: settings.token,
          baseUrl: settings.baseUrl,
          requestTimeoutMs: settings.requestTimeoutMs,
          maxRetryWaitMs: settings.maxRetryWaitMs,
        });
        onCall.addOnCallProvider(
          new PagerDutyOnCallProvider({
            client,
            logger,
            cacheTtlMs: settings.cacheTtlMs,
            servicesCacheTtlMs: settings.servicesCacheTtlMs,
          }),
        );
        logger.info(`PagerDuty on-call is on: ${settings.baseUrl}`);
      },
    });
  },
});
