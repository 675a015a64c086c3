import type { AnyZodObject, z as zod } from 'zod/v3';

/**
 * The zod schemas of the actions' inputs and outputs, for the actions
 * registry, which hands each schema function its own zod (the v3 API) and
 * publishes them as JSON Schema (the MCP tools' input schemas).
 *
 * Outputs follow the REST API's types (`@opsready/plugin-operability-common`).
 * The registry checks every output against its schema and drops keys the
 * schema does not name, so the objects pass unknown keys through: a field
 * added to the contract reaches agents without a change here. (Those
 * outputs are typed as any object for the compiler, as the contract's
 * interfaces have no index signature; the registry checks them at run time.)
 */
type Z = typeof zod;

const LEVELS = ['none', 'bronze', 'silver', 'gold'] as const;
const CHECK_LEVELS = ['bronze', 'silver', 'gold'] as const;

function person(z: Z) {
  return z
    .object({
      ref: z.string().describe('User entity ref, e.g. user:default/alice'),
      title: z.string().optional(),
      email: z.string().optional(),
    })
    .passthrough();
}

function staleMark(z: Z) {
  return z
    .object({ since: z.string(), reason: z.string() })
    .passthrough()
    .describe(
      'Set when the source failed and this is its last good answer: since when, and why',
    );
}

/** `OnCall`. */
export function onCallSchema(z: Z) {
  return z
    .object({
      source: z
        .string()
        .describe(
          "The on-call provider that answered: 'schedule' (a Schedule in the catalog), 'pagerduty', …",
        ),
      scheduleRef: z.string().optional(),
      inheritedFrom: z
        .string()
        .optional()
        .describe('The System or Group whose schedule applies'),
      primary: person(z).nullable(),
      secondary: person(z).nullable(),
      shadows: z
        .array(person(z))
        .describe(
          'People learning the rotation now: told about pages, not paged (none from PagerDuty)',
        ),
      until: z
        .string()
        .nullable()
        .describe("ISO instant the primary's shift ends"),
      status: z
        .enum(['ok', 'unknown', 'none'])
        .describe('unknown: the source failed; none: nobody is on call'),
      reason: z.string().optional(),
      asOf: z.string().describe('When this answer was obtained'),
      stale: staleMark(z).optional(),
    })
    .passthrough();
}

/** `Ownership`. */
export function ownershipSchema(z: Z) {
  return z
    .object({
      declared: z
        .string()
        .nullable()
        .describe('spec.owner as written, as a full entity ref'),
      ref: z
        .string()
        .nullable()
        .describe('The owning team (Group); null when none exists'),
      title: z.string().optional(),
      resolvedFrom: z.enum(['group', 'user', 'dangling', 'none']).optional(),
      members: z.array(person(z).extend({ direct: z.boolean() })),
      contacts: z
        .object({ email: z.string().optional(), slack: z.string().optional() })
        .passthrough(),
      parents: z.array(z.string()).describe('Parent teams, nearest first'),
    })
    .passthrough();
}

/** `ScorecardRow`. */
export function scorecardRowSchema(z: Z) {
  return z
    .object({
      entityRef: z.string(),
      title: z.string().optional(),
      kind: z.string(),
      type: z.string().optional(),
      lifecycle: z.string().optional(),
      system: z.string().optional(),
      owner: z
        .object({
          declared: z.string().nullable(),
          ref: z.string().nullable(),
          title: z.string().optional(),
          resolvedFrom: z
            .enum(['group', 'user', 'dangling', 'none'])
            .optional(),
        })
        .passthrough(),
      onCall: onCallSchema(z).nullable().optional(),
      score: z.number().nullable(),
      level: z.enum(LEVELS).nullable(),
      evaluatedAt: z.string().nullable(),
      failedChecks: z
        .array(z.string())
        .optional()
        .describe('Ids of the checks that fail'),
    })
    .passthrough();
}

const ENTITY_REF_DESCRIPTION =
  'Entity ref, e.g. component:default/payments-api (the kind defaults to component, the namespace to default)';

export const whoOwnsSchema = {
  input: (z: Z) =>
    z.object({
      query: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe(
          "Part of a service's name, title or repository (e.g. a repo URL or slug)",
        ),
      labels: z
        .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string().min(1))
        .optional()
        .describe(
          "An alert's labels, e.g. { job: 'payments-api' }: services whose annotations select every one of them",
        ),
    }),
  output: (z: Z): AnyZodObject =>
    z.object({
      items: z.array(
        z
          .object({
            entityRef: z.string(),
            title: z.string().optional(),
            owner: ownershipSchema(z),
            onCall: onCallSchema(z).nullable(),
          })
          .passthrough(),
      ),
    }),
};

export const whoIsOnCallSchema = {
  input: (z: Z) =>
    z.object({
      entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
      at: z
        .string()
        .optional()
        .describe(
          'ISO-8601 instant with a time zone, e.g. 2026-03-02T09:00:00Z; now when absent',
        ),
    }),
  output: (z: Z): AnyZodObject => onCallSchema(z),
};

export const getReadinessSchema = {
  input: (z: Z) =>
    z.object({
      entityRef: z.string().min(1).describe(ENTITY_REF_DESCRIPTION),
    }),
  output: (z: Z) =>
    z.object({
      score: z
        .number()
        .describe('0 to 100: the weighted share of checks that pass'),
      level: z.enum(LEVELS),
      failing: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          level: z.enum(CHECK_LEVELS),
          message: z.string().describe('Why the check fails'),
          remediation: z.string().optional().describe('How to fix it'),
        }),
      ),
      nextLevel: z
        .object({
          level: z.enum(CHECK_LEVELS),
          blocking: z
            .array(z.string())
            .describe(
              'Ids of the checks at that level or below that fail or are unknown',
            ),
        })
        .nullable()
        .describe('Null at gold, or when no check applies'),
    }),
};

export const listScorecardsSchema = {
  input: (z: Z) =>
    z.object({
      owner: z
        .union([z.string(), z.array(z.string()).min(1).max(100)])
        .optional()
        .describe(
          'The owning team or declared owner; a bare name means group:default/<name>. A list: services of any of them',
        ),
      level: z.enum(LEVELS).optional(),
      kind: z.string().optional().describe('Default: component'),
      type: z.string().optional(),
      lifecycle: z.string().optional(),
      q: z.string().optional().describe('Part of the entity ref or title'),
      failing: z
        .string()
        .optional()
        .describe('Only services failing this check id'),
      sort: z.enum(['name', 'owner', 'score', 'level']).optional(),
      order: z.enum(['asc', 'desc']).optional(),
      limit: z.number().int().min(1).max(500).optional().describe('Default 50'),
      cursor: z
        .string()
        .optional()
        .describe('The nextCursor of the previous page'),
    }),
  output: (z: Z): AnyZodObject =>
    z.object({
      items: z.array(scorecardRowSchema(z)),
      total: z.number(),
      nextCursor: z.string().optional(),
    }),
};
