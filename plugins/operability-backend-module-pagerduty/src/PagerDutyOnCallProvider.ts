import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type EntityRef,
  entityRefOf,
  type OnCall,
  type Person,
} from '@opsready/plugin-operability-common';
import type {
  OnCallProvider,
  OnCallRotation,
} from '@opsready/plugin-operability-node';
import {
  PagerDutyError,
  type PagerDutyApi,
  type PagerDutyOnCallEntry,
  type PagerDutySchedule,
  type PagerDutyService,
  type PagerDutyUser,
} from './client/PagerDutyClient';
import {
  describeTarget,
  indexServices,
  type PagerDutyTarget,
  serviceFor,
  type ServiceIndex,
  targetOf,
} from './annotations';

type Entity = Parameters<OnCallProvider['covers']>[0];

/** Options of {@link PagerDutyOnCallProvider}. */
export interface PagerDutyOnCallProviderOptions {
  client: PagerDutyApi;
  logger: LoggerService;
  /** How long a "now" answer per escalation policy is reused. Default 1 min. */
  cacheTtlMs?: number;
  /**
   * How long the services list (service → escalation policy), schedules and
   * the users list (for rotations) are reused. Default 10 min.
   */
  servicesCacheTtlMs?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/** The answer for one escalation policy, without the entity-specific fields. */
type PolicyAnswer = Pick<
  OnCall,
  'primary' | 'secondary' | 'until' | 'status' | 'reason' | 'asOf' | 'links'
>;

/** The services list as kept: indexed, with when it was read. */
type Services = ServiceIndex & { fetchedAt: Date };

/** PagerDuty's web pages of an entity's service, escalation policy and schedule. */
function linksOf(
  service: PagerDutyService,
  answer: PolicyAnswer,
): OnCall['links'] {
  const links = {
    ...(service.htmlUrl ? { service: service.htmlUrl } : {}),
    ...(service.escalationPolicy?.html_url
      ? { escalationPolicy: service.escalationPolicy.html_url }
      : {}),
    ...answer.links,
  };
  return Object.keys(links).length > 0 ? links : undefined;
}

/** Schedules read at the same time for rotations. */
const SCHEDULES_AT_ONCE = 4;

/** An `at` within this distance of the clock is "now": cached, and asked without since/until. */
const NOW_TOLERANCE_MS = 60_000;

/**
 * How a PagerDuty user becomes a {@link Person}.
 *
 * PagerDuty users are not catalog entities. With an email, the ref guesses the
 * catalog user named like the email's local part (lower-case, any character
 * outside `[a-z0-9._-]` replaced by `-`): `Alice.Adams@acme.com` becomes
 * `user:default/alice.adams`. Without an email the ref is
 * `pagerduty-user:<PagerDuty user id>`, which names no catalog entity.
 */
export function personOf(user: PagerDutyUser): Person {
  const title = user.name ?? user.summary;
  const email = user.email?.trim();
  if (email && email.includes('@')) {
    const localPart = email
      .slice(0, email.lastIndexOf('@'))
      .toLocaleLowerCase('en-US')
      .replace(/[^a-z0-9._-]/g, '-');
    if (localPart) {
      return {
        ref: `user:default/${localPart}`,
        ...(title ? { title } : {}),
        email,
      };
    }
  }
  return {
    ref: `pagerduty-user:${user.id}`,
    ...(user.summary ?? user.name ? { title: user.summary ?? user.name } : {}),
  };
}

const startMs = (entry: PagerDutyOnCallEntry) =>
  entry.start === null ? -Infinity : Date.parse(entry.start);

/** Of several entries on one level, the one that started first (null start = always on). */
function pick(
  entries: PagerDutyOnCallEntry[],
): PagerDutyOnCallEntry | undefined {
  return [...entries].sort((a, b) => {
    const d = startMs(a) - startMs(b);
    return d !== 0 && !Number.isNaN(d) ? d : a.user.id.localeCompare(b.user.id);
  })[0];
}

function covering(entry: PagerDutyOnCallEntry, at: Date): boolean {
  const t = at.getTime();
  const start = entry.start === null ? -Infinity : Date.parse(entry.start);
  const end = entry.end === null ? Infinity : Date.parse(entry.end);
  // Unparseable times are kept rather than dropped: PagerDuty chose them.
  return !(start > t) && !(end <= t);
}

/** A turn in seconds as an ISO 8601 duration, in the largest whole unit. */
export function turnDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `P${seconds / 86_400}D`;
  if (seconds % 3_600 === 0) return `PT${seconds / 3_600}H`;
  return `PT${seconds}S`;
}

