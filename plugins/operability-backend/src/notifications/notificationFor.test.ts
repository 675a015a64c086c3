import type { ReadinessChange } from '@opsready/plugin-operability-node';
import {
  ALL_TRANSITIONS,
  notificationFor,
  type NotificationContext,
  type NotifiedCheck,
  openNotificationAfter,
  operabilityTabLink,
} from './notificationFor';

const REF = 'component:default/payments-api';

const checks = new Map<string, NotifiedCheck>([
  ['ownership.owner-set', { title: 'Owner is set', level: 'bronze' }],
  [
    'alerting.critical-pages',
    { title: 'Critical alerts page', level: 'silver' },
  ],
  [
    'alerting.runbooks',
    { title: 'Critical alerts have runbooks', level: 'gold' },
  ],
  ['alerting.slo-burn-rate', { title: 'SLO burn-rate alert', level: 'gold' }],
  [
    'security.image-scanned',
    { title: 'Image scanned', level: 'bronze', enforcedFrom: '2027-01-01' },
  ],
]);

const AT = new Date('2026-12-01T10:00:00Z');

function ctx(
  overrides: Partial<NotificationContext> = {},
): NotificationContext {
  return {
    checks,
    entityTitle: 'Payments API',
    failing: [],
    at: AT,
    on: ALL_TRANSITIONS,
    ...overrides,
  };
}

function change(overrides: Partial<ReadinessChange> = {}): ReadinessChange {
  return {
    entityRef: REF,
    before: { score: 100, level: 'gold' },
    after: { score: 80, level: 'silver' },
    regressed: ['alerting.runbooks'],
    recovered: [],
    stale: false,
    ...overrides,
  };
}

