import { DateTime } from 'luxon';
import { parseSchedule, Schedule } from './parseSchedule';
import {
  onCallAt,
  onCallWithValidity,
  rotationSummary,
  shiftsFrom,
  skippedLadder,
} from './rotation';
import type { ScheduleSpec } from './spec';

/** The parsed schedule of a valid spec. */
function scheduleOf(spec: ScheduleSpec): Schedule {
  const { schedule, errors } = parseSchedule(spec);
  if (errors)
    throw new Error(errors.map(e => `${e.path}: ${e.message}`).join('; '));
  return schedule;
}

const people = ['a', 'b', 'c', 'd', 'e', 'f'].map(n => `user:default/${n}`);
const [A, B, C, D, E, F] = people;
const G = 'user:default/grace';

const toronto: ScheduleSpec = {
  owner: 'group:default/payments',
  timeZone: 'America/Toronto',
  handoff: { start: '2026-01-05T09:00', turn: 'P1W' },
  primary: people,
  secondary: 'next-in-rotation',
};

const at = (iso: string) => new Date(iso);
const local = (iso: string, zone = 'America/Toronto') =>
  DateTime.fromISO(iso, { zone }).toJSDate();

describe('onCallAt', () => {
  const schedule = scheduleOf(toronto);

  it('has nobody on call before the start', () => {
    expect(onCallAt(schedule, local('2026-01-05T08:59:59'))).toEqual({
      primary: null,
      secondary: null,
      until: null,
      shadows: [],
    });
  });

  it('hands off at the start, and the secondary is next turn primary', () => {
    expect(onCallAt(schedule, local('2026-01-05T09:00'))).toEqual({
      primary: A,
      secondary: B,
      until: local('2026-01-12T09:00'),
      shadows: [],
    });
    expect(onCallAt(schedule, local('2026-01-12T08:59:59.999'))).toMatchObject({
      primary: A,
    });
    expect(onCallAt(schedule, local('2026-01-12T09:00'))).toMatchObject({
      primary: B,
      secondary: C,
    });
  });

  it('wraps around the members', () => {
    // Turn 6 is the seventh week: back to the first person.
    expect(onCallAt(schedule, local('2026-02-16T09:00'))).toMatchObject({
      primary: A,
      secondary: B,
    });
    expect(onCallAt(schedule, local('2026-02-15T12:00'))).toMatchObject({
      primary: F,
      secondary: A,
    });
  });

  it('keeps the 09:00 local hand-off across daylight-saving changes', () => {
    // DST starts in Toronto on 2026-03-08: the hand-off of 03-09 is 09:00 EDT = 13:00Z.
    expect(onCallAt(schedule, at('2026-03-09T12:59:00Z')).until).toEqual(
      at('2026-03-09T13:00:00Z'),
    );
    // Before the change it was 09:00 EST = 14:00Z.
    expect(onCallAt(schedule, at('2026-03-02T13:59:00Z')).until).toEqual(
      at('2026-03-02T14:00:00Z'),
    );
    // DST ends on 2026-11-01: 09:00 EST again.
    expect(onCallAt(schedule, at('2026-11-02T13:59:00Z')).until).toEqual(
      at('2026-11-02T14:00:00Z'),
    );
  });

  it('lets an override win inside its half-open window and only there', () => {
    const withOverride = scheduleOf({
      ...toronto,
      overrides: [
        {
          role: 'primary',
          user: 'user:default/grace',
          start: '2026-03-02T09:00',
          end: '2026-03-03T09:00',
        },
      ],
    });
    // Week of 03-02 is turn 8: c primary, d secondary.
    expect(onCallAt(withOverride, local('2026-03-02T08:59'))).toMatchObject({
      primary: B,
    });
    expect(onCallAt(withOverride, local('2026-03-02T09:00'))).toEqual({
      primary: 'user:default/grace',
      secondary: D,
      until: local('2026-03-03T09:00'),
      shadows: [],
    });
    expect(onCallAt(withOverride, local('2026-03-03T09:00'))).toEqual({
      primary: C,
      secondary: D,
      until: local('2026-03-09T09:00'),
      shadows: [],
    });
    // The shift before the override ends where the override begins.
    expect(onCallAt(withOverride, local('2026-03-01T09:00')).until).toEqual(
      local('2026-03-02T09:00'),
    );
  });

  it('lets the later of two overlapping overrides win', () => {
    const s = scheduleOf({
      ...toronto,
      overrides: [
        {
          role: 'secondary',
          user: 'user:default/x',
          start: '2026-03-02T00:00',
          end: '2026-03-05T00:00',
        },
        {
          role: 'secondary',
          user: 'user:default/y',
          start: '2026-03-03T00:00',
          end: '2026-03-04T00:00',
        },
      ],
    });
    expect(onCallAt(s, local('2026-03-02T12:00')).secondary).toBe(
      'user:default/x',
    );
    expect(onCallAt(s, local('2026-03-03T12:00')).secondary).toBe(
      'user:default/y',
    );
    expect(onCallAt(s, local('2026-03-04T12:00')).secondary).toBe(
      'user:default/x',
    );
  });

  it('follows an explicit secondary list with its own hand-off', () => {
    const s = scheduleOf({
      ...toronto,
      timeZone: 'Europe/Berlin',
      primary: [A, B],
      secondary: {
        members: [C, D, 'user:default/e'],
        handoff: { start: '2026-01-07T09:00', turn: 'P1W' },
      },
    });
    expect(onCallAt(s, local('2026-01-06T12:00', 'Europe/Berlin'))).toEqual({
      primary: A,
      secondary: null,
      until: local('2026-01-12T09:00', 'Europe/Berlin'),
      shadows: [],
    });
    expect(
      onCallAt(s, local('2026-01-07T09:00', 'Europe/Berlin')),
    ).toMatchObject({ primary: A, secondary: C });
    expect(
      onCallAt(s, local('2026-01-14T09:00', 'Europe/Berlin')),
    ).toMatchObject({ primary: B, secondary: D });
  });

  it('defaults an explicit secondary list to the primary hand-off', () => {
    const s = scheduleOf({ ...toronto, secondary: { members: [F] } });
    expect(onCallAt(s, local('2026-01-04T12:00')).secondary).toBeNull();
    expect(onCallAt(s, local('2026-01-05T09:00')).secondary).toBe(F);
  });

  it('has no secondary for a rotation of one', () => {
    const s = scheduleOf({ ...toronto, primary: [A] });
    expect(onCallAt(s, local('2026-02-01T09:00'))).toMatchObject({
      primary: A,
      secondary: null,
    });
  });

  it('counts calendar turns in the calendar', () => {
    const s = scheduleOf({
      ...toronto,
      handoff: { start: '2026-01-31T09:00', turn: 'P1M' },
      primary: [A, B],
    });
    // Jan 31 + 1 month = Feb 28 in luxon's calendar math.
    expect(onCallAt(s, local('2026-02-28T08:59'))).toMatchObject({
      primary: A,
      until: local('2026-02-28T09:00'),
    });
    expect(onCallAt(s, local('2026-02-28T09:00'))).toMatchObject({
      primary: B,
    });
  });

  it('keeps hour turns on the wall clock', () => {
    const s = scheduleOf({
      ...toronto,
      handoff: { start: '2026-03-07T21:00', turn: 'PT12H' },
      primary: [A, B],
    });
    // The night of the spring-forward change: 21:00 to 09:00 local is 11 real hours.
    expect(onCallAt(s, local('2026-03-08T08:00')).until).toEqual(
      local('2026-03-08T09:00'),
    );
    expect(onCallAt(s, local('2026-03-08T09:00')).primary).toBe(B);
  });
});

