import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import type { EntityRef } from '../types';
import type { ScheduleHandoff, ScheduleOverride, ScheduleShadow } from './spec';

/**
 * One rotation of a parsed {@link Schedule}: who takes turns, and when.
 * @public
 */
export interface ScheduleRotation {
  /** Full, lower-case User refs (`user:default/alice`), in turn order. */
  readonly members: readonly EntityRef[];
  readonly handoff: Readonly<ScheduleHandoff>;
}

/**
 * A `Schedule` entity's spec, validated and normalised: member, override and
 * shadow users are full User refs, the secondary is explicit (an own
 * rotation, whose hand-off defaults to the primary's, or `next-in-rotation`)
 * and `overrides` and `shadows` are always lists. Frozen, so the rotation functions can prepare it once
 * per object.
 *
 * Get one from {@link parseSchedule}; the rotation functions
 * ({@link onCallAt}, {@link shiftsFrom}, {@link rotationSummary}) answer
 * from it.
 * @public
 */
export interface Schedule {
  /** The owning Group's ref, as written. */
  readonly owner: string;
  /** IANA zone; hand-offs and override times are wall-clock times in it. */
  readonly timeZone: string;
  readonly primary: ScheduleRotation;
  readonly secondary: ScheduleRotation | 'next-in-rotation';
  /** Later entries win where they overlap. */
  readonly overrides: readonly Readonly<ScheduleOverride>[];
  /**
   * People learning the rotation: told about pages, not paged. Windows may
   * overlap each other and any shift; several shadows at once are fine.
   */
  readonly shadows: readonly Readonly<ScheduleShadow>[];
}

/**
 * A problem of a Schedule's spec. `path` names the field at fault, from
 * `spec` (`spec.timeZone`, `spec.overrides.0.end`, or `spec` itself for an
 * unknown field).
 * @public
 */
export interface ScheduleFieldError {
  path: string;
  message: string;
}

/**
 * What {@link parseSchedule} answers: the schedule, or every problem found.
 * @public
 */
export type ParseScheduleResult =
  | { schedule: Schedule; errors?: undefined }
  | { schedule?: undefined; errors: ScheduleFieldError[] };

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

function isUserRef(ref: string): boolean {
  try {
    return (
      parseEntityRef(ref, { defaultKind: 'user' }).kind.toLocaleLowerCase(
        'en-US',
      ) === 'user'
    );
  } catch {
    return false;
  }
}

/** A member ref may be short (`alice`); answers use full refs. */
function fullUserRef(ref: string): EntityRef {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'user', defaultNamespace: 'default' }),
  );
}

const localDateTime = z
  .string()
  .regex(LOCAL_DATE_TIME, 'must be a local date-time like 2026-01-05T09:00')
  .refine(
    s => DateTime.fromISO(s, { zone: 'utc' }).isValid,
    'is not a valid date-time',
  );

const turn = z.string().refine(s => {
  const duration = Duration.fromISO(s);
  return duration.isValid && duration.toMillis() > 0;
}, 'must be a positive ISO-8601 duration like P1W or PT12H');

const handoff = z.object({ start: localDateTime, turn }).strict();

const userRef = z
  .string()
  .refine(isUserRef, 'must be a User entity ref like user:default/alice')
  .transform(fullUserRef);

const members = z.array(userRef).min(1, 'must list at least one user');

/** A window [start, end) of local times must end after it starts. */
const endsAfterStart = (w: { start: string; end: string }) => w.start < w.end;
const endBeforeStart = { message: 'end must be after start', path: ['end'] };

const scheduleSchema = z
  .object({
    owner: z.string().min(1, 'must name the owning Group'),
    timeZone: z
      .string()
      .refine(
        zone => DateTime.local().setZone(zone).isValid,
        'must be an IANA time zone like America/Toronto',
      ),
    handoff,
    primary: members,
    secondary: z
      .union([
        z.literal('next-in-rotation'),
        z.object({ members, handoff: handoff.optional() }).strict(),
      ])
      .optional(),
    overrides: z
      .array(
        z
          .object({
            role: z.enum(['primary', 'secondary']),
            user: userRef,
            start: localDateTime,
            end: localDateTime,
          })
          .strict()
          .refine(endsAfterStart, endBeforeStart),
      )
      .optional(),
    shadows: z
      .array(
        z
          .object({ user: userRef, start: localDateTime, end: localDateTime })
          .strict()
          .refine(endsAfterStart, endBeforeStart),
      )
      .optional(),
  })
  .strict()
  .transform(
    (spec): Schedule =>
      deepFreeze({
        owner: spec.owner,
        timeZone: spec.timeZone,
        primary: { members: spec.primary, handoff: spec.handoff },
        secondary:
          spec.secondary === undefined || spec.secondary === 'next-in-rotation'
            ? 'next-in-rotation'
            : {
                members: spec.secondary.members,
                handoff: spec.secondary.handoff ?? spec.handoff,
              },
        overrides: spec.overrides ?? [],
        shadows: spec.shadows ?? [],
      }),
  );

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function isEntity(value: unknown): value is { spec?: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'apiVersion' in value &&
    'kind' in value &&
    'metadata' in value
  );
}

/**
 * Parses a `Schedule`: validates its spec and yields the normalised
 * {@link Schedule} the rotation functions run on, or every problem found,
 * each naming its field as `spec.<path>`.
 *
 * @param entityOrSpec - a `Schedule` entity (its `spec` is parsed) or a
 *   spec as written ({@link ScheduleSpec})
 * @public
 */
export function parseSchedule(entityOrSpec: unknown): ParseScheduleResult {
  const spec = isEntity(entityOrSpec) ? entityOrSpec.spec : entityOrSpec;
  const result = scheduleSchema.safeParse(spec);
  if (result.success) return { schedule: result.data };
  return {
    errors: result.error.issues.map(issue => {
      const path = ['spec', ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        return { path, message: `unknown field(s) ${issue.keys.join(', ')}` };
      }
      return { path, message: issue.message };
    }),
  };
}
