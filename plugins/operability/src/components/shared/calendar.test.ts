import {
  campaignTimeText,
  countsFromText,
  formatCalendarDate,
} from './calendar';

describe('calendar', () => {
  it('formats a calendar date as the same day in any time zone', () => {
    expect(formatCalendarDate('2027-03-01')).toMatch(/March|Mar|3/);
    expect(formatCalendarDate('2027-03-01')).toContain('1');
    expect(formatCalendarDate('not a date')).toBe('not a date');
    expect(countsFromText('2027-03-01')).toBe(
      `counts from ${formatCalendarDate('2027-03-01')}`,
    );
  });

  const campaign = { start: '2027-01-04', deadline: '2027-01-31' };
  it.each([
    ['2027-01-01T12:00:00Z', 'upcoming', 'starts in 3 days'],
    ['2027-01-03T12:00:00Z', 'upcoming', 'starts in 1 day'],
    ['2027-01-04T00:00:00Z', 'active', '28 days left'],
    ['2027-01-30T12:00:00Z', 'active', '2 days left'],
    ['2027-01-31T23:00:00Z', 'active', 'last day'],
    ['2027-02-01T10:00:00Z', 'ended', 'ended today'],
    ['2027-02-03T10:00:00Z', 'ended', 'ended 2 days ago'],
  ] as const)('at %s (%s): %s', (now, state, text) => {
    expect(campaignTimeText({ ...campaign, state }, new Date(now))).toBe(text);
  });
});