describe('shiftsFrom', () => {
  it('lists the shifts from the one in force, split and merged at overrides', () => {
    const s = scheduleOf({
      ...toronto,
      overrides: [
        {
          role: 'primary',
          user: 'user:default/grace',
          start: '2026-03-02T09:00',
          end: '2026-03-03T09:00',
        },
      ],
    });
    const shifts = shiftsFrom(s, local('2026-02-25T12:00'), 4, 'primary');
    expect(shifts.map(x => [x.user, x.start, x.end, x.override])).toEqual([
      [B, local('2026-02-23T09:00'), local('2026-03-02T09:00'), false],
      [
        'user:default/grace',
        local('2026-03-02T09:00'),
        local('2026-03-03T09:00'),
        true,
      ],
      [C, local('2026-03-03T09:00'), local('2026-03-09T09:00'), false],
      [D, local('2026-03-09T09:00'), local('2026-03-16T09:00'), false],
    ]);
  });

  it('starts with the first turn when asked before the start', () => {
    const s = scheduleOf(toronto);
    const shifts = shiftsFrom(s, local('2025-12-01T00:00'), 2, 'secondary');
    expect(shifts.map(x => [x.user, x.start])).toEqual([
      [B, local('2026-01-05T09:00')],
      [C, local('2026-01-12T09:00')],
    ]);
  });

  it('lists the primary shifts, then the secondary ones, without a role', () => {
    const s = scheduleOf(toronto);
    const shifts = shiftsFrom(s, local('2026-01-06T00:00'), 2);
    expect(shifts.map(x => [x.role, x.user, x.start])).toEqual([
      ['primary', A, local('2026-01-05T09:00')],
      ['primary', B, local('2026-01-12T09:00')],
      ['secondary', B, local('2026-01-05T09:00')],
      ['secondary', C, local('2026-01-12T09:00')],
    ]);
  });
});

