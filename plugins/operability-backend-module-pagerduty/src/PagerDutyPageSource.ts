import {
  entityRefOf,
  type EntityRef,
} from '@opsready/plugin-operability-common';
import type {
  CollectedPage,
  PageBatch,
  PageSource,
  PrimaryTurn,
} from '@opsready/plugin-operability-node';
import type {
  PagerDutyApi,
  PagerDutyOnCallEntry,
} from './client/PagerDutyClient';
import { personOf } from './PagerDutyOnCallProvider';
import {
  describeTarget,
  indexServices,
  serviceFor,
  targetOf,
  type PagerDutyTarget,
} from './annotations';

type Entity = Parameters<PageSource['covers']>[0];

/**
 * The primary turns of one escalation policy over [since, until) from
 * PagerDuty's on-call history: its level-1 entries, in order of start; an
 * entry without a start or end (a user named directly) holds the whole
 * window. Where level-1 entries overlap (several schedules on the level),
 * the one that started first holds until it ends.
 */
export function primaryTurns(
  entries: PagerDutyOnCallEntry[],
  since: Date,
  until: Date,
): PrimaryTurn[] {
  const clip = (t: string | null, fallback: Date) => {
    const ms = t === null ? NaN : Date.parse(t);
    return Number.isNaN(ms) ? fallback.getTime() : ms;
  };
  const level1 = entries
    .filter(e => e.escalation_level === 1)
    .map(e => ({
      start: Math.max(clip(e.start, since), since.getTime()),
      end: Math.min(clip(e.end, until), until.getTime()),
      user: e.user,
    }))
    .filter(e => e.end > e.start)
    .sort((a, b) => a.start - b.start || a.user.id.localeCompare(b.user.id));
  const turns: PrimaryTurn[] = [];
  let cursor = -Infinity;
  for (const e of level1) {
    const start = Math.max(e.start, cursor);
    if (e.end <= start) continue;
    turns.push({
      start: new Date(start).toISOString(),
      end: new Date(e.end).toISOString(),
      primary: personOf(e.user),
    });
    cursor = e.end;
  }
  return turns;
}

/**
 * Pages from PagerDuty for entities annotated with
 * `pagerduty.com/service-id`: the incidents of their services
 * (`GET /incidents?service_ids[]&since&until`, paged, 100 services a
 * request), with the first acknowledgement and the resolution for MTTA and
 * MTTR. Who was primary comes from PagerDuty's own on-call history
 * (`GET /oncalls?escalation_policy_ids[]&since&until`, level 1 of each
 * service's escalation policy), so a PagerDuty service needs no Schedule in
 * the catalog; a service without an escalation policy is left to its
 * Schedule. An annotation naming a service PagerDuty does not have is an
 * error for that entity; any failed request fails the collection.
 */
export class PagerDutyPageSource implements PageSource {
  readonly id = 'pagerduty';

  constructor(
    private readonly client: Pick<
      PagerDutyApi,
      'listServices' | 'listOnCalls' | 'listIncidents'
    >,
  ) {}

  covers(entity: Entity): boolean {
    return targetOf(entity) !== undefined;
  }

  async collect(request: {
    entities: Entity[];
    since: Date;
    until: Date;
  }): Promise<PageBatch> {
    const { since, until } = request;
    const targets = request.entities.flatMap(entity => {
      const target = targetOf(entity);
      return target ? [{ ref: entityRefOf(entity), target }] : [];
    });
    if (targets.length === 0) return { pages: [] };
    if (!this.client.listIncidents) {
      throw new Error('this PagerDuty client cannot list incidents');
    }
    const index = indexServices(await this.client.listServices());
    const services = index.byId;
    const errors = new Map<EntityRef, string>();
    // Entities by the id of the service they name (by id or integration key).
    const refsByService = new Map<string, EntityRef[]>();
    for (const { ref, target } of targets) {
      const service = serviceFor(target as PagerDutyTarget, index);
      if (!service) {
        errors.set(ref, `PagerDuty has no ${describeTarget(target)}`);
        continue;
      }
      const refs = refsByService.get(service.id);
      if (refs) refs.push(ref);
      else refsByService.set(service.id, [ref]);
    }
    const known = [...refsByService.keys()];
    const policies = new Map<string, string>();
    for (const id of known) {
      const policy = services.get(id)?.escalationPolicy?.id;
      if (policy) policies.set(id, policy);
    }
    const [incidents, entries] = await Promise.all([
      known.length > 0
        ? this.client.listIncidents({ serviceIds: known, since, until })
        : [],
      policies.size > 0
        ? this.client.listOnCalls({
            escalationPolicyIds: [...new Set(policies.values())],
            since,
            until,
            earliest: false,
          })
        : [],
    ]);
    const pages: CollectedPage[] = [];
    for (const incident of incidents) {
      for (const entityRef of refsByService.get(incident.serviceId) ?? []) {
        pages.push({
          id: incident.id,
          entityRef,
          at: incident.createdAt,
          title: incident.number
            ? `#${incident.number} ${incident.title}`
            : incident.title,
          ...(incident.acknowledgedAt
            ? { acknowledgedAt: incident.acknowledgedAt }
            : {}),
          ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
          ...(incident.htmlUrl ? { url: incident.htmlUrl } : {}),
        });
      }
    }
    const byPolicy = new Map<string, PagerDutyOnCallEntry[]>();
    for (const entry of entries) {
      const list = byPolicy.get(entry.escalation_policy.id);
      if (list) list.push(entry);
      else byPolicy.set(entry.escalation_policy.id, [entry]);
    }
    const turns = new Map<EntityRef, PrimaryTurn[]>();
    const turnsOfPolicy = new Map<string, PrimaryTurn[]>();
    for (const [serviceId, policy] of policies) {
      let list = turnsOfPolicy.get(policy);
      if (!list) {
        list = primaryTurns(byPolicy.get(policy) ?? [], since, until);
        turnsOfPolicy.set(policy, list);
      }
      for (const ref of refsByService.get(serviceId) ?? []) {
        turns.set(ref, list);
      }
    }
    return {
      pages,
      turns,
      ...(errors.size > 0 ? { errors } : {}),
    };
  }
}
