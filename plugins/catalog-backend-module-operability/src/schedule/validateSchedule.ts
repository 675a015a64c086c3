import { parseEntityRef } from '@backstage/catalog-model';
import { ScheduleSpec } from '@opsready/plugin-operability-common';
import { DateTime, Duration } from 'luxon';
import { z } from 'zod';

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
  .refine(isUserRef, 'must be a User entity ref like user:default/alice');

const members = z.array(userRef).min(1, 'must list at least one user');

const scheduleSpecSchema = z
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
          .refine(o => o.start < o.end, {
            message: 'end must be after start',
            path: ['end'],
          }),
      )
      .optional(),
  })
  .strict();

/**
 * Validates a Schedule's spec. Returns the typed spec, or the problems, each
 * naming the field at fault as `spec.<path>`.
 */
export function validateScheduleSpec(
  spec: unknown,
): { ok: true; spec: ScheduleSpec } | { ok: false; problems: string[] } {
  const result = scheduleSpecSchema.safeParse(spec);
  if (result.success) return { ok: true, spec: result.data as ScheduleSpec };
  return {
    ok: false,
    problems: result.error.issues.map(issue => {
      if (issue.code === 'unrecognized_keys') {
        const at = ['spec', ...issue.path].join('.');
        return `${at}: unknown field(s) ${issue.keys.join(', ')}`;
      }
      return `${['spec', ...issue.path].join('.')}: ${issue.message}`;
    }),
  };
}
