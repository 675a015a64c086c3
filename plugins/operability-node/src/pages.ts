import type { Entity } from '@backstage/catalog-model';
import type { EntityRef, Person } from '@opsready/plugin-operability-common';

/**
 * One page as a source collected it: an alert that reached a human, for one
 * entity.
 * @public
 */
export interface CollectedPage {
  /**
   * Stable id within the source (a PagerDuty incident id, a hash of an
   * alert's labels and start, a file row's id): collecting the same page
   * again updates it rather than adding one.
   */
  id: string;
  /** The entity the page is about (full, lower-case ref). */
  entityRef: EntityRef;
  /** ISO instant the page was raised. */
  at: string;
  title: string;
  /** ISO instant it was first acknowledged, when the source knows it. */
  acknowledgedAt?: string;
  /** ISO instant it was resolved, when the source knows it. */
  resolvedAt?: string;
  /** A link to the page at the source, when there is one. */
  url?: string;
}

/**
 * Who was primary for an entity over [start, end), as the source itself
 * knows it (PagerDuty's on-call history). Sources that do not know leave it
 * out: the plugin then asks the entity's Schedule.
 * @public
 */
export interface PrimaryTurn {
  /** ISO instant. */
  start: string;
  /** ISO instant, exclusive. */
  end: string;
  /** Null: nobody was primary. */
  primary: Person | null;
}

/**
 * The result of one collection: pages raised in [since, until) for the
 * entities asked, with per-entity problems.
 * @public
 */
export interface PageBatch {
  pages: CollectedPage[];
  /**
   * Per entity, who was primary over the collected window, when the source
   * knows it (turns overlapping [since, until)). Entities left out fall back
   * to their Schedule.
   */
  turns?: Map<EntityRef, PrimaryTurn[]>;
  /**
   * Problems tied to one entity (its service is unknown to the source, say),
   * with the reason. The plugin treats the entity's load as unknown while it
   * has one.
   */
  errors?: Map<EntityRef, string>;
}

/**
 * Collects pages (incidents, alert episodes that paged) for many entities at
 * once, incrementally: the plugin asks for [since, until) and remembers, per
 * source, how far it got. A source must make batched upstream calls (never
 * one per entity) and answer the same page with the same id each time.
 * @public
 */
export interface PageSource {
  /** A stable id, e.g. `pagerduty`, `prometheus`, `file`: the pages' `source`. */
  readonly id: string;
  /**
   * Whether the source would report this entity's pages: with it installed
   * and working, an entity it covers and that has no page had none.
   */
  covers(entity: Entity): boolean;
  /**
   * Pages raised in [since, until) for the given entities (those it covers).
   * A failure of the whole source throws; the plugin keeps what it stored and
   * asks again from the same point next time.
   */
  collect(request: {
    entities: Entity[];
    since: Date;
    until: Date;
  }): Promise<PageBatch>;
}
