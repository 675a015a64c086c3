import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  operabilityOnCallProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
} from '@opsready/plugin-operability-node';
import { PagerDutyClient } from './client/PagerDutyClient';
import { readPagerDutyModuleConfig } from './config';
import { PagerDutyOnCallProvider } from './PagerDutyOnCallProvider';
import { PagerDutyPageSource } from './PagerDutyPageSource';

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
        pages: operabilityPageSourcesExtensionPoint,
      },
      async init({ config, logger, onCall, pages }) {
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
        // Incidents are pages, attributed from PagerDuty's on-call history.
        pages.addPageSource(new PagerDutyPageSource(client));
        logger.info(`PagerDuty on-call and pages are on: ${settings.baseUrl}`);
      },
    });
  },
});
