/**
 * The REST API of the operability backend (`/api/operability`), written by
 * hand: the one description of its routes, parameters, bodies and answers.
 * The routers are built from it with `createValidatedOpenApiRouter`, which
 * validates each request against it and types the handlers, and serve it at
 * `/api/operability/openapi.json`. The wire types it describes live in
 * `@opsready/plugin-operability-common`.
 *
 * Query parameters are strings on the wire and described as such: numbers
 * as plain decimal digits, instants as ISO-8601 with a time zone. The
 * routers' zod schemas check what a pattern cannot (ranges, dates that exist
 * in the calendar, a window's ends in order) and turn them into values.
 */

/** One line of text: no control characters (C0, DEL, C1). */
export const LINE_PATTERN = '^\\P{Cc}*$';
/** A whole number in decimal digits: no sign, exponent, hex, blanks or fraction. */
export const DECIMAL_PATTERN = '^\\d{1,9}$';
/** A cursor as a previous page's `nextCursor` says it. */
export const CURSOR_PATTERN = '^\\d{1,10}$';
/** An ISO-8601 date-time with a time zone, e.g. 2026-03-02T09:00:00Z. */
export const INSTANT_PATTERN =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:?\\d{2})$';
/** A part of an entity ref: kind, namespace or name. */
export const REF_PART_PATTERN = '^[A-Za-z0-9._-]+$';
/** An entity ref, `kind:namespace/name` or `kind:name`. */
export const ENTITY_REF_PATTERN =
  '^[A-Za-z0-9._-]{1,253}:(?:[A-Za-z0-9._-]{1,253}\\/)?[A-Za-z0-9._-]{1,253}$';
/** A campaign id as `operability.campaigns` allows it. */
export const CAMPAIGN_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';

/** What each pattern means, for the 400 that names a field failing one. */
export const PATTERN_MEANINGS: Record<string, string> = {
  [LINE_PATTERN]: 'must not contain control characters',
  [DECIMAL_PATTERN]: 'must be a whole number in decimal digits',
  [CURSOR_PATTERN]: 'must be a cursor returned by a previous page',
  [INSTANT_PATTERN]:
    'must be an ISO-8601 instant with a time zone, e.g. 2026-03-02T09:00:00Z',
  [REF_PART_PATTERN]: 'must be letters, digits, ".", "_" or "-"',
  [ENTITY_REF_PATTERN]:
    'must be an entity ref, kind:namespace/name or kind:name',
  [CAMPAIGN_ID_PATTERN]:
    "must be a campaign id: lower-case letters, digits and '-'",
};

const ref = <const Name extends string>(name: Name) =>
  ({ $ref: `#/components/schemas/${name}` } as const);
const param = <const Name extends string>(name: Name) =>
  ({ $ref: `#/components/parameters/${name}` } as const);
const json = <const Schema>(description: string, schema: Schema) =>
  ({ description, content: { 'application/json': { schema } } } as const);
const list = <const Schema>(description: string, items: Schema) =>
  json(description, {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: { items: { type: 'array', items } },
  } as const);
const page = <const Schema>(description: string, items: Schema) =>
  json(description, {
    type: 'object',
    additionalProperties: false,
    required: ['items', 'total'],
    properties: {
      items: { type: 'array', items },
      total: { type: 'integer', minimum: 0 },
      nextCursor: {
        type: 'string',
        description:
          'Give it as `cursor` for the next page; absent on the last.',
      },
    },
  } as const);

const nullable = <const Schema>(schema: Schema) =>
  ({ oneOf: [schema, { type: 'null' }] } as const);

const line = (maxLength: number, description: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: LINE_PATTERN,
    description,
  } as const);

/**
 * The `owner` filter of the scorecards: `?owner=a`, or `?owner=a&owner=b`
 * for the services of any of them (at most 100).
 */
const ownersQuery = (description: string) =>
  ({
    in: 'query',
    allowReserved: true,
    name: 'owner',
    required: false,
    style: 'form',
    explode: true,
    description,
    schema: {
      type: 'array',
      items: line(1024, 'An owner.'),
      minItems: 1,
      maxItems: 100,
    },
  } as const);

