import {
  parseSchedule,
  type Schedule,
} from '@opsready/plugin-operability-common';
import {
  buildHandoffReport,
  handoffNotification,
  type HandoffReportInput,
  type ReportedCheck,
} from './buildHandoffReport';
import { latestHandoff, primarySpanAt } from './detectHandoff';

function schedule(spec: object): Schedule {
  const { schedule: s, errors } = parseSchedule({
    owner: 'group:default/payments',
    timeZone: 'Europe/Berlin',
    handoff: { start: '2026-03-02T09:00', turn: 'P1W' },
    primary: ['alice', 'bob', 'carol'],
    ...spec,
  });
  if (errors) throw new Error(JSON.stringify(errors));
  return s;
}

const d = (iso: string) => new Date(iso);
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

describe('latestHandoff', () => {
  const weekly = schedule({});
  // Berlin is UTC+1 in early March: 09:00 local is 08:00Z.
  const handoffAt = d('2026-03-09T08:00:00Z');

  it('finds the hand-off after the last one reported, with the turn that ended', () => {
    expect(
      latestHandoff(
        weekly,
        d('2026-03-09T07:55:00Z'),
        d('2026-03-09T08:05:00Z'),
      ),
    ).toEqual({
      at: handoffAt,
      incoming: {
        primary: BOB,
        start: handoffAt,
        end: d('2026-03-16T08:00:00Z'),
      },
      outgoing: {
        primary: ALICE,
        start: d('2026-03-02T08:00:00Z'),
        end: handoffAt,
      },
    });
  });

  it('finds nothing when the turn in force began at or before the cursor', () => {
    expect(latestHandoff(weekly, handoffAt, d('2026-03-12T00:00:00Z'))).toBe(
      undefined,
    );
    expect(
      latestHandoff(
        weekly,
        d('2026-03-09T08:30:00Z'),
        d('2026-03-12T00:00:00Z'),
      ),
    ).toBe(undefined);
  });

  it('reports only the latest of several missed hand-offs', () => {
    const found = latestHandoff(
      weekly,
      d('2026-03-03T00:00:00Z'),
      d('2026-03-17T00:00:00Z'),
    );
    expect(found?.at).toEqual(d('2026-03-16T08:00:00Z'));
    expect(found?.incoming.primary).toBe(CAROL);
    expect(found?.outgoing?.primary).toBe(BOB);
  });

  it('follows the wall clock across daylight saving: 09:00 local stays 09:00 local', () => {
    // Berlin moves to UTC+2 on 29 March 2026.
    const found = latestHandoff(
      weekly,
      d('2026-03-28T00:00:00Z'),
      d('2026-03-30T12:00:00Z'),
    );
    expect(found?.at).toEqual(d('2026-03-30T07:00:00Z'));
  });

  it('treats an override as a hand-off, and its end as one back', () => {
    const withOverride = schedule({
      overrides: [
        {
          role: 'primary',
          user: 'carol',
          start: '2026-03-04T12:00',
          end: '2026-03-05T12:00',
        },
      ],
    });
    const into = latestHandoff(
      withOverride,
      d('2026-03-04T10:00:00Z'),
      d('2026-03-04T11:30:00Z'),
    );
    expect(into).toMatchObject({
      at: d('2026-03-04T11:00:00Z'),
      incoming: { primary: CAROL, end: d('2026-03-05T11:00:00Z') },
      outgoing: { primary: ALICE, start: d('2026-03-02T08:00:00Z') },
    });
    const back = latestHandoff(
      withOverride,
      into!.at,
      d('2026-03-05T11:30:00Z'),
    );
    expect(back).toMatchObject({
      at: d('2026-03-05T11:00:00Z'),
      incoming: { primary: ALICE },
      outgoing: { primary: CAROL, start: d('2026-03-04T11:00:00Z') },
    });
  });

  it('is no hand-off when the same person carries on (a one-person rotation)', () => {
    const alone = schedule({ primary: ['alice'] });
    expect(
      latestHandoff(
        alone,
        d('2026-03-09T07:55:00Z'),
        d('2026-03-09T08:05:00Z'),
      ),
    ).toBe(undefined);
    expect(primarySpanAt(alone, d('2026-03-09T08:05:00Z'))).toMatchObject({
      primary: ALICE,
      start: d('2026-03-02T08:00:00Z'),
    });
  });

  it('has no outgoing turn at the schedule’s start, and nothing before it', () => {
    expect(
      latestHandoff(
        weekly,
        d('2026-03-01T00:00:00Z'),
        d('2026-03-02T08:01:00Z'),
      ),
    ).toMatchObject({ incoming: { primary: ALICE }, outgoing: null });
    expect(
      latestHandoff(
        weekly,
        d('2026-02-01T00:00:00Z'),
        d('2026-03-01T00:00:00Z'),
      ),
    ).toBe(undefined);
  });
});

