import { campaignNotification, noticeDue, openByTeam } from './notices';
import type { CampaignEntry } from './progress';

const at = (iso: string) => Date.parse(iso);
// 2027-01-04 to 2027-01-31, inclusive.
const campaign = {
  startMs: at('2027-01-04T00:00:00Z'),
  endMs: at('2027-02-01T00:00:00Z'),
};

describe('noticeDue', () => {
  it('nothing before the start', () => {
    expect(noticeDue(campaign, {}, at('2027-01-03T23:00:00Z'))).toBeUndefined();
  });

  it('the start notice once the campaign runs, even if it started days ago', () => {
    expect(noticeDue(campaign, {}, at('2027-01-04T00:00:00Z'))).toBe('start');
    expect(noticeDue(campaign, {}, at('2027-01-20T00:00:00Z'))).toBe('start');
  });

  it('weekly: seven days after the last of the start and weekly notices', () => {
    const start = new Date('2027-01-04T06:00:00Z');
    expect(
      noticeDue(campaign, { start }, at('2027-01-11T05:59:59Z')),
    ).toBeUndefined();
    expect(noticeDue(campaign, { start }, at('2027-01-11T06:00:00Z'))).toBe(
      'weekly',
    );
    const weekly = new Date('2027-01-11T06:00:00Z');
    expect(
      noticeDue(campaign, { start, weekly }, at('2027-01-17T06:00:00Z')),
    ).toBeUndefined();
    expect(
      noticeDue(campaign, { start, weekly }, at('2027-01-31T23:59:00Z')),
    ).toBe('weekly');
  });

  it('the deadline notice once, within a week after the deadline', () => {
    expect(noticeDue(campaign, {}, at('2027-02-01T00:00:00Z'))).toBe(
      'deadline',
    );
    expect(
      noticeDue(
        campaign,
        { deadline: new Date('2027-02-01T06:00:00Z') },
        at('2027-02-02T06:00:00Z'),
      ),
    ).toBeUndefined();
    expect(noticeDue(campaign, {}, at('2027-02-08T00:00:00Z'))).toBeUndefined();
  });
});

describe('campaignNotification', () => {
  const entry = (name: string, failing: string[]): CampaignEntry => ({
    entityRef: `component:default/${name}`,
    owner: 'group:default/payments',
    declaredOwner: 'group:default/payments',
    done: false,
    failing,
  });

  it('names at most five open services, with what fails', () => {
    const open = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(n =>
      entry(n, ['alerting.runbooks']),
    );
    const n = campaignNotification(
      {
        campaign: {
          id: 'runbooks',
          title: 'Runbooks',
          target: { checks: ['alerting.runbooks'] },
          start: '2027-01-04',
          deadline: '2027-01-31',
        },
        endMs: campaign.endMs,
      },
      'weekly',
      'group:default/payments',
      open,
      at('2027-01-30T12:00:00Z'),
    );
    expect(n).toEqual({
      title: 'Campaign: Runbooks, 2 days left',
      description:
        '7 services of your team are still open; the deadline is 2027-01-31. Open: a (alerting.runbooks); b (alerting.runbooks); c (alerting.runbooks); d (alerting.runbooks); e (alerting.runbooks); and 2 more.',
      link: '/operability?campaign=runbooks',
      severity: 'normal',
      topic: 'operability',
      scope: 'operability:campaign:runbooks:group:default/payments',
    });
  });

  it('groups only open entries with an owner', () => {
    expect([
      ...openByTeam([
        entry('a', ['x']),
        { ...entry('b', []), done: true },
        { ...entry('c', ['x']), owner: null },
      ]).keys(),
    ]).toEqual(['group:default/payments']);
  });
});
