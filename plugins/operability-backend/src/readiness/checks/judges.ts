import type { Entity } from '@backstage/catalog-model';
import type { CheckEvidence } from '@opsready/plugin-operability-common';
import type {
  BuiltinEvaluator,
  CheckOutcome,
  EntityFacts,
  FactRecord,
} from '../types';
import {
  MAX_EVIDENCE,
  factEvidence,
  formatValue,
  normalizeEntityRef,
} from '../evaluator/format';
import { factCheck } from './unit';

// Outcomes, value guards and the judges shared by the checks of several
// categories.

export function pass(
  message: string,
  evidence: CheckEvidence[] = [],
): CheckOutcome {
  return { status: 'pass', message, evidence };
}

export function fail(
  message: string,
  evidence: CheckEvidence[] = [],
): CheckOutcome {
  return { status: 'fail', message, evidence };
}

/** A fact whose value has the wrong shape: unknown, never fail. */
export function badValue(
  name: string,
  record: FactRecord | undefined,
): CheckOutcome {
  return {
    status: 'unknown',
    message: `fact ${name} has an unexpected value ${formatValue(
      record?.value,
      60,
    )}`,
    evidence: [],
  };
}

/** The record of a fact the fact policy guarantees is present. */
export function get(facts: EntityFacts, name: string): FactRecord {
  return facts.get(name)!;
}

function specString(entity: Entity, field: string): string | undefined {
  const value = entity.spec?.[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** `spec.owner` as a full ref, or undefined. */
export function declaredOwner(entity: Entity): string | undefined {
  const owner = specString(entity, 'owner');
  return owner
    ? normalizeEntityRef(owner, 'group', entity.metadata.namespace ?? 'default')
    : undefined;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

/** `"s"` unless there is exactly one. */
export function plural(count: number): string {
  return count === 1 ? '' : 's';
}

/**
 * A boolean fact: true passes, false fails, anything else is unknown. The
 * evidence is the fact's, or one item of `kind` saying the verdict.
 */
export function boolFact(
  fact: string,
  options: { kind: string; pass: string; fail: string },
): Pick<BuiltinEvaluator, 'facts' | 'evaluate'> {
  return factCheck(fact, record => {
    if (typeof record.value !== 'boolean') return badValue(fact, record);
    const evidence = factEvidence(record);
    if (evidence.length === 0) {
      evidence.push({
        kind: options.kind,
        text: record.value ? options.pass : options.fail,
        source: record.source,
      });
    }
    return record.value
      ? pass(options.pass, evidence)
      : fail(options.fail, evidence);
  });
}

/**
 * A list of links (`string[]`, null for none): passes when there is at least
 * one, listing them as evidence of `kind`; `noun` names one in the message.
 */
export function linksFact(
  fact: string,
  options: { kind: string; noun: string; none: string },
): Pick<BuiltinEvaluator, 'facts' | 'evaluate'> {
  return factCheck(fact, record => {
    const value = record.value === null ? [] : record.value;
    if (!isStringArray(value)) return badValue(fact, record);
    if (value.length === 0) return fail(options.none, factEvidence(record));
    const evidence: CheckEvidence[] = [];
    for (let i = 0; i < value.length && i < MAX_EVIDENCE; i++) {
      evidence.push({
        kind: options.kind,
        text: value[i],
        source: record.source,
      });
    }
    return pass(
      value.length === 1
        ? `${options.noun} is linked: ${value[0]}`
        : `${value.length} ${options.noun}s are linked`,
      evidence,
    );
  });
}
