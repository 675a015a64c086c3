import { ConfigReader } from '@backstage/config';
import {
  parseSchedule,
  type Schedule,
} from '@opsready/plugin-operability-common';
import { attributeLoad, pagesPerTwelveHours, timeline } from './attribution';
import { scheduleTurns } from './scheduleTurns';
import {
  DEFAULT_WORKING_HOURS,
  isOffHours,
  readWorkingHours,
} from './workingHours';

const person = (ref: string) => ({ ref });
const d = (iso: string) => new Date(iso);

function schedule(spec: object): Schedule {
  const { schedule: s, errors } = parseSchedule({
    owner: 'group:default/team',
    ...spec,
  } as any);
  if (errors) throw new Error(JSON.stringify(errors));
  return s;
}

describe('isOffHours', () => {
  const hours = DEFAULT_WORKING_HOURS;
  it('follows the wall clock across a DST change (Berlin, 29 March 2026)', () => {
    // The Monday before the change: CET, UTC+1.
    expect(isOffHours(d('2026-03-23T07:59:00Z'), 'Europe/Berlin', hours)).toBe(
      true,
    );
    expect(isOffHours(d('2026-03-23T08:00:00Z'), 'Europe/Berlin', hours)).toBe(
      false,
    );
    expect(isOffHours(d('2026-03-23T16:59:59Z'), 'Europe/Berlin', hours)).toBe(
      false,
    );
    expect(isOffHours(d('2026-03-23T17:00:00Z'), 'Europe/Berlin', hours)).toBe(
      true,
    );
    // The Monday after: CEST, UTC+2. 09:00 local is an hour earlier in UTC.
    expect(isOffHours(d('2026-03-30T06:59:00Z'), 'Europe/Berlin', hours)).toBe(
      true,
    );
    expect(isOffHours(d('2026-03-30T07:00:00Z'), 'Europe/Berlin', hours)).toBe(
      false,
    );
    expect(isOffHours(d('2026-03-30T16:00:00Z'), 'Europe/Berlin', hours)).toBe(
      true,
    );
  });

  it('is off-hours all weekend and on days not listed', () => {
    expect(isOffHours(d('2026-03-28T12:00:00Z'), 'UTC', hours)).toBe(true);
    expect(isOffHours(d('2026-03-29T12:00:00Z'), 'UTC', hours)).toBe(true);
    expect(
      isOffHours(d('2026-03-27T12:00:00Z'), 'UTC', { ...hours, days: [1, 2] }),
    ).toBe(true);
  });

  it('reads the day in the zone: Friday evening in Toronto is Saturday in UTC', () => {
    // Friday 2026-11-27 17:30 Toronto (EST, UTC-5) = Saturday 22:30Z.
    expect(
      isOffHours(d('2026-11-27T22:30:00Z'), 'America/Toronto', hours),
    ).toBe(false);
    expect(isOffHours(d('2026-11-27T22:30:00Z'), 'UTC', hours)).toBe(true);
  });
});

describe('readWorkingHours', () => {
  it('defaults to Monday–Friday 09:00–18:00', () => {
    expect(readWorkingHours(new ConfigReader({}))).toEqual(
      DEFAULT_WORKING_HOURS,
    );
  });

  it('reads days, times and the default zone', () => {
    const config = new ConfigReader({
      operability: {
        onCall: {
          workingHours: {
            days: ['Sunday', 'mon', 'tue', 'wed', 'thu'],
            start: '08:30',
            end: '17:00',
            timeZone: 'Asia/Jerusalem',
          },
        },
      },
    });
    expect(readWorkingHours(config)).toEqual({
      days: [1, 2, 3, 4, 7],
      startMinute: 510,
      endMinute: 1020,
      timeZone: 'Asia/Jerusalem',
    });
  });

  it.each([
    [{ days: ['funday'] }, /days.*'funday' is not a weekday/],
    [{ start: '9am' }, /start.*not a time of day/],
    [{ start: '18:00', end: '09:00' }, /end.*must end after it starts/],
    [{ timeZone: 'Mars/Olympus' }, /timeZone.*not an IANA time zone/],
  ])('refuses %j', (workingHours, message) => {
    expect(() =>
      readWorkingHours(
        new ConfigReader({ operability: { onCall: { workingHours } } }),
      ),
    ).toThrow(message);
  });
});

describe('timeline', () => {
  it('clips turns to the window and fills the gaps with nobody', () => {
    const turns = timeline(
      [
        {
          start: d('2026-01-01T00:00Z'),
          end: d('2026-01-03T00:00Z'),
          primary: person('a'),
        },
        {
          start: d('2026-01-04T00:00Z'),
          end: d('2026-01-10T00:00Z'),
          primary: person('b'),
        },
      ],
      d('2026-01-02T00:00Z'),
      d('2026-01-05T00:00Z'),
    );
    expect(
      turns.map(t => [
        t.start.toISOString(),
        t.end.toISOString(),
        t.primary?.ref ?? null,
      ]),
    ).toEqual([
      ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', 'a'],
      ['2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z', null],
      ['2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z', 'b'],
    ]);
  });
});

