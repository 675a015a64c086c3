import type { EntityRef, Level } from '@opsready/plugin-operability-common';

/**
 * The topic on Backstage's `EventsService` (`@backstage/plugin-events-node`)
 * on which the operability plugin publishes, once per readiness cycle, what
 * changed: a {@link ReadinessChangedEventPayload}.
 *
 * @example
 * ```ts
 * await events.subscribe({
 *   id: 'readiness-to-slack',
 *   topics: [READINESS_CHANGED_TOPIC],
 *   async onEvent({ eventPayload }) {
 *     const { changes } = eventPayload as ReadinessChangedEventPayload;
 *     // ...
 *   },
 * });
 * ```
 * @public
 */
export const READINESS_CHANGED_TOPIC = 'operability.readiness.changed';

/**
 * An entity's score and level at one evaluation.
 * @public
 */
export interface ReadinessScoreAndLevel {
  /** 0-100. */
  score: number;
  level: Level;
}

/**
 * How one entity's readiness changed in a cycle.
 * @public
 */
export interface ReadinessChange {
  entityRef: EntityRef;
  /** Before this cycle; `null` on the entity's first evaluation. */
  before: ReadinessScoreAndLevel | null;
  after: ReadinessScoreAndLevel;
  /**
   * Checks that fail now and were `pass` or `exempt` before (an exemption
   * that ran out counts). A check that was `unknown`, `not-applicable` or
   * not evaluated before is not a regression, and neither is anything on an
   * entity's first evaluation.
   */
  regressed: string[];
  /** Checks that pass now and failed before. */
  recovered: string[];
  /**
   * True when a check whose status changed was evaluated on stale inputs: a
   * fact or an on-call answer kept from before because its source failed
   * (see `CheckResult.stale`). A change that is not stale comes from fresh
   * inputs only.
   */
  stale: boolean;
}

/**
 * The payload of {@link READINESS_CHANGED_TOPIC}: the changes of one
 * readiness cycle (or of a refresh of some entities). One change per entity
 * whose score, level or check statuses changed; a cycle that changed nothing
 * publishes no event. Entities removed from the catalog are not listed.
 * @public
 */
export interface ReadinessChangedEventPayload {
  /** A UUID, one per cycle or refresh. */
  cycleId: string;
  /** The cycle's evaluation instant (ISO 8601). */
  at: string;
  changes: ReadinessChange[];
}