const instantQuery = <const Name extends string>(
  name: Name,
  description: string,
) =>
  ({
    in: 'query',
    allowReserved: true,
    name,
    required: false,
    description,
    schema: { type: 'string', pattern: INSTANT_PATTERN },
  } as const);

const decimalQuery = <const Name extends string>(
  name: Name,
  min: number,
  max: number,
  fallback: number,
  description: string,
) =>
  ({
    in: 'query',
    allowReserved: true,
    name,
    required: false,
    description: `${description} A whole number from ${min} to ${max} in decimal digits; default ${fallback}.`,
    schema: { type: 'string', pattern: DECIMAL_PATTERN },
  } as const);

const cursorQuery = {
  in: 'query',
  allowReserved: true,
  name: 'cursor',
  required: false,
  description: "A previous page's `nextCursor`.",
  schema: { type: 'string', pattern: CURSOR_PATTERN },
} as const;

const entityPath = [param('kind'), param('namespace'), param('name')] as const;

const errors = {
  '400': { $ref: '#/components/responses/ErrorResponse' },
  '401': { $ref: '#/components/responses/ErrorResponse' },
  '403': { $ref: '#/components/responses/ErrorResponse' },
  '404': { $ref: '#/components/responses/ErrorResponse' },
} as const;

const level = {
  type: 'string',
  enum: ['none', 'bronze', 'silver', 'gold'],
} as const;
const checkLevel = {
  type: 'string',
  enum: ['bronze', 'silver', 'gold'],
} as const;
const instant = { type: 'string', description: 'ISO-8601 instant.' } as const;
const day = { type: 'string', description: '`YYYY-MM-DD` (UTC).' } as const;
const checkRef = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title'],
  properties: { id: { type: 'string' }, title: { type: 'string' } },
} as const;

/** What every hand-off report carries (`HandoffReport`). */
const handoffReportRequired = [
  'scheduleRef',
  'at',
  'timeZone',
  'incoming',
  'lastShift',
  'pages',
  'regressions',
  'notReady',
  'services',
] as const;
const handoffReportProperties = {
  scheduleRef: { type: 'string' },
  at: instant,
  timeZone: { type: 'string' },
  incoming: {
    type: 'object',
    additionalProperties: false,
    required: ['primary', 'secondary', 'until'],
    properties: {
      primary: ref('Person'),
      secondary: nullable(ref('Person')),
      until: { type: ['string', 'null'] },
    },
  },
  lastShift: nullable({
    type: 'object',
    additionalProperties: false,
    required: ['primary', 'start', 'end'],
    properties: {
      primary: ref('Person'),
      start: instant,
      end: instant,
    },
  }),
  pages: nullable({
    type: 'object',
    additionalProperties: false,
    required: ['total', 'offHours', 'items'],
    properties: {
      total: { type: 'integer' },
      offHours: { type: 'integer' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['at', 'title', 'source', 'entityRef', 'offHours'],
          properties: {
            at: instant,
            title: { type: 'string' },
            source: { type: 'string' },
            entityRef: { type: 'string' },
            offHours: { type: 'boolean' },
          },
        },
      },
    },
  }),
  regressions: {
    type: 'object',
    additionalProperties: false,
    required: ['since', 'items'],
    properties: {
      since: instant,
      items: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['entityRef', 'checks', 'level'],
          properties: {
            entityRef: { type: 'string' },
            title: { type: 'string' },
            checks: { type: 'array', items: checkRef },
            level: {
              type: 'object',
              additionalProperties: false,
              required: ['before', 'after'],
              properties: { before: level, after: level },
            },
          },
        },
      },
    },
  },
  notReady: {
    type: 'object',
    additionalProperties: false,
    required: ['target', 'items'],
    properties: {
      target: level,
      items: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['entityRef', 'level', 'blocking'],
          properties: {
            entityRef: { type: 'string' },
            title: { type: 'string' },
            level: { oneOf: [level, { type: 'null' }] },
            blocking: { type: 'array', items: checkRef },
          },
        },
      },
    },
  },
  services: { type: 'integer' },
} as const;