describe('pagesPerTwelveHours', () => {
  it('is pages over the time on call, counting less than 12 hours as 12', () => {
    expect(
      pagesPerTwelveHours(14, d('2026-01-01T00:00Z'), d('2026-01-08T00:00Z')),
    ).toBe(1);
    expect(
      pagesPerTwelveHours(1, d('2026-01-01T00:00Z'), d('2026-01-01T01:00Z')),
    ).toBe(1);
    expect(
      pagesPerTwelveHours(3, d('2026-01-01T00:00Z'), d('2026-01-02T00:00Z')),
    ).toBe(1.5);
  });
});

describe('attributeLoad', () => {
  // Weekly hand-offs Monday 09:00 Berlin; an override of carol for a day.
  const berlin = schedule({
    timeZone: 'Europe/Berlin',
    handoff: { start: '2026-03-02T09:00', turn: 'P1W' },
    primary: ['user:default/alice', 'user:default/bob'],
    secondary: 'next-in-rotation',
    overrides: [
      {
        role: 'primary',
        user: 'user:default/carol',
        start: '2026-03-25T12:00',
        end: '2026-03-26T12:00',
      },
    ],
  });
  const from = d('2026-03-16T00:00:00Z');
  const to = d('2026-04-06T00:00:00Z');
  const turns = scheduleTurns(berlin, from, to, ref => ({
    ref,
    title: ref.split('/')[1],
  }));

  it('splits turns at overrides and keeps hand-offs on local time across DST', () => {
    expect(
      turns.map(t => [
        t.start.toISOString(),
        t.end.toISOString(),
        t.primary?.ref,
      ]),
    ).toEqual([
      // CET: Monday 09:00 local is 08:00Z.
      [
        '2026-03-09T08:00:00.000Z',
        '2026-03-16T08:00:00.000Z',
        'user:default/bob',
      ],
      [
        '2026-03-16T08:00:00.000Z',
        '2026-03-23T08:00:00.000Z',
        'user:default/alice',
      ],
      [
        '2026-03-23T08:00:00.000Z',
        '2026-03-25T11:00:00.000Z',
        'user:default/bob',
      ],
      [
        '2026-03-25T11:00:00.000Z',
        '2026-03-26T11:00:00.000Z',
        'user:default/carol',
      ],
      // The turn spans the change: it ends at 09:00 CEST, 07:00Z.
      [
        '2026-03-26T11:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
        'user:default/bob',
      ],
      [
        '2026-03-30T07:00:00.000Z',
        '2026-04-06T07:00:00.000Z',
        'user:default/alice',
      ],
    ]);
  });

  it('gives a one-person rotation a turn per hand-off, not one endless shift', () => {
    const solo = schedule({
      timeZone: 'America/Toronto',
      handoff: { start: '2026-10-19T09:00', turn: 'P1W' },
      primary: ['user:default/alice'],
    });
    const soloTurns = scheduleTurns(
      solo,
      d('2026-10-26T00:00:00Z'),
      d('2026-11-10T00:00:00Z'),
      ref => ({ ref }),
    );
    expect(
      soloTurns.map(t => [t.start.toISOString(), t.end.toISOString()]),
    ).toEqual([
      ['2026-10-19T13:00:00.000Z', '2026-10-26T13:00:00.000Z'],
      ['2026-10-26T13:00:00.000Z', '2026-11-02T14:00:00.000Z'],
      ['2026-11-02T14:00:00.000Z', '2026-11-09T14:00:00.000Z'],
      ['2026-11-09T14:00:00.000Z', '2026-11-16T14:00:00.000Z'],
    ]);
  });

  it('attributes each page to the primary at its instant, off-hours in the zone', () => {
    const load = attributeLoad({
      from,
      to,
      timeZone: 'Europe/Berlin',
      workingHours: DEFAULT_WORKING_HOURS,
      turns,
      pages: [
        // Before the window: left out.
        { at: d('2026-03-15T12:00:00Z'), title: 'old', source: 'file' },
        // Sunday night, bob's turn (off-hours).
        { at: d('2026-03-16T02:00:00Z'), title: 'p1', source: 'file' },
        // Monday 09:30 local (CET), alice's first minutes: working hours.
        {
          at: d('2026-03-16T08:30:00Z'),
          title: 'p2',
          source: 'pagerduty',
          acknowledgedAt: d('2026-03-16T08:35:00Z'),
          resolvedAt: d('2026-03-16T09:30:00Z'),
        },
        // Carol's override, 03:00 local: off-hours.
        {
          at: d('2026-03-26T02:00:00Z'),
          title: 'p3',
          source: 'pagerduty',
          acknowledgedAt: d('2026-03-26T02:15:00Z'),
        },
        // Monday 30 March 08:30 local (CEST): still bob's, off-hours.
        { at: d('2026-03-30T06:30:00Z'), title: 'p4', source: 'file' },
        // Monday 30 March 09:00 local: alice, working hours.
        { at: d('2026-03-30T07:00:00Z'), title: 'p5', source: 'file' },
        // At the window's end: left out.
        { at: to, title: 'late', source: 'file' },
      ],
    });
    expect(load.pages.map(p => [p.title, p.primary?.ref, p.offHours])).toEqual([
      ['p1', 'user:default/bob', true],
      ['p2', 'user:default/alice', false],
      ['p3', 'user:default/carol', true],
      ['p4', 'user:default/bob', true],
      ['p5', 'user:default/alice', false],
    ]);
    expect(
      load.shifts.map(s => [
        s.primary?.ref,
        s.start,
        s.end,
        s.pages,
        s.offHoursPages,
      ]),
    ).toEqual([
      [
        'user:default/bob',
        '2026-03-16T00:00:00.000Z',
        '2026-03-16T08:00:00.000Z',
        1,
        1,
      ],
      [
        'user:default/alice',
        '2026-03-16T08:00:00.000Z',
        '2026-03-23T08:00:00.000Z',
        1,
        0,
      ],
      [
        'user:default/bob',
        '2026-03-23T08:00:00.000Z',
        '2026-03-25T11:00:00.000Z',
        0,
        0,
      ],
      [
        'user:default/carol',
        '2026-03-25T11:00:00.000Z',
        '2026-03-26T11:00:00.000Z',
        1,
        1,
      ],
      [
        'user:default/bob',
        '2026-03-26T11:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
        1,
        1,
      ],
      [
        'user:default/alice',
        '2026-03-30T07:00:00.000Z',
        '2026-04-06T00:00:00.000Z',
        1,
        0,
      ],
    ]);
    expect(load.people).toEqual([
      {
        person: { ref: 'user:default/bob', title: 'bob' },
        shifts: 3,
        pages: 2,
        offHoursPages: 2,
      },
      {
        person: { ref: 'user:default/alice', title: 'alice' },
        shifts: 2,
        pages: 2,
        offHoursPages: 0,
      },
      {
        person: { ref: 'user:default/carol', title: 'carol' },
        shifts: 1,
        pages: 1,
        offHoursPages: 1,
      },
    ]);
    expect(load.busiestShare).toBe(0.4);
    expect(load.mtta).toBe(600); // (5 min + 15 min) / 2
    expect(load.mttr).toBe(3600);
    // Bob's 8 clipped hours count as 12: one page per 12 hours.
    expect(load.busiest?.perTwelveHours).toBe(1);
    expect(load.busiest?.shift.start).toBe('2026-03-16T00:00:00.000Z');
  });

  it('shows a gap with nobody on call only when pages fell in it', () => {
    const load = attributeLoad({
      from: d('2026-01-01T00:00Z'),
      to: d('2026-01-03T00:00Z'),
      timeZone: 'UTC',
      workingHours: DEFAULT_WORKING_HOURS,
      turns: [
        {
          start: d('2026-01-01T00:00Z'),
          end: d('2026-01-01T12:00Z'),
          primary: person('a'),
        },
        {
          start: d('2026-01-02T00:00Z'),
          end: d('2026-01-02T12:00Z'),
          primary: person('a'),
        },
      ],
      pages: [{ at: d('2026-01-01T18:00Z'), title: 'x', source: 'file' }],
    });
    expect(load.shifts.map(s => [s.primary?.ref ?? null, s.pages])).toEqual([
      ['a', 0],
      [null, 1],
      ['a', 0],
    ]);
    expect(load.pages[0].primary).toBeNull();
    expect(load.busiestShare).toBe(0);
    expect(load.mtta).toBeUndefined();
    expect(load.busiest?.perTwelveHours).toBe(0);
  });

  it('is empty without pages or turns', () => {
    const load = attributeLoad({
      from: d('2026-01-01T00:00Z'),
      to: d('2026-01-29T00:00Z'),
      timeZone: 'UTC',
      workingHours: DEFAULT_WORKING_HOURS,
      turns: [],
      pages: [],
    });
    expect(load).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-29T00:00:00.000Z',
      timeZone: 'UTC',
      pages: [],
      shifts: [],
      people: [],
      busiestShare: 0,
    });
  });
});
