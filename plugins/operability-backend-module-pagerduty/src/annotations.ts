import { ANNOTATIONS } from '@opsready/plugin-operability-common';
import type { OnCallProvider } from '@opsready/plugin-operability-node';
import type { PagerDutyService } from './client/PagerDutyClient';

type Entity = Parameters<OnCallProvider['covers']>[0];

/**
 * The PagerDuty plugin's annotations, read as it reads them: the service by
 * id or by the integration key of one of its integrations, and the account
 * (of `pagerDuty.accounts`) whose credentials reach it.
 */
export const PAGERDUTY_ANNOTATIONS = {
  serviceId: ANNOTATIONS.pagerDutyServiceId,
  integrationKey: 'pagerduty.com/integration-key',
  account: 'pagerduty.com/account',
} as const;

/** Which PagerDuty service an entity names: by id (preferred) or integration key. */
export type PagerDutyTarget =
  | { serviceId: string; integrationKey?: undefined }
  | { serviceId?: undefined; integrationKey: string };

function annotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key]?.trim();
  return value ? value : undefined;
}

export function targetOf(entity: Entity): PagerDutyTarget | undefined {
  const serviceId = annotation(entity, PAGERDUTY_ANNOTATIONS.serviceId);
  if (serviceId) return { serviceId };
  const integrationKey = annotation(
    entity,
    PAGERDUTY_ANNOTATIONS.integrationKey,
  );
  return integrationKey ? { integrationKey } : undefined;
}

/** The account an entity names, if any (else the default account). */
export function accountOf(entity: Entity): string | undefined {
  return annotation(entity, PAGERDUTY_ANNOTATIONS.account);
}

/** The services list, by id and by integration key. */
export interface ServiceIndex {
  byId: Map<string, PagerDutyService>;
  byIntegrationKey: Map<string, PagerDutyService>;
}

export function indexServices(list: PagerDutyService[]): ServiceIndex {
  const byIntegrationKey = new Map<string, PagerDutyService>();
  for (const service of list) {
    for (const key of service.integrationKeys ?? []) {
      byIntegrationKey.set(key, service);
    }
  }
  return { byId: new Map(list.map(s => [s.id, s])), byIntegrationKey };
}

export function serviceFor(
  target: PagerDutyTarget,
  services: ServiceIndex,
): PagerDutyService | undefined {
  return target.serviceId !== undefined
    ? services.byId.get(target.serviceId)
    : services.byIntegrationKey.get(target.integrationKey);
}

/**
 * How a target is named in messages. An integration key lets anyone raise
 * incidents on the service: only its last four characters are shown.
 */
export function describeTarget(target: PagerDutyTarget): string {
  return target.serviceId !== undefined
    ? `service ${target.serviceId}`
    : `integration key …${target.integrationKey.slice(-4)}`;
}