/** What every campaign carries (`CampaignSummary`). */
const campaignRequired = [
  'id',
  'title',
  'start',
  'deadline',
  'state',
  'target',
  'total',
  'done',
] as const;
const campaignProperties = {
  id: { type: 'string' },
  title: { type: 'string' },
  description: { type: 'string' },
  start: day,
  deadline: day,
  state: { type: 'string', enum: ['upcoming', 'active', 'ended'] },
  target: {
    oneOf: [
      {
        type: 'object',
        additionalProperties: false,
        required: ['checks'],
        properties: {
          checks: { type: 'array', items: { type: 'string' } },
        },
      },
      {
        type: 'object',
        additionalProperties: false,
        required: ['level'],
        properties: { level: checkLevel },
      },
    ],
  },
  total: { type: 'integer' },
  done: { type: 'integer' },
} as const;

/** The filters and sort of `/v1/scorecards`, which its CSV export takes too. */
const scorecardsFilters = [
  {
    in: 'query',
    allowReserved: true,
    name: 'level',
    required: false,
    schema: level,
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'kind',
    required: false,
    description: 'Default `component`.',
    schema: line(1024, 'A kind.'),
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'type',
    required: false,
    schema: line(1024, 'A spec.type.'),
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'lifecycle',
    required: false,
    schema: line(1024, 'A spec.lifecycle.'),
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'q',
    required: false,
    allowEmptyValue: true,
    description: 'Part of the entity ref or title, any case.',
    schema: { type: 'string', maxLength: 200, pattern: LINE_PATTERN },
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'failing',
    required: false,
    description: 'Only services failing this check id.',
    schema: line(1024, 'A check id.'),
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'sort',
    required: false,
    description: 'Default `name`.',
    schema: {
      type: 'string',
      enum: ['name', 'owner', 'score', 'level'],
    },
  },
  {
    in: 'query',
    allowReserved: true,
    name: 'order',
    required: false,
    description: 'Default `asc`.',
    schema: { type: 'string', enum: ['asc', 'desc'] },
  },
] as const;

