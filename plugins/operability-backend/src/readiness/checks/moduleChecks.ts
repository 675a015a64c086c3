import type { ExtensionPointFactoryContext } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  type CheckEvidence,
  parseCalendarDate,
} from '@opsready/plugin-operability-common';
import type {
  OperabilityCheck,
  OperabilityCheckFact,
  OperabilityChecksExtensionPoint,
} from '@opsready/plugin-operability-node';
import { z } from 'zod';
import type { CheckDefinition, CheckOutcome, CheckUnit } from '../types';
import { formatPath } from '../evaluator/conditions';
import { MAX_EVIDENCE, oneLine } from '../evaluator/format';
import { BUILTIN_CHECKS } from './index';
import { CHECK_ID, DEFAULT_WEIGHTS, categoryOf } from './unit';

const list = z.array(z.string().min(1));

const checkSchema = z.object({
  id: z
    .string()
    .regex(
      CHECK_ID,
      "expected '<category>.<name>' in lower case, e.g. 'security.image-scanned'",
    ),
  title: z.string().min(1),
  category: z.string().min(1).optional(),
  level: z.enum(['bronze', 'silver', 'gold']),
  weight: z.number().positive().finite().optional(),
  description: z.string().min(1),
  remediation: z.string().min(1),
  filter: z
    .strictObject({
      kind: list.optional(),
      type: list.optional(),
      lifecycle: list.optional(),
      tags: list.optional(),
      owner: list.optional(),
    })
    .optional(),
  enforcedFrom: z
    .string()
    .refine(
      v => parseCalendarDate(v) !== undefined,
      'expected a date YYYY-MM-DD that exists, e.g. 2027-03-01',
    )
    .optional(),
  facts: list,
  evaluate: z.custom<OperabilityCheck['evaluate']>(
    v => typeof v === 'function',
    'expected a function',
  ),
});

/** Why a check's shape is wrong, one line, or undefined when it is right. */
function shapeProblems(check: unknown): string | undefined {
  const parsed = checkSchema.safeParse(check);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map(i => `${formatPath('', i.path) || '(the check)'}: ${i.message}`)
    .join('; ');
}

