import { InputError } from '@backstage/errors';
import type { ErrorRequestHandler, RequestHandler } from 'express';
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
    // Query parameters are flat: an index is one of a repeated parameter's
    // values (`?owner=a&owner=b`), and the 400 names the parameter.
    const path =
      what === 'query parameter'
        ? issue.path.filter(part => typeof part !== 'number')
        : issue.path;
    const field = path.join('.') || what;
    return `${what} '${field}': ${issue.message}`;
  });
  throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
}

/**
 * A string on one line: no control characters (C0, DEL, C1). PostgreSQL
 * refuses NUL in text, and none of them belongs in a name or a filter.
 */
const line = z
  .string()
  .regex(/^\P{Cc}*$/u, 'must not contain control characters');

/** Free text: control characters but tab, line feed and carriage return. */
const text = z
  .string()
  .regex(
    /^[\P{Cc}\t\n\r]*$/u,
    'must not contain control characters other than tabs and line breaks',
  );

/**
 * A whole number written in plain decimal digits, as query parameters carry
 * them: no sign, exponent, hex, blanks or fraction (which `Number()` takes).
 */
function decimal(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

/** The largest offset a cursor may carry: past it, no list has rows. */
const MAX_CURSOR = 2 ** 31 - 1;

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

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The instant an ISO-8601 date-time with a time zone names, or undefined.
 * Strict: the date must exist in the calendar and the time on the clock, so
 * `2026-02-30` or `24:00` is refused instead of rolling over to the next day
 * or month as `Date.parse` does.
 */
export function parseIsoInstant(input: string): Date | undefined {
  const m = ISO_INSTANT.exec(input);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second = '0'] = m;
  const [sign, offsetHours = '0', offsetMinutes = '0'] = m.slice(7);
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const time = Date.parse(input);
  if (Number.isNaN(time)) return undefined;
  // Back to the wall clock of the given offset: the same fields, or no date.
  const offsetMs =
    (sign === '-' ? -1 : 1) *
    (Number(offsetHours) * 60 + Number(offsetMinutes)) *
    60_000;
  const wall = new Date(time + offsetMs);
  const roundTrips =
    wall.getUTCFullYear() === Number(year) &&
    wall.getUTCMonth() + 1 === Number(month) &&
    wall.getUTCDate() === Number(day) &&
    wall.getUTCHours() === Number(hour) &&
    wall.getUTCMinutes() === Number(minute) &&
    wall.getUTCSeconds() === Number(second);
  return roundTrips ? new Date(time) : undefined;
}

export const isoInstant = z
  .string()
  .refine(
    s => parseIsoInstant(s) !== undefined,
    'must be an ISO-8601 instant with a time zone, on a date and time that exist, e.g. 2026-03-02T09:00:00Z',
  )
  .transform(s => parseIsoInstant(s)!);

export const onCallQuerySchema = z
  .object({ at: isoInstant.optional() })
  .strict();

/** The most owners one `owner` filter of `/v1/scorecards` takes. */
export const MAX_OWNERS = 100;

const oneOwner = line.min(1).max(1024);

/** `?owner=a`, or `?owner=a&owner=b` for any of them. */
const owners = z.union([oneOwner, z.array(oneOwner).min(1).max(MAX_OWNERS)], {
  error: `must be an owner, or a list of 1 to ${MAX_OWNERS} owners`,
});

export const scorecardsQuerySchema = z
  .object({
    owner: owners.optional(),
    level: z.enum(['none', 'bronze', 'silver', 'gold']).optional(),
    kind: line.min(1).max(1024).optional(),
    type: line.min(1).max(1024).optional(),
    lifecycle: line.min(1).max(1024).optional(),
    q: line.max(200).optional(),
    sort: z.enum(['name', 'owner', 'score', 'level']).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    failing: line.min(1).max(1024).optional(),
    limit: decimal(1, 500).default(50),
    // The offset of the page, as a previous page's `nextCursor` says it. One
    // past the last row is an empty page; past any possible row, a 400.
    cursor: z
      .string()
      .regex(/^\d{1,10}$/, 'must be a cursor returned by a previous page')
      .transform(Number)
      .pipe(
        z
          .number()
          .max(MAX_CURSOR, 'must be a cursor returned by a previous page'),
      )
      .optional(),
  })
  .strict();

