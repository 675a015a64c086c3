import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Throws an InputError that names every field at fault. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(issue => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown ${what} ${issue.keys.map(k => `'${k}'`).join(', ')}`;
    }
    const field = issue.path.join('.') || what;
    return `${what} '${field}': ${issue.message}`;
  });
  throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
}

const refPart = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"');

export const entityParamsSchema = z.object({
  kind: refPart,
  namespace: refPart,
  name: refPart,
});

export const isoInstant = z
  .string()
  .refine(
    s =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(
        s,
      ) && !Number.isNaN(Date.parse(s)),
    'must be an ISO-8601 instant with a time zone, e.g. 2026-03-02T09:00:00Z',
  )
  .transform(s => new Date(s));

export const onCallQuerySchema = z
  .object({ at: isoInstant.optional() })
  .strict();

export const scorecardsQuerySchema = z
  .object({
    owner: z.string().min(1).optional(),
    level: z.enum(['none', 'bronze', 'silver', 'gold']).optional(),
    kind: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    lifecycle: z.string().min(1).optional(),
    q: z.string().max(200).optional(),
    sort: z.enum(['name', 'owner', 'score', 'level']).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    failing: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .regex(/^\d+$/, 'must be a cursor returned by a previous page')
      .optional(),
  })
  .strict();

export const shiftsQuerySchema = z
  .object({
    from: isoInstant.optional(),
    count: z.coerce.number().int().min(1).max(52).default(6),
  })
  .strict();

const whoOwnsBaseSchema = z
  .object({
    q: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * `?q=` and/or any number of `?label.<name>=<value>` (Prometheus label names).
 * At least one is required.
 */
export function parseWhoOwnsQuery(query: Record<string, unknown>): {
  q?: string;
  labels: Record<string, string>;
  limit: number;
} {
  const labels: Record<string, string> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith('label.')) {
      rest[key] = value;
      continue;
    }
    const name = key.slice('label.'.length);
    if (!LABEL_NAME.test(name)) {
      throw new InputError(
        `Invalid query parameter '${key}': '${name}' is not a Prometheus label name`,
      );
    }
    if (typeof value !== 'string' || value === '') {
      throw new InputError(
        `Invalid query parameter '${key}': must be given once, with a value`,
      );
    }
    labels[name] = value;
  }
  const base = parseInput(whoOwnsBaseSchema, rest, 'query parameter');
  if (!base.q && Object.keys(labels).length === 0) {
    throw new InputError(
      "Invalid query: give 'q' (a name, title or repository) or 'label.<name>' (an alert label)",
    );
  }
  return { ...base, labels };
}

export const historyQuerySchema = z
  .object({ from: isoInstant.optional(), to: isoInstant.optional() })
  .strict();

export const exemptionBodySchema = z
  .object({
    checkId: z.string().min(1).max(256),
    reason: z.string().trim().min(1, 'must say why').max(2000),
    expiresAt: isoInstant,
  })
  .strict();

export const refreshBodySchema = z
  .object({ entityRef: z.string().min(1).optional() })
  .strict();