/**
 * The rotation of a policy's first level from its schedules: everyone in the
 * layers that have not ended, and the turn of the base layer (the last one
 * PagerDuty lists: layers come highest priority first).
 */
export function rotationOf(
  schedules: PagerDutySchedule[],
  usersById: Map<string, PagerDutyUser>,
  now: Date,
): OnCallRotation | undefined {
  const members = new Map<string, Person>();
  let turn: string | undefined;
  for (const schedule of schedules) {
    const active = schedule.layers.filter(
      layer => layer.end === null || !(Date.parse(layer.end) <= now.getTime()),
    );
    for (const layer of active) {
      for (const user of layer.users) {
        if (!members.has(user.id)) {
          members.set(user.id, personOf(usersById.get(user.id) ?? user));
        }
      }
    }
    const base = active[active.length - 1];
    if (!turn && base?.rotationTurnLengthSeconds) {
      turn = turnDuration(base.rotationTurnLengthSeconds);
    }
  }
  if (members.size === 0) return undefined;
  return {
    members: [...members.values()],
    ...(turn ? { turn } : {}),
    source: `pagerduty:schedule/${schedules.map(s => s.id).join(',')}`,
  };
}

/** An answer that says on-call is not known, and why. */
function unknownAnswer(reason: string, asOf: string): OnCall {
  return {
    source: 'pagerduty',
    primary: null,
    secondary: null,
    shadows: [], // PagerDuty has no shadows
    until: null,
    status: 'unknown',
    reason,
    asOf,
  };
}

/** An answer without its source, as kept per escalation policy. */
function policyPart({ source: _source, ...rest }: OnCall): PolicyAnswer {
  return rest;
}

function policyLabel(policyId: string, service?: PagerDutyService): string {
  const name = service?.escalationPolicy?.summary;
  return name ? `${name} (${policyId})` : policyId;
}

function reasonOf(error: unknown): string {
  if (error instanceof PagerDutyError) {
    return error.message;
  }
  const message = (error as { message?: unknown } | undefined)?.message;
  return `PagerDuty on-call lookup failed: ${
    typeof message === 'string' ? message : String(error)
  }`;
}

/**
 * On-call from PagerDuty for entities annotated with `pagerduty.com/service-id`
 * (or `pagerduty.com/integration-key`, resolved through the services list).
 *
 * Each call resolves the entities' services to escalation policies (services
 * list cached), then asks `/oncalls` once for all policies not answered from
 * the cache. Level 1 is the primary, level 2 the secondary. A source failure
 * gives `status: 'unknown'` with the reason and the last good answer of the
 * policy (with the `asOf` of when it was obtained), never a throw.
 */
export class PagerDutyOnCallProvider implements OnCallProvider {
  readonly id = 'pagerduty';

  private readonly client: PagerDutyApi;
  private readonly logger: LoggerService;
  private readonly cacheTtlMs: number;
  private readonly servicesCacheTtlMs: number;
  private readonly now: () => Date;

  private services?: Services;
  private servicesInFlight?: Promise<Services>;
  /** Last good "now" answer per escalation policy; fresh ones double as the cache. */
  private readonly lastGood = new Map<string, PolicyAnswer>();
  /** The schedules of each policy's first level, as `/oncalls` last named them. */
  private readonly primarySchedules = new Map<string, string[]>();
  /** Schedules read for rotations, each with when it was read. */
  private readonly schedules = new Map<
    string,
    { schedule: PagerDutySchedule; fetchedAt: number }
  >();
  private users?: { byId: Map<string, PagerDutyUser>; fetchedAt: number };

