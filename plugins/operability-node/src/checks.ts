import type { Entity } from '@backstage/catalog-model';
import type {
  CheckEvidence,
  CheckLevel,
} from '@opsready/plugin-operability-common';

/**
 * Where a check applies. Every given field must match; the values within a
 * field are alternatives. Without a filter a check applies to every entity the
 * plugin scores.
 * @public
 */
export interface OperabilityCheckFilter {
  /** Entity kinds, case-insensitive, e.g. `['Component']`. */
  kind?: string[];
  /** `spec.type` values, e.g. `['service', 'website']`. */
  type?: string[];
  /** `spec.lifecycle` values, e.g. `['production']`. */
  lifecycle?: string[];
  /** The entity has at least one of these tags. */
  tags?: string[];
  /** Owner refs, full or short, e.g. `group:default/payments` or `payments`. */
  owner?: string[];
}

/**
 * One fact as a check sees it: a plain value, read-only.
 * @public
 */
export interface OperabilityCheckFact {
  /**
   * The value as the provider collected it, of the type its
   * `FactDefinition` declares; `null` when the provider reported that there
   * is none. The check should treat a value of another shape as `unknown`.
   */
  readonly value: unknown;
  /** Where the value came from: a URL, a file, a route. */
  readonly source: string;
  /** ISO instant of the collection that produced the value. */
  readonly collectedAt: string;
  /** Evidence the provider attached to the value, if any. */
  readonly evidence?: readonly CheckEvidence[];
}

/**
 * What a check's `evaluate` is given: data only (the entity, its facts, the
 * instant), no services or clients, so it has nothing to do I/O with.
 * @public
 */
export interface OperabilityCheckContext {
  /** The entity being evaluated, as the catalog has it. Do not change it. */
  readonly entity: Entity;
  /**
   * The facts the check declared in `facts`, by name. Every one is present:
   * when one was never collected, or is older than
   * `operability.rubric.maxFactAge`, the engine makes the result `unknown`
   * (saying which fact and why) without calling `evaluate`. Facts the check
   * did not declare are absent.
   */
  readonly facts: Readonly<Record<string, OperabilityCheckFact>>;
  /** The instant of evaluation; use it instead of the clock. */
  readonly now: Date;
}

/**
 * What a check concludes for one entity.
 * @public
 */
export interface OperabilityCheckResult {
  /**
   * `pass` or `fail`; `unknown` when the facts do not allow a verdict (a value
   * of an unexpected shape, say). Unknown never counts as a pass.
   */
  status: 'pass' | 'fail' | 'unknown';
  /** One line saying what was found, e.g. `image scanned 2 days ago`. */
  message: string;
  /** What the verdict rests on: which rule, file, link or member. */
  evidence?: CheckEvidence[];
}

/**
 * A readiness check that a backend module adds to the rubric through
 * {@link operabilityChecksExtensionPoint}. It is a unit: what the check is
 * (id, title, level, why, how to fix), where it applies, which facts it reads
 * and how it judges them.
 *
 * Module checks are on by default and are configured like the built-in ones,
 * by id, under `operability.rubric.checks` (override any field, or
 * `enabled: false`). The facts come from fact providers (added through
 * `operabilityFactProvidersExtensionPoint`), which do the I/O; a check only
 * judges them. Start-up fails, naming the module and the check id, when the
 * id clashes with another check or a fact is not declared by any provider.
 *
 * @example
 * ```ts
 * checks.addChecks({
 *   id: 'security.image-scanned',
 *   title: 'Container image scanned',
 *   level: 'silver',
 *   description: 'Known vulnerabilities in production images are found before attackers find them.',
 *   remediation: 'Add the `trivy` step to the build pipeline.',
 *   filter: { kind: ['Component'], type: ['service'] },
 *   facts: ['security.image-scanned'],
 *   evaluate: ({ facts }) =>
 *     facts['security.image-scanned'].value === true
 *       ? { status: 'pass', message: 'the image is scanned' }
 *       : { status: 'fail', message: 'the image is not scanned' },
 * });
 * ```
 * @public
 */
export interface OperabilityCheck {
  /**
   * Stable id, `<category>.<name>` in lower case (letters, digits, `-`,
   * `_`), e.g. `security.image-scanned`. It is API: results, exemptions,
   * history and `operability.rubric.checks[].id` refer to it. It must not be
   * the id of a built-in check or of another module's check.
   */
  id: string;
  /** Short title shown with the result, e.g. `Container image scanned`. */
  title: string;
  /** Category the UI groups the check under; defaults to the id's prefix. */
  category?: string;
  /**
   * The level the check gates: a level is reached when every applicable
   * check of that level and below passes or is exempt.
   */
  level: CheckLevel;
  /**
   * The check's share of the score, greater than 0; defaults to the level's weight
   * (bronze 1, silver 2, gold 3).
   */
  weight?: number;
  /** Why the check matters: one or two sentences for whoever reads a failure. */
  description: string;
  /**
   * How to fix a failure: the concrete change, naming the field, annotation
   * or file. Joined to results when they are read, never stored with them.
   */
  remediation: string;
  /** Where the check applies; without one, everywhere the plugin scores. */
  filter?: OperabilityCheckFilter;
  /**
   * Announce the check before it counts: a date, `YYYY-MM-DD` (from 00:00
   * UTC). Before it the check is evaluated and its result shown with
   * `upcoming: true`, but it counts towards neither score nor level. Can be
   * set or overridden in config (`operability.rubric.checks[].enforcedFrom`).
   */
  enforcedFrom?: string;
  /**
   * Names of the facts `evaluate` reads. Each must be declared by a fact
   * provider (`FactProvider.facts`) or be one of the plugin's own facts
   * (`catalog.*`, `on-call.*`). May be empty for a check on the entity alone.
   */
  facts: string[];
  /**
   * Judges one entity. Pure and fast: synchronous, no I/O, no clock (use
   * `context.now`), no changes to the context; it runs for every entity on
   * every cycle. A throw, a promise or a malformed result makes the result
   * `unknown` with the reason; it never fails the cycle.
   */
  evaluate(context: OperabilityCheckContext): OperabilityCheckResult;
}
