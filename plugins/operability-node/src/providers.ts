import type { Entity } from '@backstage/catalog-model';
import type {
  EntityRef,
  OnCall,
  Person,
} from '@opsready/plugin-operability-common';

/**
 * Answers who is on call for many entities at once.
 *
 * A provider answers only for the entities it covers (for instance those with a
 * `pagerduty.com/service-id` annotation) and leaves the others out of its answer.
 * It makes one batched upstream call per request, never one per entity.
 *
 * The backend plugin's on-call service asks the providers in the order of
 * `operability.onCall.providers` (each entity goes to the first that covers
 * it), and owns what happens when one fails: the entity's last good answer
 * from that provider is served, marked `stale`. A provider need not keep last
 * good answers itself.
 * @public
 */
export interface OnCallProvider {
  /**
   * A stable id, e.g. `pagerduty`: its answers' `source`, and its name in
   * `operability.onCall.providers`. (`schedule` is the catalog's Schedules.)
   */
  readonly id: string;
  /** Whether this provider is responsible for the entity's on-call answer. */
  covers(entity: Entity): boolean;
  /**
   * On-call answers at the instant `at` for the given entities, keyed by entity ref.
   * A source failure should yield answers with `status: 'unknown'` and a reason
   * (a throw is taken as a failure of every entity asked).
   */
  getOnCall(request: {
    entities: Entity[];
    at: Date;
  }): Promise<Map<EntityRef, OnCallProviderAnswer>>;
  /**
   * The rotation behind the entities' on-call, for the readiness facts
   * (rotation size, turn length, owners' share, the ladder). Optional:
   * without it those facts are unknown for the entities this provider
   * covers. Entities whose rotation is not known are left out; a source
   * failure is a throw (the engine then keeps the last good rotations, marked
   * stale). It must not depend on `getOnCall` having run before it. `at` is
   * the instant the rotation is looked at from (the readiness cycle's; now
   * when absent): what `ladder` judges is the history up to it.
   */
  getRotations?(request: {
    entities: Entity[];
    at?: Date;
  }): Promise<Map<EntityRef, OnCallRotation>>;
}

/**
 * An on-call answer as a provider gives it: an `OnCall` whose `shadows` may be
 * left out when the source has none (the engine then answers `shadows: []`).
 * @public
 */
export type OnCallProviderAnswer = Omit<OnCall, 'shadows'> & {
  shadows?: OnCall['shadows'];
};

/**
 * The people who take turns on call for an entity, and how long a turn is.
 * @public
 */
export interface OnCallRotation {
  /** Everyone in the rotation; the engine ties them to catalog users by email. */
  members: Person[];
  /** One turn as an ISO 8601 duration, e.g. `P7D`. */
  turn?: string;
  /** Where it was read, e.g. `pagerduty:schedule/PSCHCK1`. */
  source: string;
  /** The rotation's IANA time zone, when known; local times are shown in it. */
  timeZone?: string;
  /**
   * Who went straight to primary: the people whose first primary turn on
   * this rotation began after its start, up to the instant asked (and the
   * few weeks after it), without a secondary turn or shadow window on it
   * before — empty when everyone climbed the ladder. Absent when the
   * provider cannot tell (PagerDuty's API keeps no history of who was
   * secondary or shadow): the check `on-call.ladder` is then unknown.
   */
  ladder?: OnCallLadderSkip[];
}

/**
 * Someone whose first primary turn on a rotation came without a secondary
 * turn or shadow window before it.
 * @public
 */
export interface OnCallLadderSkip {
  person: Person;
  /** ISO instant their first primary turn began. */
  firstPrimary: string;
  /** True when an override, not the rotation, made them primary then. */
  override: boolean;
}

/**
 * The type of a fact's value.
 * @public
 */
export type FactType =
  | 'boolean'
  | 'number'
  | 'string'
  | 'string[]'
  | 'duration'
  | 'object';

/**
 * Describes one fact a provider collects.
 * @public
 */
export interface FactDefinition {
  /** Dotted name, unique across providers, e.g. `prometheus.targets.up-ratio`. */
  name: string;
  type: FactType;
  description: string;
}

/**
 * One collected fact for one entity.
 * @public
 */
export interface FactValue {
  name: string;
  value: unknown;
  /** Where it came from: a URL, a file, a route path. */
  source: string;
  /** ISO instant. */
  collectedAt: string;
  evidence?: { kind: string; text: string; source?: string }[];
}

/**
 * The result of one collection: facts per entity, and per-entity problems.
 * @public
 */
export interface FactBatch {
  facts: Map<EntityRef, FactValue[]>;
  /**
   * Problems tied to one entity (a rule file that does not parse), with the
   * reason. The others go on. While an entity has a problem, the engine keeps
   * its last good facts from this provider, marked stale with the reason, and
   * shows the problem on its report; facts given for it anyway only fill in
   * facts that were never collected.
   */
  errors?: Map<EntityRef, string>;
}

/**
 * Collects facts for many entities in one call.
 * @public
 */
export interface FactProvider {
  /** A stable id, e.g. `prometheus`. */
  readonly id: string;
  /** The facts this provider may return. */
  readonly facts: FactDefinition[];
  /**
   * Facts for the given entities. A failure of the whole source throws; the
   * engine then keeps the last good facts and marks them stale.
   */
  collect(request: { entities: Entity[] }): Promise<FactBatch>;
}
