import { existsSync } from 'fs';
import { resolve } from 'path';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import {
  operabilityFactProvidersExtensionPoint,
  operabilityPageSourcesExtensionPoint,
} from '@opsready/plugin-operability-node';
import {
  AlertmanagerClient,
  readAlertmanagerConfigFile,
} from './clients/AlertmanagerClient';
import { PrometheusClient } from './clients/PrometheusClient';
import { readPrometheusModuleConfig } from './config';
import {
  AlertmanagerConfigSource,
  AlertmanagerFactProvider,
} from './providers/AlertmanagerFactProvider';
import { AlertRulesFactProvider } from './providers/AlertRulesFactProvider';
import { PrometheusPageSource } from './pages/PrometheusPageSource';
import { PrometheusFactProvider } from './providers/PrometheusFactProvider';
import { AlertRuleCollector } from './rules/AlertRuleCollector';
import { RuleFileReader } from './rules/RuleFileReader';
import { GoldenSignalMatcher } from './signals/goldenSignals';

/**
 * Facts from Prometheus, Alertmanager and rule files for the operability
 * plugin, as three fact providers so that one source's failure does not take
 * the others down: `prometheus` (scrape targets, golden signals,
 * target_info), `alert-rules` (alerting rules that select each service) and
 * `alertmanager` (where those alerts are routed, and whether they page).
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
        urlReader: coreServices.urlReader,
        facts: operabilityFactProvidersExtensionPoint,
        pages: operabilityPageSourcesExtensionPoint,
      },
      async init({ config, logger, urlReader, facts, pages }) {
        const settings = readPrometheusModuleConfig(config);
        const clients = settings.instances.map(
          instance =>
            new PrometheusClient({
              name: instance.name,
              url: instance.url,
              headers: instance.headers,
              timeoutMs: settings.requestTimeoutMs,
            }),
        );
        const collector = new AlertRuleCollector({
          clients,
          fileReader: new RuleFileReader({
            urlReader,
            integrations: ScmIntegrations.fromConfig(config),
            timeoutMs: settings.requestTimeoutMs,
          }),
          logger,
        });

        const am = settings.alertmanager;
        let amSource: AlertmanagerConfigSource | undefined;
        if (am?.url) {
          const client = new AlertmanagerClient({
            url: am.url,
            headers: am.headers,
            timeoutMs: am.requestTimeoutMs,
          });
          amSource = {
            description: client.displayUrl,
            load: () => client.getConfig(),
          };
          if (am.configFile) {
            logger.info(
              `operability.alertmanager.configFile is not read: operability.alertmanager.url is set and wins`,
            );
          }
        } else if (am?.configFile) {
          const path = resolve(am.configFile);
          amSource = {
            description: path,
            load: () => readAlertmanagerConfigFile(path),
          };
          if (!existsSync(path)) {
            logger.warn(
              `operability.alertmanager.configFile: ${path} does not exist (relative paths are relative to ${process.cwd()}); the alertmanager facts will fail until it does`,
            );
          }
        }

        facts.addFactProvider(
          new PrometheusFactProvider({
            clients,
            signals: new GoldenSignalMatcher(settings.goldenSignals),
            maxQueryLength: settings.maxQueryLength,
          }),
          new AlertRulesFactProvider(collector),
          new AlertmanagerFactProvider({
            config: amSource,
            collector,
            pagingReceivers: am?.pagingReceivers ?? [],
            pagerDutyServices: am?.pagerDutyServices ?? {},
            logger,
          }),
        );
        // Pages: firing episodes of alerts that page, from Prometheus's
        // ALERTS history, when there is a Prometheus and a routing tree.
        if (clients.length > 0 && amSource) {
          pages.addPageSource(
            new PrometheusPageSource({
              clients,
              collector,
              alertmanager: amSource,
              pagingReceivers: am?.pagingReceivers ?? [],
              maxQueryLength: settings.maxQueryLength,
            }),
          );
        }
        logger.info(
          `Prometheus facts: ${clients.length} Prometheus instance(s)${
            clients.length ? ` (${clients.map(c => c.name).join(', ')})` : ''
          }, rule files from operability.io/alert-rules, Alertmanager ${
            amSource ? amSource.description : 'not configured'
          }`,
        );
      },
    });
  },
});