const checks = new Map<string, ReportedCheck>([
  ['ownership.owner', { title: 'Has an owner', level: 'bronze' }],
  ['alerting.runbooks', { title: 'Alerts have runbooks', level: 'silver' }],
  [
    'alerting.critical-pages',
    { title: 'Critical alerts page', level: 'bronze' },
  ],
  [
    'slo.defined',
    { title: 'SLOs defined', level: 'gold', enforcedFrom: '2027-01-01' },
  ],
]);

function input(
  overrides: Partial<HandoffReportInput> = {},
): HandoffReportInput {
  const weekly = schedule({});
  const handoff = latestHandoff(
    weekly,
    d('2026-03-09T07:55:00Z'),
    d('2026-03-09T08:05:00Z'),
  )!;
  return {
    scheduleRef: 'schedule:default/payments-on-call',
    timeZone: 'Europe/Berlin',
    handoff,
    secondary: CAROL,
    person: ref => (ref === ALICE ? { ref, title: 'Alice' } : { ref }),
    covered: [
      { entityRef: 'component:default/payments-api', title: 'Payments API' },
      { entityRef: 'component:default/ledger' },
      { entityRef: 'component:default/refunds' },
    ],
    pages: [
      {
        // Tuesday 03:00 Berlin: off-hours.
        at: d('2026-03-03T02:00:00Z'),
        title: 'Disk full',
        source: 'prometheus',
        entityRef: 'component:default/ledger',
      },
      {
        // Wednesday 11:00 Berlin: working hours.
        at: d('2026-03-04T10:00:00Z'),
        title: 'Latency high',
        source: 'pagerduty',
        entityRef: 'component:default/payments-api',
      },
    ],
    isOffHours: at => {
      const hour = (at.getUTCHours() + 1) % 24;
      return hour < 9 || hour >= 18;
    },
    baseline: {
      at: '2026-03-02T08:03:00.000Z',
      entities: {
        'component:default/payments-api': {
          level: 'silver',
          fail: [],
          ok: [
            'ownership.owner',
            'alerting.runbooks',
            'alerting.critical-pages',
            'slo.defined',
          ],
        },
        'component:default/ledger': {
          level: 'none',
          fail: ['alerting.critical-pages'],
          ok: ['ownership.owner', 'alerting.runbooks'],
        },
      },
    },
    current: new Map([
      [
        'component:default/payments-api',
        {
          level: 'bronze' as const,
          fail: ['alerting.runbooks', 'slo.defined'],
          ok: ['ownership.owner', 'alerting.critical-pages'],
        },
      ],
      [
        'component:default/ledger',
        {
          level: 'none' as const,
          fail: ['alerting.critical-pages'],
          ok: ['ownership.owner', 'alerting.runbooks'],
        },
      ],
    ]),
    checks,
    target: 'bronze',
    now: d('2026-03-09T08:05:00Z'),
    ...overrides,
  };
}

