import type { EntityFacts, FactRecord } from '../types';
import { formatDuration, oneLine } from './format';

/** The fact can be used as it is. */
export const FACT_FRESH = 0;
/** The latest collection failed; this is the last good value, younger than the maximum age. */
export const FACT_STALE = 1;
/** Never collected. */
export const FACT_MISSING = 2;
/** Older than the rubric's maximum fact age (or without a valid `collectedAt`). */
export const FACT_TOO_OLD = 3;

/** Fact names read by a compiled rubric, each with a slot number. */
export class FactRegistry {
  readonly names: string[] = [];
  readonly #slots = new Map<string, number>();

  /** The slot of a fact name, added when new. */
  slot(name: string): number {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = this.names.length;
      this.names.push(name);
      this.#slots.set(name, slot);
    }
    return slot;
  }

  get size(): number {
    return this.names.length;
  }
}

/**
 * The facts of one entity as seen at one instant, by slot: the record, its
 * state (fresh, stale, missing, too old) and its age. Built once per
 * `evaluate` call and shared by every check.
 */
export interface FactTable {
  readonly names: readonly string[];
  readonly records: (FactRecord | undefined)[];
  readonly states: Uint8Array;
  readonly ages: Float64Array;
  readonly maxFactAgeMs: number;
  /** The entity's facts as given (built-in evaluators read them). */
  readonly facts: EntityFacts;
}

// `collectedAt` strings repeat across entities (one collection per provider and
// cycle), so parsing is memoised. Bounded; purely a cache of a pure function.
const parsedInstants = new Map<string, number>();

export function parseInstant(iso: string): number {
  let ms = parsedInstants.get(iso);
  if (ms === undefined) {
    ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
    if (parsedInstants.size >= 4096) parsedInstants.clear();
    parsedInstants.set(iso, ms);
  }
  return ms;
}

export function buildFactTable(
  registry: FactRegistry,
  facts: EntityFacts,
  nowMs: number,
  maxFactAgeMs: number,
): FactTable {
  const n = registry.size;
  const names = registry.names;
  const records = new Array<FactRecord | undefined>(n);
  const states = new Uint8Array(n);
  const ages = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const record = facts.get(names[i]);
    records[i] = record;
    if (record === undefined) {
      states[i] = FACT_MISSING;
      continue;
    }
    const age = nowMs - parseInstant(record.collectedAt);
    ages[i] = age;
    if (!(age <= maxFactAgeMs)) {
      // NaN (no valid collectedAt) lands here too.
      states[i] = FACT_TOO_OLD;
    } else if (record.staleReason !== undefined) {
      states[i] = FACT_STALE;
    }
  }
  return { names, records, states, ages, maxFactAgeMs, facts };
}

/** Why a fact in slot `slot` cannot be used, or undefined when it can. */
export function unusableReason(
  table: FactTable,
  slot: number,
): string | undefined {
  const state = table.states[slot];
  if (state === FACT_MISSING) {
    return `fact ${table.names[slot]} was never collected`;
  }
  if (state === FACT_TOO_OLD) {
    const age = table.ages[slot];
    if (Number.isNaN(age)) {
      return `fact ${table.names[slot]} has no valid collectedAt (${String(
        table.records[slot]?.collectedAt,
      )})`;
    }
    const why = table.records[slot]?.staleReason;
    return `fact ${table.names[slot]} is ${formatDuration(
      age,
    )} old, older than the maximum of ${formatDuration(table.maxFactAgeMs)}${
      why ? ` (${oneLine(why)})` : ''
    }`;
  }
  return undefined;
}

/** `fact X is from 3h ago because <reason>` for a stale but usable fact. */
export function staleNote(table: FactTable, slot: number): string {
  return `${table.names[slot]} is from ${formatDuration(
    table.ages[slot],
  )} ago because ${oneLine(table.records[slot]?.staleReason ?? '')}`;
}

/** A duration as `formatDuration` writes it: `45s`, `3h 5m`, `2d 4h`, `12ms`. */
const DURATION = String.raw`\d+(?:ms|[smhd])(?: \d+[mh])?`;
const STALE_AGE = new RegExp(
  String.raw` is from ${DURATION} ago because `,
  'g',
);
const TOO_OLD_AGE = new RegExp(
  String.raw` is ${DURATION} old, older than the maximum of `,
  'g',
);

/**
 * A message without the ages that `staleNote` and `unusableReason` put in it,
 * for telling whether a result changed: the age grows every cycle while a
 * source is down, and that alone is no change worth a write.
 */
export function withoutAges(message: string): string {
  return message
    .replace(STALE_AGE, ' is from … ago because ')
    .replace(TOO_OLD_AGE, ' is … old, older than the maximum of ');
}
