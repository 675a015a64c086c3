import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { readCampaignsConfig } from './readCampaignsConfig';

const checkIds = new Set(['alerting.runbooks', 'documentation.runbook']);

function read(campaigns: JsonValue | undefined) {
  return readCampaignsConfig(
    new ConfigReader(
      campaigns === undefined ? {} : { operability: { campaigns } },
    ),
    { checkIds },
  );
}

const runbooks = {
  id: 'runbooks-for-criticals',
  title: 'Every critical alert has a runbook',
  description: 'Why this matters, how to do it.',
  target: { checks: ['alerting.runbooks'] },
  filter: { kind: 'component', lifecycle: ['production'] },
  start: '2026-12-01',
  deadline: '2027-03-31',
};

describe('readCampaignsConfig', () => {
  it('reads nothing when there are no campaigns', () => {
    expect(read(undefined)).toEqual([]);
    expect(read([])).toEqual([]);
  });

  it('reads a campaign, filter values as lists', () => {
    expect(read([runbooks])).toEqual([
      {
        ...runbooks,
        filter: { kind: ['component'], lifecycle: ['production'] },
      },
    ]);
  });

  it('reads a level target and a campaign of one day without filter', () => {
    expect(
      read([
        {
          id: 'silver-2027',
          title: 'Silver',
          target: { level: 'silver' },
          start: '2027-01-04',
          deadline: '2027-01-04',
        },
      ]),
    ).toEqual([
      {
        id: 'silver-2027',
        title: 'Silver',
        target: { level: 'silver' },
        start: '2027-01-04',
        deadline: '2027-01-04',
      },
    ]);
  });

  it.each([
    [
      'an id with capitals',
      { id: 'Runbooks' },
      "'operability.campaigns[0].id': expected lower-case letters, digits and '-'",
    ],
    [
      'a missing title',
      { title: undefined },
      "'operability.campaigns[0].title'",
    ],
    [
      'a check not in the rubric',
      { target: { checks: ['alerting.runbooks', 'alerting.nope'] } },
      "'operability.campaigns[0].target.checks[1]': no check 'alerting.nope' in the rubric",
    ],
    [
      'both checks and level',
      { target: { checks: ['alerting.runbooks'], level: 'gold' } },
      "'operability.campaigns[0].target': give exactly one of 'checks' (check ids) or 'level'",
    ],
    [
      'neither',
      { target: {} },
      "'operability.campaigns[0].target': give exactly one",
    ],
    [
      'an unknown level',
      { target: { level: 'platinum' } },
      "'operability.campaigns[0].target.level'",
    ],
    [
      'an unknown target key',
      { target: { checks: ['alerting.runbooks'], owners: ['x'] } },
      "'operability.campaigns[0].target'",
    ],
    [
      'a filter of another shape',
      { filter: { system: 'payments' } },
      "'operability.campaigns[0].filter'",
    ],
    [
      'a date that does not exist',
      { start: '2027-02-30' },
      "'operability.campaigns[0].start': expected a date YYYY-MM-DD",
    ],
    [
      'a date with a time',
      { deadline: '2027-03-31T00:00:00Z' },
      "'operability.campaigns[0].deadline': expected a date YYYY-MM-DD",
    ],
    [
      'a deadline before the start',
      { start: '2027-04-01' },
      "'operability.campaigns[0].deadline': must not be before start (2027-04-01)",
    ],
    ['an unknown key', { owner: 'payments' }, "'operability.campaigns[0]'"],
  ])('refuses %s, naming the path', (_what, change, message) => {
    const entry = JSON.parse(JSON.stringify({ ...runbooks, ...change }));
    expect(() => read([entry])).toThrow(`Invalid config at ${message}`);
  });

  it('refuses duplicate ids, naming both', () => {
    expect(() => read([runbooks, { ...runbooks, title: 'Again' }])).toThrow(
      "Invalid config at 'operability.campaigns[1].id': duplicate campaign id 'runbooks-for-criticals' (also at campaigns[0])",
    );
  });

  it('names every problem at once', () => {
    expect(() =>
      read([
        { ...runbooks, start: 'soon' },
        { ...runbooks, id: 'other', target: { level: 'platinum' } },
      ]),
    ).toThrow(/campaigns\[0\]\.start[\s\S]*campaigns\[1\]\.target\.level/);
  });

  it('refuses campaigns that are not a list', () => {
    expect(() => read({ id: 'x' })).toThrow(
      "Invalid config at 'operability.campaigns': expected a list of campaigns",
    );
  });
});
