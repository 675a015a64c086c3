import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  type OnCallProvider,
  operabilityOnCallProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
  type PageSource,
} from '@opsready/plugin-operability-node';
import {
  PagerDutyAccountsOnCallProvider,
  PagerDutyAccountsPageSource,
} from './accounts';
import { PagerDutyClient } from './client/PagerDutyClient';
import { readPagerDutyModuleConfig } from './config';
import { PagerDutyOnCallProvider } from './PagerDutyOnCallProvider';
import { PagerDutyPageSource } from './PagerDutyPageSource';

/**
 * On-call from PagerDuty for entities annotated with `pagerduty.com/service-id`
 * or `pagerduty.com/integration-key` (and `pagerduty.com/account` where there
 * are several accounts), with `operability.pagerduty` or the PagerDuty
 * plugin's own `pagerDuty` config.
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
            'PagerDuty on-call is off: neither operability.pagerduty nor pagerDuty is configured',
          );
          return;
        }
        const providers = new Map<string, OnCallProvider>();
        const sources = new Map<string, PageSource>();
        for (const account of settings.accounts) {
          const client = new PagerDutyClient({
            ...(account.auth.type === 'token'
              ? { token: account.auth.token }
              : { oauth: account.auth }),
            credentialsConfigPath: account.configPath,
            baseUrl: account.baseUrl,
            requestTimeoutMs: settings.requestTimeoutMs,
            maxRetryWaitMs: settings.maxRetryWaitMs,
          });
          providers.set(
            account.id,
            new PagerDutyOnCallProvider({
              client,
              logger,
              cacheTtlMs: settings.cacheTtlMs,
              servicesCacheTtlMs: settings.servicesCacheTtlMs,
            }),
          );
          // Incidents are pages, attributed from PagerDuty's on-call history.
          sources.set(account.id, new PagerDutyPageSource(client));
        }
        const single = settings.accounts.length === 1;
        onCall.addOnCallProvider(
          single
            ? providers.values().next().value!
            : new PagerDutyAccountsOnCallProvider(providers),
        );
        pages.addPageSource(
          single
            ? sources.values().next().value!
            : new PagerDutyAccountsPageSource(sources),
        );
        logger.info(
          `PagerDuty on-call and pages are on: ${settings.accounts
            .map(
              a =>
                `${a.id === 'default' ? '' : `${a.id}: `}${a.baseUrl} (${
                  a.configPath
                })`,
            )
            .join(', ')}`,
        );
      },
    });
  },
});
