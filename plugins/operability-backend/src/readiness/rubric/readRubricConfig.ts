import { readDurationFromConfig, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { parseCalendarDate } from '@opsready/plugin-operability-common';
import { z } from 'zod';
import type {
  BuiltinEvaluator,
  CheckDefinition,
  CheckFilter,
  Condition,
  Rubric,
} from '../types';
import { formatPath, validateCondition } from '../evaluator/conditions';
import { CHECK_ID } from '../checks/unit';
import {
  DEFAULT_CHECKS,
  DEFAULT_MAX_FACT_AGE_MS,
  DEFAULT_WEIGHTS,
} from './defaultRubric';

export const RUBRIC_CONFIG_KEY = 'operability.rubric';

export interface ReadRubricConfigOptions {
  /** Names of the facts that the registered providers declare. */
  knownFacts: ReadonlySet<string>;
  /** Evaluators by id: the built-in ones and the modules' checks'. */
  evaluators: ReadonlyMap<string, BuiltinEvaluator>;
  /**
   * The checks that are on unless configured otherwise, in order: the
   * built-in checks, then the checks modules added (default: the built-in
   * checks only).
   */
  defaultChecks?: readonly CheckDefinition[];
}

/** A string or a list of strings, read as a list. */
const stringList = z
  .union([z.string().min(1), z.array(z.string().min(1))])
  .transform(v => (typeof v === 'string' ? [v] : v));

/** A date, `YYYY-MM-DD`, that exists. */
export const calendarDate = z
  .string()
  .refine(
    v => parseCalendarDate(v) !== undefined,
    'expected a date YYYY-MM-DD that exists, e.g. 2027-03-01',
  );

/** Where a check (or a campaign) applies, as config writes it. */
export const filterSchema = z.strictObject({
  kind: stringList.optional(),
  type: stringList.optional(),
  lifecycle: stringList.optional(),
  tags: stringList.optional(),
  owner: stringList.optional(),
});

function buildSchema(options: ReadRubricConfigOptions) {
  const conditionSchema = z.unknown().superRefine((value, ctx) => {
    for (const issue of validateCondition(value, {
      knownFacts: options.knownFacts,
    })) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path,
      });
    }
  });

  const checkSchema = z.strictObject({
    id: z
      .string()
      .regex(
        CHECK_ID,
        "expected '<category>.<name>' in lower case, e.g. 'alerting.has-alerts'",
      ),
    enabled: z.boolean().optional(),
    title: z.string().min(1).optional(),
    category: z.string().min(1).optional(),
    level: z.enum(['bronze', 'silver', 'gold']).optional(),
    weight: z.number().positive().finite().optional(),
    filter: filterSchema.optional(),
    description: z.string().min(1).optional(),
    remediation: z.string().min(1).optional(),
    evaluator: z.string().min(1).optional(),
    condition: conditionSchema.optional(),
    enforcedFrom: calendarDate.optional(),
  });

  return z.strictObject({
    // Read with Backstage's duration reader below; only its presence here.
    maxFactAge: z.unknown().optional(),
    useDefaultChecks: z.boolean().optional(),
    checks: z.array(checkSchema).optional(),
  });
}

type CheckEntry = z.infer<ReturnType<typeof buildSchema>>['checks'] extends
  | (infer T)[]
  | undefined
  ? T
  : never;

class ConfigIssues {
  readonly #issues: { path: string; message: string }[] = [];

  add(path: readonly PropertyKey[], message: string) {
    this.#issues.push({ path: formatPath(RUBRIC_CONFIG_KEY, path), message });
  }

  throwIfAny() {
    if (this.#issues.length === 0) return;
    throw new InputError(
      this.#issues
        .map(i => `Invalid config at '${i.path}': ${i.message}`)
        .join('\n'),
    );
  }
}

function readMaxFactAgeMs(config: Config): number {
  const key = `${RUBRIC_CONFIG_KEY}.maxFactAge`;
  if (!config.has(key)) return DEFAULT_MAX_FACT_AGE_MS;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `Invalid config at '${key}': ${(error as Error).message}`,
    );
  }
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new InputError(
      `Invalid config at '${key}': must be a positive duration`,
    );
  }
  return ms;
}

function filterOf(entry: CheckEntry): CheckFilter | undefined {
  return entry.filter as CheckFilter | undefined;
}

/**
 * Reads `operability.rubric` into a Rubric: the default checks (the
 * built-in ones and those modules added; unless `useDefaultChecks: false`),
 * each overridden or disabled by a `checks[]` entry with its id, plus new
 * checks from the other entries. Any problem
 * throws an InputError naming the config path, e.g.
 * `Invalid config at 'operability.rubric.checks[3].condition.all[0].operator': …`.
 *
 * - An entry whose id is a default check's starts from that check; every
 *   field it gives replaces the default's (a `filter` replaces the whole
 *   filter; a `condition` replaces the default's evaluator and vice versa);
 *   `enabled: false` removes the check. With `useDefaultChecks: false`, only
 *   the default checks named in `checks[]` are kept, so a rubric can pick
 *   some of them.
 * - Any other entry is a new check and needs `title`, `level`,
 *   `description`, `remediation` and exactly one of `condition` or
 *   `evaluator`. `category` defaults to the id's prefix and `weight` to the
 *   level's default (bronze 1, silver 2, gold 3).
 * - A condition may only name facts in `knownFacts`; an evaluator must be in
 *   `evaluators`; ids are unique; weights are > 0.
 */