describe('notificationFor', () => {
  it('names the checks that regressed and links to the Operability tab', () => {
    const context = ctx({ failing: ['alerting.runbooks'] });
    expect(notificationFor(change(), context)).toEqual({
      title: 'Payments API dropped from gold to silver',
      description:
        'Now failing: Critical alerts have runbooks. Level gold → silver. Score 100 → 80.',
      link: '/catalog/default/component/payments-api/operability',
      severity: 'normal',
      topic: 'operability',
      scope: 'operability:readiness:component:default/payments-api',
    });
    expect(openNotificationAfter(change(), context)).toEqual({
      checks: ['alerting.runbooks'],
      levelBefore: 'gold',
    });
  });

  it('sends nothing on a first evaluation', () => {
    const first = change({ before: null });
    const context = ctx({ failing: ['alerting.runbooks'] });
    expect(notificationFor(first, context)).toBeUndefined();
    expect(openNotificationAfter(first, context)).toBeUndefined();
  });

  it('sends nothing when the change came from stale inputs, and keeps what is open', () => {
    const open = {
      checks: ['alerting.slo-burn-rate'],
      levelBefore: 'gold' as const,
    };
    const stale = change({ stale: true });
    const context = ctx({ failing: ['alerting.runbooks'], open });
    expect(notificationFor(stale, context)).toBeUndefined();
    expect(openNotificationAfter(stale, context)).toBe(open);
    // A stale recovery does not update the open notification either.
    const staleRecovery = change({
      before: { score: 80, level: 'silver' },
      after: { score: 100, level: 'gold' },
      regressed: [],
      recovered: ['alerting.slo-burn-rate'],
      stale: true,
    });
    expect(notificationFor(staleRecovery, ctx({ open }))).toBeUndefined();
    expect(openNotificationAfter(staleRecovery, ctx({ open }))).toBe(open);
  });

  it('is high when paging is lost or the service drops to none', () => {
    const lostPaging = change({
      after: { score: 70, level: 'bronze' },
      regressed: ['alerting.critical-pages'],
    });
    expect(
      notificationFor(lostPaging, ctx({ failing: ['alerting.critical-pages'] }))
        ?.severity,
    ).toBe('high');
    const toNone = change({
      before: { score: 60, level: 'bronze' },
      after: { score: 40, level: 'none' },
      regressed: ['ownership.owner-set'],
    });
    expect(
      notificationFor(toNone, ctx({ failing: ['ownership.owner-set'] }))
        ?.severity,
    ).toBe('high');
  });

  it('reports a check regression that leaves the level as it was', () => {
    const sameLevel = change({
      before: { score: 90, level: 'silver' },
      after: { score: 80, level: 'silver' },
      regressed: ['alerting.slo-burn-rate'],
    });
    const context = ctx({
      failing: ['alerting.runbooks', 'alerting.slo-burn-rate'],
    });
    expect(notificationFor(sameLevel, context)).toMatchObject({
      title: 'Payments API: “SLO burn-rate alert” now fails',
      description:
        'Now failing: SLO burn-rate alert. Level silver. Score 90 → 80.',
      severity: 'normal',
    });
    const two = change({
      before: { score: 90, level: 'silver' },
      after: { score: 70, level: 'silver' },
      regressed: ['alerting.slo-burn-rate', 'alerting.runbooks'],
    });
    expect(notificationFor(two, context)?.title).toBe(
      'Payments API: 2 checks now fail',
    );
  });

  it('names the failing checks that cost a level even when none regressed', () => {
    // E.g. the service became production and gold checks now apply.
    const drop = change({ regressed: [] });
    expect(
      notificationFor(drop, ctx({ failing: ['alerting.slo-burn-rate'] }))
        ?.description,
    ).toBe(
      'Now failing: SLO burn-rate alert. Level gold → silver. Score 100 → 80.',
    );
  });

  it('sends nothing for a level drop made of unknown checks (missing or too old facts)', () => {
    const drop = change({ regressed: [] });
    // The silver drop happened, but no check fails: they are unknown.
    expect(notificationFor(drop, ctx({ failing: [] }))).toBeUndefined();
    // Checks failing above the level held before did not cost it.
    const fromSilver = change({
      before: { score: 80, level: 'silver' },
      after: { score: 60, level: 'bronze' },
      regressed: [],
    });
    expect(
      notificationFor(fromSilver, ctx({ failing: ['alerting.runbooks'] })),
    ).toBeUndefined();
  });

  it('does not count announced checks (enforcedFrom ahead)', () => {
    const announced = change({
      before: { score: 100, level: 'gold' },
      after: { score: 100, level: 'gold' },
      regressed: ['security.image-scanned'],
    });
    expect(
      notificationFor(announced, ctx({ failing: ['security.image-scanned'] })),
    ).toBeUndefined();
    expect(
      notificationFor(
        announced,
        ctx({
          failing: ['security.image-scanned'],
          at: new Date('2027-01-01T00:00:00Z'),
        }),
      )?.title,
    ).toBe('Payments API: “Image scanned” now fails');
  });

  it('updates the open notification when its checks recover and the level is back', () => {
    const open = {
      checks: ['alerting.runbooks'],
      levelBefore: 'gold' as const,
    };
    const recovery = change({
      before: { score: 80, level: 'silver' },
      after: { score: 100, level: 'gold' },
      regressed: [],
      recovered: ['alerting.runbooks'],
    });
    const context = ctx({ failing: [], open });
    expect(notificationFor(recovery, context)).toEqual({
      title: 'Payments API is back at gold',
      description:
        'No longer failing: Critical alerts have runbooks. Level silver → gold. Score 80 → 100.',
      link: '/catalog/default/component/payments-api/operability',
      severity: 'normal',
      topic: 'operability',
      scope: 'operability:readiness:component:default/payments-api',
    });
    expect(openNotificationAfter(recovery, context)).toBeUndefined();
  });

  it('counts an exemption re-added (fail → exempt, level back up) as a recovery', () => {
    const open = {
      checks: ['alerting.runbooks'],
      levelBefore: 'gold' as const,
    };
    const exempted = change({
      before: { score: 80, level: 'silver' },
      after: { score: 100, level: 'gold' },
      regressed: [],
      recovered: [],
    });
    expect(notificationFor(exempted, ctx({ open }))?.title).toBe(
      'Payments API is back at gold',
    );
  });

  it('keeps what still fails open on a partial recovery', () => {
    const open = {
      checks: ['alerting.runbooks', 'alerting.slo-burn-rate'],
      levelBefore: 'gold' as const,
    };
    const partial = change({
      before: { score: 60, level: 'silver' },
      after: { score: 80, level: 'silver' },
      regressed: [],
      recovered: ['alerting.runbooks'],
    });
    const context = ctx({ failing: ['alerting.slo-burn-rate'], open });
    expect(notificationFor(partial, context)).toMatchObject({
      title: 'Payments API: a check recovered',
      description:
        'No longer failing: Critical alerts have runbooks. Still failing: SLO burn-rate alert. Level silver → silver. Score 60 → 80.',
      scope: 'operability:readiness:component:default/payments-api',
    });
    expect(openNotificationAfter(partial, context)).toEqual({
      checks: ['alerting.slo-burn-rate'],
      levelBefore: 'gold',
    });
  });

  it('sends nothing for a recovery without an open notification', () => {
    // The check failed since the first evaluation: nobody was told it failed.
    const recovery = change({
      before: { score: 80, level: 'silver' },
      after: { score: 100, level: 'gold' },
      regressed: [],
      recovered: ['alerting.runbooks'],
    });
    expect(notificationFor(recovery, ctx())).toBeUndefined();
    expect(openNotificationAfter(recovery, ctx())).toBeUndefined();
  });

  it('adds a new regression to an open notification, keeping the level it dropped from', () => {
    const open = {
      checks: ['alerting.runbooks'],
      levelBefore: 'gold' as const,
    };
    const worse = change({
      before: { score: 80, level: 'silver' },
      after: { score: 60, level: 'bronze' },
      regressed: ['alerting.critical-pages'],
    });
    const context = ctx({
      failing: ['alerting.runbooks', 'alerting.critical-pages'],
      open,
    });
    expect(notificationFor(worse, context)).toMatchObject({
      title: 'Payments API dropped from silver to bronze',
      severity: 'high',
    });
    expect(openNotificationAfter(worse, context)).toEqual({
      checks: ['alerting.runbooks', 'alerting.critical-pages'],
      levelBefore: 'gold',
    });
  });

  it('follows operability.notifications.on', () => {
    const open = {
      checks: ['alerting.runbooks'],
      levelBefore: 'gold' as const,
    };
    const recovery = change({
      before: { score: 80, level: 'silver' },
      after: { score: 100, level: 'gold' },
      regressed: [],
      recovered: ['alerting.runbooks'],
    });
    const noRecovery = {
      ...ALL_TRANSITIONS,
      recovery: false,
    };
    expect(
      notificationFor(recovery, ctx({ open, on: noRecovery })),
    ).toBeUndefined();
    // Still resolved: a later recovery is not reported either.
    expect(
      openNotificationAfter(recovery, ctx({ open, on: noRecovery })),
    ).toBeUndefined();

    const regression = change({
      before: { score: 90, level: 'silver' },
      after: { score: 80, level: 'silver' },
      regressed: ['alerting.slo-burn-rate'],
    });
    const dropsOnly = { ...ALL_TRANSITIONS, checkRegression: false };
    expect(
      notificationFor(
        regression,
        ctx({ failing: ['alerting.slo-burn-rate'], on: dropsOnly }),
      ),
    ).toBeUndefined();
    // A drop is still reported.
    expect(
      notificationFor(
        change(),
        ctx({ failing: ['alerting.runbooks'], on: dropsOnly }),
      )?.title,
    ).toBe('Payments API dropped from gold to silver');
  });

  it('uses the name without a title, and the kind and namespace in the link', () => {
    const ref = 'system:ops/ledger';
    const payload = notificationFor(
      change({ entityRef: ref }),
      ctx({ entityTitle: undefined, failing: ['alerting.runbooks'] }),
    );
    expect(payload?.title).toBe('ledger dropped from gold to silver');
    expect(payload?.link).toBe('/catalog/ops/system/ledger/operability');
    expect(operabilityTabLink('component:default/a b')).toBe(
      '/catalog/default/component/a%20b/operability',
    );
  });
});
