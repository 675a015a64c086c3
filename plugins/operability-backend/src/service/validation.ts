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
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z
      .string()
      .regex(/^\d+$/, 'must be a cursor returned by a previous page')
      .optional(),
  })
  .strict();