/** @public */
export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'operability',
    version: '1',
    description:
      'Ownership, on-call and operational readiness of the catalog. Errors are Backstage error bodies: `{ "error": { "name", "message" } }`; a 400 names the field at fault.',
    license: { name: 'Apache-2.0' },
  },
  servers: [{ url: '/' }],
  components: {
    parameters: {
      kind: {
        in: 'path',
        name: 'kind',
        required: true,
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 253,
          pattern: REF_PART_PATTERN,
        },
      },
      namespace: {
        in: 'path',
        name: 'namespace',
        required: true,
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 253,
          pattern: REF_PART_PATTERN,
        },
      },
      name: {
        in: 'path',
        name: 'name',
        required: true,
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 253,
          pattern: REF_PART_PATTERN,
        },
      },
      campaignId: {
        in: 'path',
        name: 'id',
        required: true,
        schema: { type: 'string', pattern: CAMPAIGN_ID_PATTERN },
      },
    },
    responses: {
      ErrorResponse: json('A Backstage error body.', ref('Error')),
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: {
              name: { type: 'string' },
              message: { type: 'string' },
            },
          },
          request: { type: 'object' },
          response: { type: 'object' },
        },
      },
      Person: {
        type: 'object',
        additionalProperties: false,
        required: ['ref'],
        properties: {
          ref: { type: 'string' },
          title: { type: 'string' },
          email: { type: 'string' },
        },
      },
      Ownership: {
        type: 'object',
        additionalProperties: false,
        description:
          'Who owns an entity: the declared owner and the team it resolves to.',
        required: ['declared', 'ref', 'members', 'contacts', 'parents'],
        properties: {
          declared: { type: ['string', 'null'] },
          ref: { type: ['string', 'null'] },
          title: { type: 'string' },
          resolvedFrom: {
            type: 'string',
            enum: ['group', 'user', 'dangling', 'none'],
          },
          members: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['ref', 'direct'],
              properties: {
                ref: { type: 'string' },
                title: { type: 'string' },
                email: { type: 'string' },
                direct: { type: 'boolean' },
              },
            },
          },
          contacts: {
            type: 'object',
            additionalProperties: false,
            properties: {
              email: { type: 'string' },
              slack: { type: 'string' },
            },
          },
          parents: { type: 'array', items: { type: 'string' } },
        },
      },
      StaleMark: {
        type: 'object',
        additionalProperties: false,
        required: ['since', 'reason'],
        properties: { since: instant, reason: { type: 'string' } },
      },
      OnCall: {
        type: 'object',
        additionalProperties: false,
        required: [
          'source',
          'primary',
          'secondary',
          'shadows',
          'until',
          'status',
          'asOf',
        ],
        properties: {
          source: {
            type: 'string',
            description: '`schedule`, `pagerduty`, or another provider id.',
          },
          scheduleRef: { type: 'string' },
          inheritedFrom: { type: 'string' },
          primary: nullable(ref('Person')),
          secondary: nullable(ref('Person')),
          shadows: { type: 'array', items: ref('Person') },
          until: { type: ['string', 'null'] },
          status: { type: 'string', enum: ['ok', 'unknown', 'none'] },
          reason: { type: 'string' },
          asOf: instant,
          stale: ref('StaleMark'),
          links: {
            type: 'object',
            additionalProperties: false,
            description:
              'The source’s own web pages (PagerDuty: the service, its escalation policy, the primary’s schedule).',
            properties: {
              service: { type: 'string' },
              escalationPolicy: { type: 'string' },
              schedule: { type: 'string' },
            },
          },
        },
      },
      CheckResult: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'title',
          'category',
          'level',
          'weight',
          'status',
          'message',
          'evidence',
        ],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          category: { type: 'string' },
          level: checkLevel,
          weight: { type: 'number' },
          status: {
            type: 'string',
            enum: ['pass', 'fail', 'unknown', 'exempt', 'not-applicable'],
          },
          message: { type: 'string' },
          remediation: { type: 'string' },
          evidence: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['kind', 'text'],
              properties: {
                kind: { type: 'string' },
                text: { type: 'string' },
                source: { type: 'string' },
              },
            },
          },
          exemption: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'reason', 'author', 'expiresAt'],
            properties: {
              id: { type: 'string' },
              reason: { type: 'string' },
              author: { type: 'string' },
              expiresAt: instant,
            },
          },
          stale: ref('StaleMark'),
          upcoming: { const: true },
          enforcedFrom: day,
        },
      },
      Readiness: {
        type: 'object',
        additionalProperties: false,
        required: ['score', 'level', 'evaluatedAt', 'checks'],
        properties: {
          score: { type: 'number' },
          level,
          evaluatedAt: instant,
          checks: { type: 'array', items: ref('CheckResult') },
          problems: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['provider', 'message'],
              properties: {
                provider: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
      EntityCampaign: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'title', 'deadline', 'done', 'failing'],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          deadline: day,
          done: { type: 'boolean' },
          failing: { type: 'array', items: { type: 'string' } },
        },
      },
      EntityReport: {
        type: 'object',
        additionalProperties: false,
        required: ['entityRef', 'owner', 'onCall', 'readiness'],
        properties: {
          entityRef: { type: 'string' },
          title: { type: 'string' },
          owner: ref('Ownership'),
          onCall: nullable(ref('OnCall')),
          readiness: nullable(ref('Readiness')),
          campaigns: { type: 'array', items: ref('EntityCampaign') },
        },
      },
      ScorecardRow: {
        type: 'object',
        additionalProperties: false,
        required: [
          'entityRef',
          'kind',
          'owner',
          'score',
          'level',
          'evaluatedAt',
        ],
        properties: {
          entityRef: { type: 'string' },
          title: { type: 'string' },
          kind: { type: 'string' },
          type: { type: 'string' },
          lifecycle: { type: 'string' },
          system: { type: 'string' },
          owner: {
            type: 'object',
            additionalProperties: false,
            required: ['declared', 'ref'],
            properties: {
              declared: { type: ['string', 'null'] },
              ref: { type: ['string', 'null'] },
              title: { type: 'string' },
              resolvedFrom: {
                type: 'string',
                enum: ['group', 'user', 'dangling', 'none'],
              },
            },
          },
          onCall: nullable(ref('OnCall')),
          score: { type: ['number', 'null'] },
          level: { oneOf: [level, { type: 'null' }] },
          evaluatedAt: { type: ['string', 'null'] },
          failedChecks: { type: 'array', items: { type: 'string' } },
        },
      },
      WhoOwnsResult: {
        type: 'object',
        additionalProperties: false,
        required: ['entityRef', 'owner', 'onCall'],
        properties: {
          entityRef: { type: 'string' },
          title: { type: 'string' },
          owner: ref('Ownership'),
          onCall: nullable(ref('OnCall')),
        },
      },
      TeamRollup: {
        type: 'object',
        additionalProperties: false,
        required: [
          'ref',
          'services',
          'averageScore',
          'levels',
          'mostFailedChecks',
        ],
        properties: {
          ref: { type: 'string' },
          title: { type: 'string' },
          services: { type: 'integer' },
          averageScore: { type: 'number' },
          levels: {
            type: 'object',
            additionalProperties: false,
            required: ['none', 'bronze', 'silver', 'gold'],
            properties: {
              none: { type: 'integer' },
              bronze: { type: 'integer' },
              silver: { type: 'integer' },
              gold: { type: 'integer' },
            },
          },
          mostFailedChecks: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['id', 'failing'],
              properties: {
                id: { type: 'string' },
                failing: { type: 'integer' },
              },
            },
          },
        },
      },
      CheckDescription: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'title',
          'category',
          'level',
          'rank',
          'weight',
          'description',
          'remediation',
        ],
        properties: {
          id: { type: 'string' },
          title: { type: 'string' },
          category: { type: 'string' },
          level: checkLevel,
          rank: {
            type: 'integer',
            enum: [1, 2, 3],
            description:
              'Tech Insights maturity rank: 1 bronze, 2 silver, 3 gold.',
          },
          weight: { type: 'number' },
          description: { type: 'string' },
          remediation: { type: 'string' },
          filter: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
          evaluator: { type: 'string' },
          condition: { description: 'The check condition, as configured.' },
          enforcedFrom: day,
        },
      },
      CatalogStamp: {
        type: 'object',
        additionalProperties: false,
        required: ['entityRef', 'score', 'level', 'ownerTeam'],
        properties: {
          entityRef: { type: 'string' },
          score: { type: 'number' },
          level,
          ownerTeam: { type: ['string', 'null'] },
          onCallSchedule: { type: 'string' },
          onCallInheritedFrom: { type: 'string' },
        },
      },
      OnCallShifts: {
        type: 'object',
        additionalProperties: false,
        required: ['scheduleRef', 'shifts'],
        properties: {
          scheduleRef: { type: 'string' },
          shifts: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['role', 'person', 'start', 'end', 'override'],
              properties: {
                role: {
                  type: 'string',
                  enum: ['primary', 'secondary', 'shadow'],
                },
                person: ref('Person'),
                start: instant,
                end: instant,
                override: { type: 'boolean' },
              },
            },
          },
        },
      },
      OnCallLoad: {
        type: 'object',
        additionalProperties: false,
        required: [
          'from',
          'to',
          'timeZone',
          'pages',
          'shifts',
          'people',
          'busiestShare',
        ],
        properties: {
          from: instant,
          to: instant,
          timeZone: { type: 'string' },
          pages: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['at', 'title', 'source', 'primary', 'offHours'],
              properties: {
                at: instant,
                title: { type: 'string' },
                source: { type: 'string' },
                primary: nullable(ref('Person')),
                offHours: { type: 'boolean' },
              },
            },
          },
          shifts: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['start', 'end', 'primary', 'pages', 'offHoursPages'],
              properties: {
                start: instant,
                end: instant,
                primary: nullable(ref('Person')),
                pages: { type: 'integer' },
                offHoursPages: { type: 'integer' },
              },
            },
          },
          people: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['person', 'shifts', 'pages', 'offHoursPages'],
              properties: {
                person: ref('Person'),
                shifts: { type: 'integer' },
                pages: { type: 'integer' },
                offHoursPages: { type: 'integer' },
              },
            },
          },
          busiestShare: { type: 'number', minimum: 0, maximum: 1 },
          mtta: { type: 'number', description: 'Seconds.' },
          mttr: { type: 'number', description: 'Seconds.' },
        },
      },
      HandoffReport: {
        type: 'object',
        additionalProperties: false,
        required: handoffReportRequired,
        properties: handoffReportProperties,
      },
      HistoryPoint: {
        type: 'object',
        additionalProperties: false,
        required: ['time', 'score', 'level'],
        properties: { time: instant, score: { type: 'number' }, level },
      },
      Exemption: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'entityRef',
          'checkId',
          'reason',
          'author',
          'expiresAt',
        ],
        properties: {
          id: { type: 'string' },
          entityRef: { type: 'string' },
          checkId: { type: 'string' },
          reason: { type: 'string' },
          author: {
            type: 'string',
            description: 'The user entity ref of who added it.',
          },
          expiresAt: instant,
        },
      },
      CampaignSummary: {
        type: 'object',
        additionalProperties: false,
        required: campaignRequired,
        properties: campaignProperties,
      },
      CampaignDetail: {
        type: 'object',
        additionalProperties: false,
        required: [...campaignRequired, 'teams', 'burndown'],
        properties: {
          ...campaignProperties,
          teams: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['ref', 'total', 'done'],
              properties: {
                ref: { type: 'string' },
                title: { type: 'string' },
                total: { type: 'integer' },
                done: { type: 'integer' },
              },
            },
          },
          burndown: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['date', 'remaining'],
              properties: { date: day, remaining: { type: 'integer' } },
            },
          },
        },
      },
      CampaignServiceItem: {
        type: 'object',
        additionalProperties: false,
        required: ['entityRef', 'owner', 'done', 'failing'],
        properties: {
          entityRef: { type: 'string' },
          owner: { type: ['string', 'null'] },
          done: { type: 'boolean' },
          failing: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
  paths: {
    '/openapi.json': {
      get: {
        operationId: 'GetOpenApiSpec',
        description: 'This document, with paths under the plugin base URL.',
        responses: {
          '200': json('The OpenAPI document.', { type: 'object' }),
        },
      },
    },
    '/health': {
      get: {
        operationId: 'GetHealth',
        description: 'Liveness; needs no credentials.',
        responses: {
          '200': json('Up.', {
            type: 'object',
            additionalProperties: false,
            required: ['status'],
            properties: { status: { const: 'ok' } },
          }),
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}': {
      get: {
        operationId: 'GetEntityReport',
        description:
          'Owner, on-call and readiness of one entity, read with the caller’s credentials (a 404 when they may not).',
        parameters: [...entityPath],
        responses: {
          '200': json('The entity report.', ref('EntityReport')),
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/on-call': {
      get: {
        operationId: 'GetOnCall',
        description: 'Who is on call for the entity, now or at an instant.',
        parameters: [
          ...entityPath,
          instantQuery('at', 'The instant to answer for; default now.'),
        ],
        responses: {
          '200': json('On call at that instant.', ref('OnCall')),
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/on-call/shifts': {
      get: {
        operationId: 'GetOnCallShifts',
        description:
          'The next shifts of the Schedule that covers the entity (its own, its System’s or its team’s).',
        parameters: [
          ...entityPath,
          instantQuery('from', 'Shifts from this instant; default now.'),
          decimalQuery('count', 1, 52, 6, 'Shifts per role.'),
        ],
        responses: {
          '200': json('The next shifts.', ref('OnCallShifts')),
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/on-call/shifts.ics': {
      get: {
        operationId: 'GetOnCallShiftsCalendar',
        description:
          'The next shifts as an iCalendar file: one VEVENT per primary and secondary shift, times in UTC with the schedule’s zone named.',
        parameters: [
          ...entityPath,
          decimalQuery('weeks', 1, 52, 8, 'Weeks ahead.'),
        ],
        responses: {
          '200': {
            description:
              'An iCalendar file (a `Content-Disposition` names it).',
            content: { 'text/calendar': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/on-call/handoffs': {
      get: {
        operationId: 'GetHandoffReports',
        description:
          'The stored hand-off reports of the Schedule that covers the entity in [from, to), newest first (at most 500; a window of at most 366 days).',
        parameters: [
          ...entityPath,
          instantQuery('from', 'Default 28 days before `to`.'),
          instantQuery('to', 'Default now.'),
        ],
        responses: {
          '200': json('The reports.', {
            type: 'object',
            additionalProperties: false,
            required: ['scheduleRef', 'from', 'to', 'items'],
            properties: {
              scheduleRef: { type: 'string' },
              from: instant,
              to: instant,
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: [...handoffReportRequired, 'notifiedAt'],
                  properties: {
                    ...handoffReportProperties,
                    notifiedAt: { type: ['string', 'null'] },
                  },
                },
              },
            },
          }),
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/on-call/load': {
      get: {
        operationId: 'GetOnCallLoad',
        description:
          'The pages of the entity in [from, to), each attributed to whoever was primary, with the shifts and people (a window of at most 366 days).',
        parameters: [
          ...entityPath,
          instantQuery('from', 'Default the configured window before `to`.'),
          instantQuery('to', 'Default now.'),
        ],
        responses: {
          '200': json('The on-call load.', ref('OnCallLoad')),
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/history': {
      get: {
        operationId: 'GetHistory',
        description: 'Score and level over time; default the last 90 days.',
        parameters: [
          ...entityPath,
          instantQuery('from', 'Default 90 days before `to`.'),
          instantQuery('to', 'Default now.'),
        ],
        responses: {
          '200': list('The points, oldest first.', ref('HistoryPoint')),
          ...errors,
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/exemptions': {
      get: {
        operationId: 'ListExemptions',
        parameters: [...entityPath],
        responses: {
          '200': list('The exemptions of the entity.', ref('Exemption')),
          ...errors,
        },
      },
      post: {
        operationId: 'CreateExemption',
        description:
          'Exempts one check of the entity until an instant (needs `operability.exemption.create`); the entity is re-evaluated at once.',
        parameters: [...entityPath],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['checkId', 'reason', 'expiresAt'],
                additionalProperties: false,
                properties: {
                  checkId: line(256, 'A check id of the rubric.'),
                  reason: {
                    type: 'string',
                    maxLength: 2000,
                    pattern: '^[\\P{Cc}\\t\\n\\r]*$',
                    description:
                      'Why; line breaks and tabs allowed, no other control characters.',
                  },
                  expiresAt: {
                    type: 'string',
                    pattern: INSTANT_PATTERN,
                    description: 'An instant in the future.',
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': json('The exemption.', ref('Exemption')),
          ...errors,
          '409': { $ref: '#/components/responses/ErrorResponse' },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/exemptions/{id}': {
      delete: {
        operationId: 'DeleteExemption',
        description:
          'Removes an exemption (needs `operability.exemption.delete`).',
        parameters: [
          ...entityPath,
          {
            in: 'path',
            name: 'id',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              pattern: REF_PART_PATTERN,
            },
          },
        ],
        responses: { '204': { description: 'Removed.' }, ...errors },
      },
    },
    '/v1/who-owns': {
      get: {
        operationId: 'WhoOwns',
        description:
          'Entities matching a text or alert labels, with owner and on-call. Give `q`, or any number of `label.<name>=<value>` query parameters (Prometheus label names, e.g. `label.job=ledger`), or both.',
        'x-eov-allow-unknown-query-parameters': true,
        parameters: [
          {
            in: 'query',
            allowReserved: true,
            name: 'q',
            required: false,
            description: 'Part of a name, title or repository.',
            schema: line(200, 'Text to look for.'),
          },
          decimalQuery('limit', 1, 100, 20, 'Results.'),
        ],
        responses: {
          '200': json('The matches.', {
            type: 'object',
            additionalProperties: false,
            required: ['items', 'total'],
            properties: {
              items: { type: 'array', items: ref('WhoOwnsResult') },
              total: { type: 'integer' },
            },
          }),
          ...errors,
        },
      },
    },
    '/v1/scorecards': {
      get: {
        operationId: 'ListScorecards',
        description:
          'A page of scored entities the caller may read, filtered and sorted.',
        parameters: [
          ownersQuery(
            'The owning team or declared owner; a bare name means `group:default/<name>`. Repeat it (`?owner=a&owner=b`) for the services of any of them.',
          ),
          ...scorecardsFilters,
          decimalQuery('limit', 1, 500, 50, 'Rows per page.'),
          cursorQuery,
        ],
        responses: {
          '200': page('A page of rows.', ref('ScorecardRow')),
          ...errors,
        },
      },
    },
    '/v1/scorecards.csv': {
      get: {
        operationId: 'ExportScorecards',
        description:
          'Every row of `/v1/scorecards` for its filters and sort, as CSV: entity ref, title, owner, on-call primary, score, level, failing check ids.',
        parameters: [
          ownersQuery(
            'As for `/v1/scorecards`: one owner, or several (`?owner=a&owner=b`) for any of them.',
          ),
          ...scorecardsFilters,
        ],
        responses: {
          '200': {
            description:
              '`text/csv; charset=utf-8`, with a `Content-Disposition` file name.',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    },
    '/v1/teams': {
      get: {
        operationId: 'ListTeams',
        description:
          'Each owning team’s roll-up, of the services the caller may read.',
        responses: {
          '200': list('The teams.', ref('TeamRollup')),
          ...errors,
        },
      },
    },
    '/v1/teams.csv': {
      get: {
        operationId: 'ExportTeams',
        description: 'The team roll-up as CSV.',
        responses: {
          '200': {
            description:
              '`text/csv; charset=utf-8`, with a `Content-Disposition` file name.',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    },
    '/v1/checks': {
      get: {
        operationId: 'ListChecks',
        description: 'The checks of the rubric in force.',
        responses: {
          '200': list('The checks.', ref('CheckDescription')),
          ...errors,
        },
      },
    },
    '/v1/catalog-stamps': {
      get: {
        operationId: 'ListCatalogStamps',
        description:
          'Score, level, team and schedule of every evaluated entity, for the catalog module; service credentials only.',
        responses: {
          '200': list('The stamps.', ref('CatalogStamp')),
          ...errors,
        },
      },
    },
    '/v1/refresh': {
      post: {
        operationId: 'Refresh',
        description:
          'Re-evaluates one entity now (`entityRef`), or asks for a cycle over the whole catalog (no body); needs `operability.refresh`.',
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  entityRef: {
                    type: 'string',
                    pattern: ENTITY_REF_PATTERN,
                    description: '`kind:namespace/name` or `kind:name`.',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': json('The entity, evaluated.', {
            type: 'object',
            additionalProperties: false,
            required: ['status', 'entityRef'],
            properties: {
              status: { const: 'evaluated' },
              entityRef: { type: 'string' },
              score: { type: 'number' },
              level,
              evaluatedAt: instant,
            },
          }),
          '202': json('A cycle was asked for.', {
            type: 'object',
            additionalProperties: false,
            required: ['status'],
            properties: {
              status: {
                type: 'string',
                enum: ['scheduled', 'already-running'],
              },
              message: { type: 'string' },
            },
          }),
          ...errors,
        },
      },
    },
    '/v1/campaigns': {
      get: {
        operationId: 'ListCampaigns',
        description:
          'The campaigns, with progress over the services the caller may read.',
        responses: {
          '200': list('The campaigns.', ref('CampaignSummary')),
          ...errors,
        },
      },
    },
    '/v1/campaigns/{id}': {
      get: {
        operationId: 'GetCampaign',
        parameters: [param('campaignId')],
        responses: {
          '200': json(
            'The campaign, its teams and burndown.',
            ref('CampaignDetail'),
          ),
          ...errors,
        },
      },
    },
    '/v1/campaigns/{id}/services': {
      get: {
        operationId: 'ListCampaignServices',
        description:
          'A page of the services in the campaign’s scope, open ones first.',
        parameters: [
          param('campaignId'),
          {
            in: 'query',
            allowReserved: true,
            name: 'owner',
            required: false,
            description:
              'The owning team or declared owner; a bare name means `group:default/<name>`.',
            schema: line(1024, 'An owner.'),
          },
          {
            in: 'query',
            allowReserved: true,
            name: 'done',
            required: false,
            schema: { type: 'string', enum: ['true', 'false'] },
          },
          decimalQuery('limit', 1, 500, 50, 'Services per page.'),
          cursorQuery,
        ],
        responses: {
          '200': page('A page of services.', ref('CampaignServiceItem')),
          ...errors,
        },
      },
    },
  },
} as const;

/** The paths of the API, as the spec names them. */
export type OperabilityApiPath = keyof typeof spec.paths;