describe('shadows', () => {
  // DST starts in Toronto on 2026-03-08: 09:00 is 14:00Z before, 13:00Z after.
  const s = scheduleOf({
    ...toronto,
    shadows: [
      { user: G, start: '2026-03-02T09:00', end: '2026-03-09T09:00' },
      { user: F, start: '2026-03-05T00:00', end: '2026-03-06T00:00' },
      { user: G, start: '2026-03-04T00:00', end: '2026-03-05T00:00' },
    ],
  });

  it('answers the shadows whose half-open window holds the instant, each once', () => {
    expect(onCallAt(s, local('2026-03-02T08:59:59')).shadows).toEqual([]);
    expect(onCallAt(s, local('2026-03-02T09:00'))).toEqual({
      primary: C,
      secondary: D,
      until: local('2026-03-09T09:00'),
      shadows: [G],
    });
    expect(onCallAt(s, local('2026-03-04T12:00')).shadows).toEqual([G]);
    expect(onCallAt(s, local('2026-03-05T12:00')).shadows).toEqual([G, F]);
    expect(onCallAt(s, local('2026-03-06T00:00')).shadows).toEqual([G]);
  });

  it('ends a shadow window at its local time across the daylight-saving change', () => {
    expect(onCallAt(s, at('2026-03-09T12:59:59Z')).shadows).toEqual([G]);
    expect(onCallAt(s, at('2026-03-09T13:00:00Z')).shadows).toEqual([]);
  });

  it('keeps the answer valid only until the next shadow edge', () => {
    expect(onCallWithValidity(s, local('2026-03-03T12:00')).validUntil).toEqual(
      local('2026-03-04T00:00'),
    );
    expect(onCallWithValidity(s, local('2026-03-05T12:00')).validUntil).toEqual(
      local('2026-03-06T00:00'),
    );
  });

  it('lists the shadow windows of the weeks shown after the shifts, by start', () => {
    const shifts = shiftsFrom(s, local('2026-02-24T12:00'), 2);
    expect(shifts.map(x => [x.role, x.user, x.start, x.end])).toEqual([
      ['primary', B, local('2026-02-23T09:00'), local('2026-03-02T09:00')],
      ['primary', C, local('2026-03-02T09:00'), local('2026-03-09T09:00')],
      ['secondary', C, local('2026-02-23T09:00'), local('2026-03-02T09:00')],
      ['secondary', D, local('2026-03-02T09:00'), local('2026-03-09T09:00')],
      ['shadow', G, local('2026-03-02T09:00'), at('2026-03-09T13:00:00Z')],
      // At most `count` of them: f's window of 03-05 is left out.
      ['shadow', G, local('2026-03-04T00:00'), local('2026-03-05T00:00')],
    ]);
    // One week shown: the windows that begin after it are left out.
    expect(
      shiftsFrom(s, local('2026-02-24T12:00'), 1).filter(
        x => x.role === 'shadow',
      ),
    ).toEqual([]);
  });

  it('lists shadow windows alone, however far ahead, from the one in progress', () => {
    const shadows = shiftsFrom(s, local('2026-03-04T12:00'), 5, 'shadow');
    expect(shadows.map(x => [x.user, x.start, x.override])).toEqual([
      [G, local('2026-03-02T09:00'), false],
      [G, local('2026-03-04T00:00'), false],
      [F, local('2026-03-05T00:00'), false],
    ]);
    expect(shiftsFrom(s, local('2025-01-01T00:00'), 1, 'shadow')).toHaveLength(
      1,
    );
    expect(shiftsFrom(s, local('2026-03-09T09:00'), 5, 'shadow')).toEqual([]);
  });
});