  constructor(options: PagerDutyOnCallProviderOptions) {
    this.client = options.client;
    this.logger = options.logger;
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
    this.servicesCacheTtlMs = options.servicesCacheTtlMs ?? 10 * 60_000;
    this.now = options.now ?? (() => new Date());
  }

  covers(entity: Entity): boolean {
    return Boolean(targetOf(entity));
  }

  async getOnCall(request: {
    entities: Entity[];
    at: Date;
  }): Promise<Map<EntityRef, OnCall>> {
    const answers = new Map<EntityRef, OnCall>();
    const failures = new Set<string>();
    try {
      await this.answer(request, answers, failures);
    } catch (error) {
      // Not expected (the steps catch source failures); still, never throw.
      const reason = reasonOf(error);
      failures.add(reason);
      const asOf = this.now().toISOString();
      for (const entity of request.entities) {
        if (!this.covers(entity)) continue;
        const ref = entityRefOf(entity);
        if (!answers.has(ref)) answers.set(ref, unknownAnswer(reason, asOf));
      }
    }
    if (failures.size > 0) {
      const affected = [...answers.values()].filter(
        a => a.status === 'unknown',
      ).length;
      this.logger.warn(
        `PagerDuty on-call lookup failed (${affected} of ${
          answers.size
        } entities unknown): ${[...failures].join('; ')}`,
      );
    }
    return answers;
  }

  private async answer(
    { entities, at }: { entities: Entity[]; at: Date },
    answers: Map<EntityRef, OnCall>,
    failures: Set<string>,
  ): Promise<void> {
    const wanted = entities.flatMap(entity => {
      const target = targetOf(entity);
      return target ? [{ ref: entityRefOf(entity), target }] : [];
    });
    if (wanted.length === 0) return;

    // 1. service → escalation policy
    let services: Services;
    try {
      services = await this.getServices(wanted.map(w => w.target));
    } catch (error) {
      const reason = reasonOf(error);
      failures.add(reason);
      if (!this.services) {
        const asOf = this.now().toISOString();
        for (const w of wanted) answers.set(w.ref, unknownAnswer(reason, asOf));
        return;
      }
      // An older list still maps services to policies well enough.
      services = this.services;
    }

    const policyOf = new Map<EntityRef, string>();
    const serviceOf = new Map<EntityRef, PagerDutyService>();
    for (const w of wanted) {
      const service = serviceFor(w.target, services);
      const asOf = services.fetchedAt.toISOString();
      if (!service) {
        answers.set(
          w.ref,
          unknownAnswer(
            w.target.serviceId !== undefined
              ? `PagerDuty service ${w.target.serviceId} not found`
              : `No PagerDuty service has the ${describeTarget(w.target)}`,
            asOf,
          ),
        );
      } else if (!service.escalationPolicy) {
        answers.set(
          w.ref,
          unknownAnswer(
            `PagerDuty service ${service.id} has no escalation policy`,
            asOf,
          ),
        );
      } else {
        policyOf.set(w.ref, service.escalationPolicy.id);
        serviceOf.set(w.ref, service);
      }
    }

    // 2. one batched /oncalls call for the policies the cache cannot answer
    const nowMs = this.now().getTime();
    const isNow = Math.abs(at.getTime() - nowMs) <= NOW_TOLERANCE_MS;
    const policyIds = [...new Set(policyOf.values())];
    const byPolicy = new Map<string, PolicyAnswer>();
    const toFetch: string[] = [];
    for (const policyId of policyIds) {
      const cached = this.lastGood.get(policyId);
      if (
        isNow &&
        cached &&
        nowMs - Date.parse(cached.asOf) < this.cacheTtlMs
      ) {
        byPolicy.set(policyId, cached);
      } else {
        toFetch.push(policyId);
      }
    }

    const serviceOfPolicy = new Map<string, PagerDutyService>();
    for (const service of services.byId.values()) {
      if (service.escalationPolicy) {
        serviceOfPolicy.set(service.escalationPolicy.id, service);
      }
    }

    if (toFetch.length > 0) {
      try {
        const entries = await this.client.listOnCalls({
          escalationPolicyIds: toFetch,
          ...(isNow ? {} : { since: at, until: new Date(at.getTime() + 1000) }),
        });
        const asOf = this.now().toISOString();
        const grouped = new Map<string, PagerDutyOnCallEntry[]>();
        if (isNow) this.notePrimarySchedules(toFetch, entries);
        for (const entry of entries) {
          if (!isNow && !covering(entry, at)) continue;
          const list = grouped.get(entry.escalation_policy.id) ?? [];
          list.push(entry);
          grouped.set(entry.escalation_policy.id, list);
        }
        for (const policyId of toFetch) {
          const answer = this.policyAnswer(
            grouped.get(policyId) ?? [],
            policyLabel(policyId, serviceOfPolicy.get(policyId)),
            asOf,
          );
          byPolicy.set(policyId, answer);
          if (isNow) this.lastGood.set(policyId, answer);
        }
      } catch (error) {
        const reason = reasonOf(error);
        failures.add(reason);
        const asOf = this.now().toISOString();
        for (const policyId of toFetch) {
          // The last good answer is an answer for "now"; an instant in the
          // past or future gets none rather than a misleading one.
          const last = isNow ? this.lastGood.get(policyId) : undefined;
          byPolicy.set(
            policyId,
            last
              ? { ...last, status: 'unknown', reason }
              : policyPart(unknownAnswer(reason, asOf)),
          );
        }
      }
    }

    for (const [ref, policyId] of policyOf) {
      const { links: _links, ...answer } = byPolicy.get(policyId)!;
      const links = linksOf(serviceOf.get(ref)!, byPolicy.get(policyId)!);
      // PagerDuty's on-call API has no shadows (people learning a rotation,
      // told about pages but not paged): only escalation levels, so none.
      answers.set(ref, {
        source: 'pagerduty',
        ...answer,
        shadows: [],
        ...(links ? { links } : {}),
      });
    }
  }