/** The `id` of something a module passed as a check, for messages. */
function idOf(check: unknown): string {
  const id = (check as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : '(no id)';
}

const STATUSES = new Set(['pass', 'fail', 'unknown']);

function invalid(id: string, why: string): CheckOutcome {
  return {
    status: 'unknown',
    message: oneLine(`check ${id} returned an invalid result: ${why}`),
    evidence: [],
  };
}

function isEvidence(item: unknown): item is CheckEvidence {
  if (typeof item !== 'object' || item === null) return false;
  const e = item as Record<string, unknown>;
  return (
    typeof e.kind === 'string' &&
    typeof e.text === 'string' &&
    (e.source === undefined || typeof e.source === 'string')
  );
}

/**
 * A module check's result as the engine's outcome: checked, because it comes
 * from code the plugin does not own. Anything malformed — a promise (the
 * check did I/O), another status, a message that is not a string, evidence
 * of the wrong shape — is `unknown` with the reason.
 */
function toOutcome(id: string, result: unknown): CheckOutcome {
  if (typeof result !== 'object' || result === null) {
    return invalid(id, `expected an object, got ${typeof result}`);
  }
  if (typeof (result as { then?: unknown }).then === 'function') {
    return invalid(
      id,
      'a promise; evaluate must be synchronous (I/O belongs in a fact provider)',
    );
  }
  const { status, message, evidence } = result as Record<string, unknown>;
  if (typeof status !== 'string' || !STATUSES.has(status)) {
    return invalid(id, `status must be 'pass', 'fail' or 'unknown'`);
  }
  if (typeof message !== 'string') {
    return invalid(id, 'message must be a string');
  }
  if (
    evidence !== undefined &&
    !(Array.isArray(evidence) && evidence.every(isEvidence))
  ) {
    return invalid(id, 'evidence must be a list of { kind, text, source? }');
  }
  const items = (evidence as CheckEvidence[] | undefined) ?? [];
  const copied: CheckEvidence[] = items.slice(0, MAX_EVIDENCE).map(e => ({
    kind: e.kind,
    text: e.text,
    ...(e.source !== undefined ? { source: e.source } : {}),
  }));
  if (items.length > MAX_EVIDENCE) {
    copied.push({
      kind: 'more',
      text: `and ${items.length - MAX_EVIDENCE} more`,
    });
  }
  return {
    status: status as CheckOutcome['status'],
    message: oneLine(message),
    evidence: copied,
  };
}

/**
 * A module's check as a unit like the built-in ones. The evaluator keeps the
 * default fact policy: a declared fact that is missing or too old makes the
 * result `unknown` before `evaluate` is called, so the check sees every fact
 * it declared, and only those, as plain frozen values.
 */
export function moduleCheckUnit(check: OperabilityCheck): CheckUnit {
  const definition: CheckDefinition = {
    id: check.id,
    title: check.title,
    category: check.category ?? categoryOf(check.id),
    level: check.level,
    weight: check.weight ?? DEFAULT_WEIGHTS[check.level],
    ...(check.filter ? { filter: check.filter } : {}),
    ...(check.enforcedFrom ? { enforcedFrom: check.enforcedFrom } : {}),
    description: check.description,
    remediation: check.remediation,
    evaluator: check.id,
  };
  const names = [...check.facts];
  return {
    definition,
    evaluator: {
      id: check.id,
      facts: names,
      evaluate({ entity, facts, now }) {
        const view: Record<string, OperabilityCheckFact> = {};
        for (const name of names) {
          const record = facts.get(name);
          if (!record) continue; // only under a policy other than 'all'
          view[name] = Object.freeze({
            value: record.value,
            source: record.source,
            collectedAt: record.collectedAt,
            ...(record.evidence
              ? { evidence: Object.freeze(record.evidence.slice()) }
              : {}),
          });
        }
        const result = check.evaluate(
          Object.freeze({
            entity,
            facts: Object.freeze(view),
            now: new Date(now.getTime()),
          }),
        );
        return toOutcome(check.id, result);
      },
    },
  };
}

interface AddedCheck {
  check: OperabilityCheck;
  /** Fails the start-up of the module that added the check. */
  fail(error: Error): void;
}

/**
 * The `operability.checks` extension point's implementation: collects the
 * checks modules add, then, once every module has run, turns the valid ones
 * into units.
 *
 * - A check of the wrong shape throws in the module's `addChecks` call, so
 *   that module's start-up fails with the reason.
 * - A check whose id clashes with a built-in check or with a check added
 *   before it, or that needs a fact no provider declares, fails the start-up
 *   of the module that added it (`reportModuleStartupFailure`): the backend
 *   stops with an error naming the module and the check id, unless that
 *   module is allowed to fail, in which case the check is left out.
 */
export class ModuleChecks {
  readonly #added: AddedCheck[] = [];

  /** The extension point as one module sees it. */
  forModule(
    context: ExtensionPointFactoryContext,
  ): OperabilityChecksExtensionPoint {
    return {
      addChecks: (...checks) => {
        for (const check of checks) {
          const problems = shapeProblems(check);
          if (problems) {
            throw new InputError(
              `Invalid operability check '${idOf(check)}': ${problems}`,
            );
          }
        }
        for (const check of checks) {
          this.#added.push({
            check,
            fail: error => context.reportModuleStartupFailure({ error }),
          });
        }
      },
    };
  }

  /**
   * The added checks that are valid, as units, in the order they were added.
   * `knownFacts` are the names of the facts that the plugin and the fact
   * providers declare.
   */
  units(knownFacts: ReadonlySet<string>): CheckUnit[] {
    const builtinIds = new Set(BUILTIN_CHECKS.map(u => u.definition.id));
    const taken = new Set<string>();
    const units: CheckUnit[] = [];
    for (const { check, fail } of this.#added) {
      if (builtinIds.has(check.id)) {
        fail(
          new InputError(
            `Operability check '${check.id}' clashes with the built-in check of that id; give the module's check an id of its own`,
          ),
        );
        continue;
      }
      if (taken.has(check.id)) {
        fail(
          new InputError(
            `Operability check '${check.id}' clashes with a check of that id that a module added before; check ids must be unique`,
          ),
        );
        continue;
      }
      taken.add(check.id);
      const unknown = check.facts.filter(f => !knownFacts.has(f));
      if (unknown.length > 0) {
        fail(
          new InputError(
            `Operability check '${check.id}' needs ${
              unknown.length === 1 ? 'the fact' : 'the facts'
            } ${unknown
              .map(f => `'${f}'`)
              .join(
                ', ',
              )}, which no fact provider declares; add the provider that collects ${
              unknown.length === 1 ? 'it' : 'them'
            } or correct the name`,
          ),
        );
        continue;
      }
      units.push(moduleCheckUnit(check));
    }
    return units;
  }
}