describe('skippedLadder', () => {
  const later = local('2027-01-01T00:00');

  it('finds nobody on a next-in-rotation schedule: each is secondary the turn before', () => {
    expect(skippedLadder(scheduleOf(toronto), later)).toEqual([]);
  });

  it('finds whom an override makes primary before any secondary or shadow turn', () => {
    const s = scheduleOf({
      ...toronto,
      overrides: [
        // After the spring-forward change: 09:00 EDT.
        {
          role: 'primary',
          user: G,
          start: '2026-03-09T09:00',
          end: '2026-03-10T09:00',
        },
      ],
    });
    expect(skippedLadder(s, later)).toEqual([
      { user: G, firstPrimary: at('2026-03-09T13:00:00Z'), override: true },
    ]);
  });

  it('lets a shadow window or a secondary shift that began before count', () => {
    const override = {
      role: 'primary' as const,
      user: G,
      start: '2026-03-09T09:00',
      end: '2026-03-10T09:00',
    };
    const shadowed = scheduleOf({
      ...toronto,
      overrides: [override],
      shadows: [
        { user: G, start: '2026-02-02T09:00', end: '2026-02-09T09:00' },
      ],
    });
    expect(skippedLadder(shadowed, later)).toEqual([]);
    const seconded = scheduleOf({
      ...toronto,
      overrides: [
        {
          ...override,
          role: 'secondary',
          start: '2026-03-02T09:00',
          end: '2026-03-03T09:00',
        },
        override,
      ],
    });
    expect(skippedLadder(seconded, later)).toEqual([]);
    // A shadow window that begins with the primary shift is not "before".
    const together = scheduleOf({
      ...toronto,
      overrides: [override],
      shadows: [
        { user: G, start: '2026-03-09T09:00', end: '2026-03-16T09:00' },
      ],
    });
    expect(skippedLadder(together, later)).toHaveLength(1);
  });

  it('exempts whoever is primary at the start, or before it by an override', () => {
    const s = scheduleOf({
      ...toronto,
      overrides: [
        {
          role: 'primary',
          user: G,
          start: '2026-01-01T09:00',
          end: '2026-01-02T09:00',
        },
      ],
    });
    expect(skippedLadder(s, later)).toEqual([]);
  });

  it('finds the second primary when an own secondary list starts after their first turn', () => {
    // Like the demo's checkout rotation: the secondaries start two days in,
    // with the person who is primary in the second week last in their list.
    const s = scheduleOf({
      ...toronto,
      timeZone: 'Europe/Berlin',
      handoff: { start: '2026-01-05T10:00', turn: 'P1W' },
      primary: [A, B, C],
      secondary: {
        members: [C, A, B],
        handoff: { start: '2026-01-07T10:00', turn: 'P1W' },
      },
    });
    expect(skippedLadder(s, later)).toEqual([
      {
        user: B,
        firstPrimary: local('2026-01-12T10:00', 'Europe/Berlin'),
        override: false,
      },
    ]);
  });

  it('judges first primary shifts that begin before `until` only', () => {
    const s = scheduleOf({
      ...toronto,
      overrides: [
        {
          role: 'primary',
          user: G,
          start: '2026-06-01T09:00',
          end: '2026-06-02T09:00',
        },
      ],
    });
    expect(skippedLadder(s, local('2026-06-01T08:59'))).toEqual([]);
    expect(skippedLadder(s, local('2026-06-01T09:01'))).toHaveLength(1);
  });

  it('takes the first primary shift, even when an override holds a member’s turn', () => {
    // e's own first turn (week 5) goes to g; e is primary first in week 11,
    // after being secondary in week 4 (and week 10).
    const s = scheduleOf({
      ...toronto,
      overrides: [
        {
          role: 'primary',
          user: G,
          start: '2026-02-02T09:00',
          end: '2026-02-09T09:00',
        },
        {
          role: 'primary',
          user: E,
          start: '2026-01-06T09:00',
          end: '2026-01-07T09:00',
        },
      ],
    });
    // e is primary by an override in week 1 — before any secondary turn (week 4).
    expect(skippedLadder(s, later)).toEqual([
      { user: E, firstPrimary: local('2026-01-06T09:00'), override: true },
      { user: G, firstPrimary: local('2026-02-02T09:00'), override: true },
    ]);
  });
});

describe('rotationSummary', () => {
  it('lists the primary members, then an own secondary list, and the turn', () => {
    expect(rotationSummary(scheduleOf(toronto))).toEqual({
      members: people,
      turn: 'P1W',
    });
    expect(
      rotationSummary(scheduleOf({ ...toronto, secondary: { members: [F] } })),
    ).toEqual({ members: [...people, F], turn: 'P1W' });
  });
});