  /**
   * The rotation behind each covered entity's on-call: the schedules of its
   * escalation policy's first level, read with `GET /schedules/{id}` and tied
   * to people with the users list; both reused for `servicesCacheTtlMs`, and
   * kept when PagerDuty fails. Entities whose first level is no schedule (a
   * user directly) are left out.
   *
   * It needs no on-call lookup before it: the services list and, for the
   * policies whose first-level schedules are not known yet, one `/oncalls`
   * call are read here (after a lookup for "now", both are already known).
   * A failure that leaves them unknown is a throw.
   */
  async getRotations(request: {
    entities: Entity[];
  }): Promise<Map<EntityRef, OnCallRotation>> {
    const rotations = new Map<EntityRef, OnCallRotation>();
    const covered = request.entities.flatMap(entity => {
      const target = targetOf(entity);
      return target ? [{ ref: entityRefOf(entity), target }] : [];
    });
    if (covered.length === 0) return rotations;
    let services: Services;
    try {
      services = await this.getServices(covered.map(w => w.target));
    } catch (error) {
      if (!this.services) throw new Error(reasonOf(error));
      services = this.services;
    }
    const policyOf = new Map<EntityRef, string>();
    for (const w of covered) {
      const policy = serviceFor(w.target, services)?.escalationPolicy;
      if (policy) policyOf.set(w.ref, policy.id);
    }
    const unread = [...new Set(policyOf.values())].filter(
      id => !this.primarySchedules.has(id),
    );
    if (unread.length > 0) {
      try {
        this.notePrimarySchedules(
          unread,
          await this.client.listOnCalls({ escalationPolicyIds: unread }),
        );
      } catch (error) {
        throw new Error(reasonOf(error));
      }
    }
    const scheduleIdsOf = new Map<EntityRef, string[]>();
    for (const [ref, policyId] of policyOf) {
      const ids = this.primarySchedules.get(policyId);
      if (ids?.length) scheduleIdsOf.set(ref, ids);
    }
    if (scheduleIdsOf.size === 0) return rotations;

    const nowMs = this.now().getTime();
    const wanted = [...new Set([...scheduleIdsOf.values()].flat())];
    const failures: string[] = [];
    const stale = wanted.filter(id => {
      const cached = this.schedules.get(id);
      return !cached || nowMs - cached.fetchedAt >= this.servicesCacheTtlMs;
    });
    // A few at a time: PagerDuty rate-limits per token.
    for (let i = 0; i < stale.length; i += SCHEDULES_AT_ONCE) {
      await Promise.all(
        stale.slice(i, i + SCHEDULES_AT_ONCE).map(async id => {
          try {
            const schedule = await this.client.getSchedule(id);
            this.schedules.set(id, { schedule, fetchedAt: nowMs });
          } catch (error) {
            failures.push(reasonOf(error)); // an older copy, if any, is kept
          }
        }),
      );
    }
    let users = this.users;
    if (!users || nowMs - users.fetchedAt >= this.servicesCacheTtlMs) {
      try {
        const list = await this.client.listUsers();
        users = { byId: new Map(list.map(u => [u.id, u])), fetchedAt: nowMs };
        this.users = users;
      } catch (error) {
        failures.push(reasonOf(error));
      }
    }
    if (failures.length > 0) {
      this.logger.warn(
        `PagerDuty rotations: ${failures.join('; ')}${
          users ? '' : ' (no users list yet: rotations unknown)'
        }`,
      );
    }
    // Without emails nobody could be tied to the catalog: better unknown.
    if (!users) throw new Error(failures.join('; '));

    const now = this.now();
    for (const [ref, ids] of scheduleIdsOf) {
      const schedules = ids.flatMap(id => {
        const cached = this.schedules.get(id);
        return cached ? [cached.schedule] : [];
      });
      if (schedules.length < ids.length) continue; // one was never read
      const rotation = rotationOf(schedules, users.byId, now);
      if (rotation) rotations.set(ref, rotation);
    }
    return rotations;
  }

