import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ANNOTATIONS } from '@opsready/plugin-operability-common';
import { operabilityOnCallProvidersExtensionPoint } from '@opsready/plugin-operability-node';
import { readPagerDutyModuleConfig } from './config';

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
        onCall.addOnCallProvider({
          id: 'pagerduty',
          covers: entity =>
            Boolean(
              entity.metadata.annotations?.[ANNOTATIONS.pagerDutyServiceId],
            ),
          // The PagerDuty API client is not built yet: covered entities answer
          // `unknown` with the reason rather than a made-up rotation.
          async getOnCall({ entities }) {
            const asOf = new Date().toISOString();
            return new Map(
              entities.map(entity => [
                `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
                  entity.metadata.name
                }`.toLocaleLowerCase('en-US'),
                {
                  source: 'pagerduty' as const,
                  primary: null,
                  secondary: null,
                  until: null,
                  status: 'unknown' as const,
                  reason: 'PagerDuty on-call lookup is not available yet',
                  asOf,
                },
              ]),
            );
          },
        });
      },
    });
  },
});
