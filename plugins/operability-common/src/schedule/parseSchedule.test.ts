import { parseSchedule } from './parseSchedule';

const valid = {
  owner: 'group:default/payments',
  timeZone: 'America/Toronto',
  handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
  primary: ['user:default/alice', 'bob'],
  secondary: 'next-in-rotation',
  overrides: [
    {
      role: 'primary',
      user: 'user:default/grace',
      start: '2026-03-02T09:00',
      end: '2026-03-03T09:00',
    },
  ],
};

function problemsOf(spec: unknown): string[] {
  const result = parseSchedule(spec);
  return result.errors?.map(e => `${e.path}: ${e.message}`) ?? [];
}

describe('parseSchedule', () => {
  it('accepts the schedule of the design, normalised', () => {
    expect(parseSchedule(valid)).toEqual({
      schedule: {
        owner: 'group:default/payments',
        timeZone: 'America/Toronto',
        primary: {
          members: ['user:default/alice', 'user:default/bob'],
          handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
        },
        secondary: 'next-in-rotation',
        overrides: valid.overrides,
        shadows: [],
      },
    });
  });

  it('accepts shadows, their users normalised like members', () => {
    const { schedule, errors } = parseSchedule({
      ...valid,
      shadows: [
        { user: 'Frank', start: '2026-03-02T09:00', end: '2026-03-09T09:00' },
        {
          user: 'user:Ops/Carol',
          start: '2026-03-09T09:00:30',
          end: '2026-03-16T09:00',
        },
      ],
    });
    expect(errors).toBeUndefined();
    expect(schedule?.shadows).toEqual([
      {
        user: 'user:default/frank',
        start: '2026-03-02T09:00',
        end: '2026-03-09T09:00',
      },
      {
        user: 'user:ops/carol',
        start: '2026-03-09T09:00:30',
        end: '2026-03-16T09:00',
      },
    ]);
    expect(Object.isFrozen(schedule?.shadows[0])).toBe(true);
  });

  it('parses the spec of a Schedule entity', () => {
    const entity = {
      apiVersion: 'operability.io/v1alpha1',
      kind: 'Schedule',
      metadata: { name: 'payments-on-call' },
      spec: valid,
    };
    expect(parseSchedule(entity)).toEqual(parseSchedule(valid));
    expect(
      parseSchedule({ ...entity, spec: { ...valid, timeZone: 'x' } }),
    ).toEqual({
      errors: [
        {
          path: 'spec.timeZone',
          message: 'must be an IANA time zone like America/Toronto',
        },
      ],
    });
  });

  it('normalises member refs, defaults, and freezes the result', () => {
    const { schedule } = parseSchedule({
      ...valid,
      primary: ['Alice'],
      secondary: { members: ['user:Ops/Carol'] },
      overrides: undefined,
    });
    expect(schedule).toEqual({
      owner: 'group:default/payments',
      timeZone: 'America/Toronto',
      primary: { members: ['user:default/alice'], handoff: valid.handoff },
      secondary: { members: ['user:ops/carol'], handoff: valid.handoff },
      overrides: [],
      shadows: [],
    });
    expect(Object.isFrozen(schedule)).toBe(true);
    expect(Object.isFrozen(schedule?.primary.members)).toBe(true);
  });

  it('accepts an explicit secondary list with its own hand-off', () => {
    expect(
      problemsOf({
        ...valid,
        secondary: {
          members: ['user:default/carol'],
          handoff: { start: '2026-01-07T09:00', turn: 'P1W' },
        },
      }),
    ).toEqual([]);
  });

  it.each([
    [
      { ...valid, timeZone: 'Mars/Olympus' },
      'spec.timeZone: must be an IANA time zone',
    ],
    [
      { ...valid, handoff: { start: '2026-01-05T09:00', turn: 'one week' } },
      'spec.handoff.turn: must be a positive ISO-8601 duration',
    ],
    [
      { ...valid, handoff: { start: '2026-01-05T09:00', turn: 'PT0S' } },
      'spec.handoff.turn',
    ],
    [
      { ...valid, handoff: { start: '2026-02-30T09:00', turn: 'P1W' } },
      'spec.handoff.start: is not a valid date-time',
    ],
    [
      { ...valid, handoff: { start: '2026-01-05T09:00Z', turn: 'P1W' } },
      'spec.handoff.start: must be a local date-time',
    ],
    [{ ...valid, primary: [] }, 'spec.primary: must list at least one user'],
    [
      { ...valid, primary: ['group:default/payments'] },
      'spec.primary.0: must be a User entity ref',
    ],
    [{ ...valid, secondary: 'someone' }, 'spec.secondary'],
    [
      {
        ...valid,
        overrides: [{ ...valid.overrides[0], end: '2026-03-01T09:00' }],
      },
      'spec.overrides.0.end: end must be after start',
    ],
    [
      { ...valid, overrides: [{ ...valid.overrides[0], role: 'tertiary' }] },
      'spec.overrides.0.role',
    ],
    [
      {
        ...valid,
        shadows: [
          { user: 'frank', start: '2026-03-02T09:00', end: '2026-03-09T09:00' },
          { user: 'grace', start: '2026-03-09T09:00', end: '2026-03-09T09:00' },
        ],
      },
      'spec.shadows.1.end: end must be after start',
    ],
    [
      {
        ...valid,
        shadows: [
          {
            user: 'group:default/payments',
            start: '2026-03-02T09:00',
            end: '2026-03-09T09:00',
          },
        ],
      },
      'spec.shadows.0.user: must be a User entity ref',
    ],
    [
      {
        ...valid,
        shadows: [
          { user: 'frank', start: '2026-03-02', end: '2026-03-09T09:00' },
        ],
      },
      'spec.shadows.0.start: must be a local date-time',
    ],
    [
      {
        ...valid,
        shadows: [
          { user: 'frank', start: '2026-03-02T09:00', end: '2026-02-30T09:00' },
        ],
      },
      'spec.shadows.0.end: is not a valid date-time',
    ],
    [
      {
        ...valid,
        shadows: [
          {
            role: 'primary',
            user: 'frank',
            start: '2026-03-02T09:00',
            end: '2026-03-09T09:00',
          },
        ],
      },
      'spec.shadows.0: unknown field(s) role',
    ],
    [{ ...valid, shadows: 'frank' }, 'spec.shadows'],
    [{ ...valid, colour: 'red' }, 'spec: unknown field(s) colour'],
    [{ ...valid, owner: undefined }, 'spec.owner'],
  ])('names the field at fault (%#)', (spec, problem) => {
    expect(problemsOf(spec).join('\n')).toContain(problem);
  });
});
