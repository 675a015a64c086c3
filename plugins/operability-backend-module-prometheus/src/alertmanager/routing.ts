import type { AlertmanagerConfig, Receiver, RouteNode } from './config';
import { matcherMatches } from './matchers';

/**
 * The routes an alert with these labels ends at, exactly as Alertmanager's
 * dispatcher (`dispatch.Route.Match`) decides: a node matches when all its
 * matchers hold (a missing label is the empty string); its children are tried
 * in order, each matching child contributing its own deepest matches, and the
 * search stops at the first matching child without `continue`; a matching
 * node none of whose children match is itself the result. The root always
 * matches, so every alert reaches at least one route (the default route).
 */
export function matchRoutes(
  node: RouteNode,
  labels: Record<string, string>,
): RouteNode[] {
  for (const m of node.matchers) {
    if (!matcherMatches(m, labels[m.name])) return [];
  }
  const all: RouteNode[] = [];
  for (const child of node.routes) {
    const matches = matchRoutes(child, labels);
    all.push(...matches);
    if (matches.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [node];
}

/** The label names any matcher of the tree looks at: routing depends on these only. */
export function routingLabelNames(
  node: RouteNode,
  into = new Set<string>(),
): string[] {
  for (const m of node.matchers) into.add(m.name);
  for (const child of node.routes) routingLabelNames(child, into);
  return [...into].sort();
}

/**
 * A route matcher that remembers its answers per combination of the values
 * of the labels the tree looks at (many alerts share them: same team, same
 * severity).
 */
export function memoizedRouter(
  route: RouteNode,
): (labels: Record<string, string>) => RouteNode[] {
  const names = routingLabelNames(route);
  const memo = new Map<string, RouteNode[]>();
  return labels => {
    const key = names.map(n => labels[n] ?? '').join('\u0000');
    let routes = memo.get(key);
    if (!routes) {
      routes = matchRoutes(route, labels);
      memo.set(key, routes);
    }
    return routes;
  };
}

/** The receiver names for these labels, in order and with repeats, as `amtool config routes test` prints them. */
export function resolveReceivers(
  config: AlertmanagerConfig,
  labels: Record<string, string>,
): string[] {
  return matchRoutes(config.route, labels).map(r => r.receiver);
}

/** Why a receiver pages somebody, or undefined when it does not. */
export function pagingReason(
  receiver: Receiver | undefined,
  pagingReceivers: ReadonlySet<string>,
): string | undefined {
  if (!receiver) return undefined;
  if (receiver.pagerDutyConfigs > 0) return 'pagerduty_configs';
  if (receiver.opsgenieConfigs > 0) return 'opsgenie_configs';
  if (pagingReceivers.has(receiver.name))
    return 'listed in operability.alertmanager.pagingReceivers';
  return undefined;
}

/**
 * Whether a receiver reaches a given PagerDuty service, when that is known.
 * `pagerDutyServices` (config `operability.alertmanager.pagerDutyServices`)
 * maps receiver names to PagerDuty service ids: a mapped receiver reaches
 * the service when the ids are equal. A receiver that is not mapped and has
 * no `pagerduty_configs` does not reach it; an unmapped PagerDuty receiver is
 * unknown (undefined), because Alertmanager masks routing keys as
 * `<secret>` and the key-to-service link lives in PagerDuty.
 */
export function reachesPagerDutyService(
  receiver: Receiver | undefined,
  serviceId: string,
  pagerDutyServices: ReadonlyMap<string, string>,
): boolean | undefined {
  if (!receiver) return undefined;
  const mapped = pagerDutyServices.get(receiver.name);
  if (mapped !== undefined) return mapped === serviceId;
  if (receiver.pagerDutyConfigs === 0) return false;
  return undefined;
}