/** `GET /v1/scorecards.csv`: the filters and sort of `/v1/scorecards`, every page. */
export const scorecardsCsvQuerySchema = scorecardsQuerySchema
  .omit({ limit: true, cursor: true })
  .strict();

/** `GET /v1/teams.csv` takes no query. */
export const teamsCsvQuerySchema = z.object({}).strict();

/** `GET …/on-call/shifts.ics`: how many weeks ahead (default 8, at most a year). */
export const shiftsIcsQuerySchema = z
  .object({ weeks: decimal(1, 52).default(8) })
  .strict();

export const shiftsQuerySchema = z
  .object({
    from: isoInstant.optional(),
    count: decimal(1, 52).default(6),
  })
  .strict();

const whoOwnsBaseSchema = z
  .object({
    q: line.trim().min(1).max(200).optional(),
    limit: decimal(1, 100).default(20),
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
    if (!line.safeParse(value).success) {
      throw new InputError(
        `Invalid query parameter '${key}': must not contain control characters`,
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
    checkId: line.min(1).max(256),
    reason: text.trim().min(1, 'must say why').max(2000),
    expiresAt: isoInstant,
  })
  .strict();

/** The exemption of `DELETE …/exemptions/:id`: ids are ours (UUIDs), so short and plain. */
export const exemptionIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'must be an exemption id'),
});

const ENTITY_REF =
  /^[A-Za-z0-9._-]{1,253}:(?:[A-Za-z0-9._-]{1,253}\/)?[A-Za-z0-9._-]{1,253}$/;

export const refreshBodySchema = z
  .object({
    entityRef: z
      .string()
      .regex(
        ENTITY_REF,
        'must be an entity ref, kind:namespace/name or kind:name',
      )
      .optional(),
  })
  .strict();

/** What a request body that is not a JSON object is, for the 400 that says so. */
function notAnObject(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Goes right after `express.json()`. A body the parser refused (malformed
 * JSON, or `null`, a number or a string, which the strict parser refuses),
 * an array, or a body of a POST, PUT or PATCH that is not JSON at all: a 400
 * (`InputError`) that says what is wrong with the body, never the parser's
 * message.
 */
export const jsonObjectBody: [ErrorRequestHandler, RequestHandler] = [
  (error, _req, _res, next) => {
    if (error?.type !== 'entity.parse.failed') {
      next(error);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(error.body));
    } catch {
      next(new InputError('Invalid body: not valid JSON'));
      return;
    }
    next(
      new InputError(
        `Invalid body: must be a JSON object, not ${notAnObject(parsed)}`,
      ),
    );
  },
  (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length']) > 0;
    if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(req.method)) {
      next();
    } else if (!req.is('application/json')) {
      next(
        new InputError(
          'Invalid body: must be a JSON object, sent as Content-Type: application/json',
        ),
      );
    } else if (
      typeof req.body !== 'object' ||
      req.body === null ||
      Array.isArray(req.body)
    ) {
      next(
        new InputError(
          `Invalid body: must be a JSON object, not ${notAnObject(req.body)}`,
        ),
      );
    } else {
      next();
    }
  },
];

/** `GET /v1/campaigns/:id…`: a campaign id as config allows it. */
export const campaignIdParamsSchema = z.object({
  id: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,63}$/,
      "must be a campaign id: lower-case letters, digits and '-'",
    ),
});

/** The query of `GET /v1/campaigns` (none). */
export const campaignsQuerySchema = z.object({}).strict();

/** The query of `GET /v1/campaigns/:id/services`. */
export const campaignServicesQuerySchema = z
  .object({
    owner: line.min(1).max(1024).optional(),
    done: z
      .enum(['true', 'false'], "must be 'true' or 'false'")
      .transform(v => v === 'true')
      .optional(),
    limit: decimal(1, 500).default(50),
    cursor: z
      .string()
      .regex(/^\d{1,10}$/, 'must be a cursor returned by a previous page')
      .transform(Number)
      .pipe(
        z
          .number()
          .max(MAX_CURSOR, 'must be a cursor returned by a previous page'),
      )
      .optional(),
  })
  .strict();