  private notePrimarySchedules(
    policyIds: string[],
    entries: PagerDutyOnCallEntry[],
  ) {
    for (const policyId of policyIds) {
      const ids = entries
        .filter(
          e =>
            e.escalation_policy.id === policyId &&
            e.escalation_level === 1 &&
            e.schedule,
        )
        .map(e => e.schedule!.id);
      this.primarySchedules.set(policyId, [...new Set(ids)].sort());
    }
  }

  private policyAnswer(
    entries: PagerDutyOnCallEntry[],
    policy: string,
    asOf: string,
  ): PolicyAnswer {
    const primary = pick(entries.filter(e => e.escalation_level === 1));
    const secondary = pick(entries.filter(e => e.escalation_level === 2));
    if (!primary && !secondary) {
      return {
        primary: null,
        secondary: null,
        until: null,
        status: 'none',
        reason: `Nobody is on call in PagerDuty escalation policy ${policy}`,
        asOf,
      };
    }
    const schedule = primary?.schedule?.html_url;
    return {
      primary: primary ? personOf(primary.user) : null,
      secondary: secondary ? personOf(secondary.user) : null,
      until: primary?.end ?? null,
      status: 'ok',
      asOf,
      ...(schedule ? { links: { schedule } } : {}),
    };
  }

  /**
   * The services list, reused for `servicesCacheTtlMs`. A requested service
   * missing from a list older than `cacheTtlMs` triggers one refresh, so a new
   * service shows up without waiting for the full TTL.
   */
  private async getServices(targets: PagerDutyTarget[]): Promise<Services> {
    const now = this.now().getTime();
    const current = this.services;
    if (current) {
      const age = now - current.fetchedAt.getTime();
      const missing = targets.some(t => !serviceFor(t, current));
      if (
        age < this.servicesCacheTtlMs &&
        !(missing && age >= this.cacheTtlMs)
      ) {
        return current;
      }
    }
    if (!this.servicesInFlight) {
      this.servicesInFlight = this.client
        .listServices()
        .then(list => {
          const fetched = { ...indexServices(list), fetchedAt: this.now() };
          this.services = fetched;
          return fetched;
        })
        .finally(() => {
          this.servicesInFlight = undefined;
        });
    }
    return this.servicesInFlight;
  }
}