export function readRubricConfig(
  config: Config,
  options: ReadRubricConfigOptions,
): Rubric {
  const maxFactAgeMs = readMaxFactAgeMs(config);
  const raw = config.getOptional(RUBRIC_CONFIG_KEY) ?? {};
  const parsed = buildSchema(options).safeParse(raw);
  const issues = new ConfigIssues();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.add(issue.path, issue.message);
    }
    issues.throwIfAny();
    throw new InputError(`Invalid config at '${RUBRIC_CONFIG_KEY}'`);
  }
  const { useDefaultChecks = true, checks: entries = [] } = parsed.data;

  const defaultChecks = options.defaultChecks ?? DEFAULT_CHECKS;
  const defaults = new Map(defaultChecks.map(c => [c.id, c]));
  const seen = new Map<string, number>();
  const overrides = new Map<string, CheckDefinition | null>();
  const added: CheckDefinition[] = [];

  entries.forEach((entry, index) => {
    const at = (...path: PropertyKey[]) => ['checks', index, ...path];
    const first = seen.get(entry.id);
    if (first !== undefined) {
      issues.add(
        at('id'),
        `duplicate check id '${entry.id}' (also at checks[${first}])`,
      );
      return;
    }
    seen.set(entry.id, index);
    if (entry.evaluator !== undefined && entry.condition !== undefined) {
      issues.add(at(), "give either 'evaluator' or 'condition', not both");
      return;
    }
    if (
      entry.evaluator !== undefined &&
      !options.evaluators.has(entry.evaluator)
    ) {
      issues.add(
        at('evaluator'),
        `unknown built-in evaluator '${entry.evaluator}'; known: ${[
          ...options.evaluators.keys(),
        ]
          .sort()
          .join(', ')}`,
      );
      return;
    }
    const base = defaults.get(entry.id);
    if (base) {
      if (entry.enabled === false) {
        overrides.set(entry.id, null);
        return;
      }
      const merged: CheckDefinition = {
        ...base,
        ...(entry.title !== undefined && { title: entry.title }),
        ...(entry.category !== undefined && { category: entry.category }),
        ...(entry.level !== undefined && { level: entry.level }),
        ...(entry.weight !== undefined && { weight: entry.weight }),
        ...(entry.filter !== undefined && { filter: filterOf(entry) }),
        ...(entry.description !== undefined && {
          description: entry.description,
        }),
        ...(entry.remediation !== undefined && {
          remediation: entry.remediation,
        }),
        ...(entry.enforcedFrom !== undefined && {
          enforcedFrom: entry.enforcedFrom,
        }),
      };
      if (entry.condition !== undefined) {
        merged.condition = entry.condition as Condition;
        delete merged.evaluator;
      } else if (entry.evaluator !== undefined) {
        merged.evaluator = entry.evaluator;
        delete merged.condition;
      }
      overrides.set(entry.id, merged);
      return;
    }
    if (entry.enabled === false) return; // a disabled new check: nothing to add
    let complete = true;
    for (const field of [
      'title',
      'level',
      'description',
      'remediation',
    ] as const) {
      if (entry[field] === undefined) {
        issues.add(
          at(field),
          `required for a new check (no default check has id '${entry.id}')`,
        );
        complete = false;
      }
    }
    if (entry.evaluator === undefined && entry.condition === undefined) {
      issues.add(at(), "a new check needs a 'condition' or an 'evaluator'");
      complete = false;
    }
    if (!complete) return;
    const level = entry.level!;
    added.push({
      id: entry.id,
      title: entry.title!,
      category: entry.category ?? entry.id.slice(0, entry.id.indexOf('.')),
      level,
      weight: entry.weight ?? DEFAULT_WEIGHTS[level],
      ...(entry.filter !== undefined && { filter: filterOf(entry) }),
      description: entry.description!,
      remediation: entry.remediation!,
      ...(entry.enforcedFrom !== undefined && {
        enforcedFrom: entry.enforcedFrom,
      }),
      ...(entry.condition !== undefined
        ? { condition: entry.condition as Condition }
        : { evaluator: entry.evaluator! }),
    });
  });

  const checks: CheckDefinition[] = [];
  for (const d of defaultChecks) {
    const override = overrides.get(d.id);
    if (override === null) continue;
    if (override) checks.push(override);
    else if (useDefaultChecks) checks.push({ ...d });
  }
  checks.push(...added);

  for (const c of checks) {
    if (
      c.evaluator !== undefined &&
      !options.evaluators.has(c.evaluator) &&
      !added.includes(c)
    ) {
      const index = seen.get(c.id);
      issues.add(
        index !== undefined ? ['checks', index] : ['useDefaultChecks'],
        `check '${c.id}' needs the built-in evaluator '${c.evaluator}', which is not registered`,
      );
    }
  }
  issues.throwIfAny();
  return { checks, maxFactAgeMs };
}
