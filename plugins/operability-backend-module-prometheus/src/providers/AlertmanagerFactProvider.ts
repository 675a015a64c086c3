import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ALERTING_FACTS,
  AlertRoutesFact,
  FactBatch,
  FactProvider,
  FactValue,
} from '@opsready/plugin-operability-node';
import type { AlertmanagerConfig } from '../alertmanager/config';
import {
  memoizedRouter,
  pagingReason,
  reachesPagerDutyService,
} from '../alertmanager/routing';
import { ALERT_ROUTE_FACT_DEFINITIONS } from '../facts';
import type {
  AlertRuleCollector,
  RuleCollection,
} from '../rules/AlertRuleCollector';

/** Where the Alertmanager configuration comes from. */
export interface AlertmanagerConfigSource {
  /** Shown as the source of facts: the Alertmanager URL or the file path. */
  readonly description: string;
  load(): Promise<AlertmanagerConfig>;
}

interface RouteAcc {
  name: string;
  pages: boolean;
  pagesBecause?: string;
  routePath: string;
  reachesPagerDutyService?: boolean;
  alerts: string[];
}

/**
 * The `alertmanager` provider: for each severity that a service's alerts
 * carry, the receivers Alertmanager's routing tree sends them to, computed
 * with Alertmanager's own matching rules on the labels each alert will have
 * (the rule's labels, the service's identifying label, and `alertname`), and
 * whether each receiver pages. Alerts without a severity label are not
 * routed here (there is no severity to file them under).
 *
 * The configuration comes from Alertmanager's API or a file; when it fails
 * the provider throws. The rules come from the shared collector; when the
 * rules' source fails in this cycle the last good rules are used (routing
 * depends on the Alertmanager configuration, which did not fail), and with
 * none yet the provider throws.
 */
export class AlertmanagerFactProvider implements FactProvider {
  readonly id = 'alertmanager';
  readonly facts = ALERT_ROUTE_FACT_DEFINITIONS;

  constructor(
    private readonly options: {
      config?: AlertmanagerConfigSource;
      collector: AlertRuleCollector;
      pagingReceivers: string[];
      pagerDutyServices: Record<string, string>;
      logger?: LoggerService;
    },
  ) {}

  private async rules(entities: Entity[]): Promise<RuleCollection> {
    const { collector, logger } = this.options;
    try {
      return await collector.collect(entities);
    } catch (error) {
      if (collector.lastGood) {
        logger?.warn(
          `Alert routes use the last good alert rules (${
            collector.lastGood.collectedAt
          }): ${(error as Error).message}`,
        );
        return collector.lastGood;
      }
      throw new Error(
        `Alert routes need the services' alert rules, which are unavailable: ${
          (error as Error).message
        }`,
      );
    }
  }

  async collect({ entities }: { entities: Entity[] }): Promise<FactBatch> {
    const source = this.options.config;
    if (!source) return { facts: new Map() };
    const [config, collection] = await Promise.all([
      source.load(),
      this.rules(entities),
    ]);
    const paging = new Set(this.options.pagingReceivers);
    const pdServices = new Map(Object.entries(this.options.pagerDutyServices));
    const collectedAt = new Date().toISOString();
    const route = memoizedRouter(config.route);
    const facts = new Map<string, FactValue[]>();
    const errors = new Map<string, string>();
    for (const [ref, reason] of collection.errors) errors.set(ref, reason);

    for (const [ref, rules] of collection.rules) {
      const service = collection.services.get(ref);
      const bySeverity = new Map<string, Map<string, RouteAcc>>();
      for (const r of rules) {
        const severity = r.rule.labels.severity;
        if (!severity) continue;
        const labels: Record<string, string> = {
          ...(service?.identity
            ? { [service.identity.label]: service.identity.value }
            : {}),
          ...r.rule.labels,
          alertname: r.rule.alert,
        };
        let routes = bySeverity.get(severity);
        if (!routes) bySeverity.set(severity, (routes = new Map()));
        for (const node of route(labels)) {
          const key = `${node.receiver}\u0000${node.path}`;
          let acc = routes.get(key);
          if (!acc) {
            const receiver = config.receivers.get(node.receiver);
            const because = pagingReason(receiver, paging);
            acc = {
              name: node.receiver,
              pages: because !== undefined,
              pagesBecause: because,
              routePath: node.path,
              alerts: [],
            };
            if (service?.pagerDutyServiceId) {
              const reaches = reachesPagerDutyService(
                receiver,
                service.pagerDutyServiceId,
                pdServices,
              );
              if (reaches !== undefined) acc.reachesPagerDutyService = reaches;
            }
            routes.set(key, acc);
          }
          acc.alerts.push(r.rule.alert);
        }
      }
      const value: AlertRoutesFact = {};
      const evidence: FactValue['evidence'] = [];
      for (const [severity, routes] of bySeverity) {
        value[severity] = {
          receivers: [...routes.values()].map(a => ({
            name: a.name,
            pages: a.pages,
            routePath: a.routePath,
            ...(a.reachesPagerDutyService !== undefined
              ? { reachesPagerDutyService: a.reachesPagerDutyService }
              : {}),
          })),
        };
        for (const a of routes.values()) {
          const shown = a.alerts.slice(0, 3).join(', ');
          const more =
            a.alerts.length > 3 ? ` and ${a.alerts.length - 3} more` : '';
          let pd = '';
          if (a.reachesPagerDutyService !== undefined) {
            pd = `; ${
              a.reachesPagerDutyService ? 'reaches' : 'does not reach'
            } PagerDuty service ${service?.pagerDutyServiceId}`;
          }
          evidence.push({
            kind: 'route',
            text: `${severity}: ${shown}${more} → ${a.routePath} → ${a.name} (${
              a.pages ? `pages: ${a.pagesBecause}` : 'does not page'
            }${pd})`,
            source: a.name,
          });
        }
      }
      if (evidence.length === 0) {
        evidence.push({
          kind: 'route',
          text: 'no alert of the service has a severity label to route',
          source: source.description,
        });
      }
      facts.set(ref, [
        {
          name: ALERTING_FACTS.routes,
          value,
          source: source.description,
          collectedAt,
          evidence,
        },
      ]);
    }
    return errors.size > 0 ? { facts, errors } : { facts };
  }
}