describe('buildHandoffReport', () => {
  it('reports the last shift’s pages, what regressed during it and what is not ready', () => {
    expect(buildHandoffReport(input())).toEqual({
      scheduleRef: 'schedule:default/payments-on-call',
      at: '2026-03-09T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
      incoming: {
        primary: { ref: BOB },
        secondary: { ref: CAROL },
        until: '2026-03-16T08:00:00.000Z',
      },
      lastShift: {
        primary: { ref: ALICE, title: 'Alice' },
        start: '2026-03-02T08:00:00.000Z',
        end: '2026-03-09T08:00:00.000Z',
      },
      pages: {
        total: 2,
        offHours: 1,
        items: [
          {
            at: '2026-03-04T10:00:00.000Z',
            title: 'Latency high',
            source: 'pagerduty',
            entityRef: 'component:default/payments-api',
            offHours: false,
          },
          {
            at: '2026-03-03T02:00:00.000Z',
            title: 'Disk full',
            source: 'prometheus',
            entityRef: 'component:default/ledger',
            offHours: true,
          },
        ],
      },
      regressions: {
        since: '2026-03-02T08:03:00.000Z',
        // slo.defined is announced for 2027: it does not count yet.
        items: [
          {
            entityRef: 'component:default/payments-api',
            title: 'Payments API',
            checks: [
              { id: 'alerting.runbooks', title: 'Alerts have runbooks' },
            ],
            level: { before: 'silver', after: 'bronze' },
          },
        ],
      },
      notReady: {
        target: 'bronze',
        items: [
          {
            entityRef: 'component:default/ledger',
            level: 'none',
            blocking: [
              { id: 'alerting.critical-pages', title: 'Critical alerts page' },
            ],
          },
          // Never evaluated.
          { entityRef: 'component:default/refunds', level: null, blocking: [] },
        ],
      },
      services: 3,
    });
  });

  it('names a level drop without a newly failing check', () => {
    const report = buildHandoffReport(
      input({
        current: new Map([
          [
            'component:default/payments-api',
            { level: 'bronze' as const, fail: [], ok: [] },
          ],
        ]),
      }),
    );
    expect(report.regressions.items).toEqual([
      {
        entityRef: 'component:default/payments-api',
        title: 'Payments API',
        checks: [],
        level: { before: 'silver', after: 'bronze' },
      },
    ]);
  });

  it('does not call a check that failed or was unknown at the start a regression, nor a service new since', () => {
    const report = buildHandoffReport(
      input({
        baseline: { at: '2026-03-02T08:03:00.000Z', entities: {} },
      }),
    );
    expect(report.regressions.items).toEqual([]);
  });

  it('says pages are unknown when they are not collected, and lists at most 20', () => {
    expect(buildHandoffReport(input({ pages: null })).pages).toBeNull();
    const many = Array.from({ length: 25 }, (_, i) => ({
      at: new Date(Date.parse('2026-03-03T10:00:00Z') + i * 3600_000),
      title: `page ${i}`,
      source: 'file',
      entityRef: 'component:default/ledger',
    }));
    const pages = buildHandoffReport(input({ pages: many })).pages!;
    expect(pages.total).toBe(25);
    expect(pages.items).toHaveLength(20);
    expect(pages.items[0].title).toBe('page 24');
  });

  it('uses the target level: at silver, a bronze service is not ready, blocked by its failing silver checks', () => {
    const report = buildHandoffReport(input({ target: 'silver' }));
    expect(
      report.notReady.items.map(i => [
        i.entityRef,
        i.level,
        i.blocking.map(b => b.id),
      ]),
    ).toEqual([
      ['component:default/ledger', 'none', ['alerting.critical-pages']],
      ['component:default/payments-api', 'bronze', ['alerting.runbooks']],
      ['component:default/refunds', null, []],
    ]);
  });
});

describe('handoffNotification', () => {
  it('tells who takes over, the last shift in the schedule’s zone, and what to look at', () => {
    const report = buildHandoffReport(input());
    expect(handoffNotification(report, 'Payments on-call')).toEqual({
      title: 'On-call hand-off: Payments on-call',
      description:
        'bob is primary, carol secondary from Mon 9 Mar 09:00 to Mon 16 Mar 09:00 (Europe/Berlin). ' +
        'Last shift (Alice, Mon 2 Mar 09:00 – Mon 9 Mar 09:00): 2 pages, 1 off-hours. ' +
        'Regressed during it: Payments API (Alerts have runbooks). ' +
        'Not ready (below bronze): ledger (none), refunds (not evaluated).',
      link: '/catalog/default/schedule/payments-on-call',
      severity: 'normal',
      topic: 'operability',
      scope:
        'operability:handoff:schedule:default/payments-on-call:2026-03-09T08:00:00.000Z',
    });
  });

  it('says so when nothing regressed, pages are not collected and every service is ready', () => {
    const report = buildHandoffReport(
      input({
        pages: null,
        covered: [{ entityRef: 'component:default/payments-api' }],
        current: new Map([
          [
            'component:default/payments-api',
            { level: 'silver' as const, fail: [], ok: [] },
          ],
        ]),
      }),
    );
    expect(handoffNotification(report).description).toBe(
      'bob is primary, carol secondary from Mon 9 Mar 09:00 to Mon 16 Mar 09:00 (Europe/Berlin). ' +
        'Last shift (Alice, Mon 2 Mar 09:00 – Mon 9 Mar 09:00): pages not collected. ' +
        'Nothing regressed during it.',
    );
    expect(handoffNotification(report).title).toBe(
      'On-call hand-off: payments-on-call',
    );
  });

  it('names three services and counts the rest', () => {
    const covered = ['a', 'b', 'c', 'd', 'e'].map(n => ({
      entityRef: `component:default/${n}`,
    }));
    const report = buildHandoffReport(input({ covered, current: new Map() }));
    expect(handoffNotification(report).description).toContain(
      'Not ready (below bronze): a (not evaluated), b (not evaluated), c (not evaluated) and 2 more.',
    );
  });
});
