import { calendarDateOf, parseCalendarDate } from './calendarDate';

describe('parseCalendarDate', () => {
  it('reads a date as 00:00 UTC of that day', () => {
    expect(parseCalendarDate('2027-03-01')).toBe(
      Date.parse('2027-03-01T00:00:00Z'),
    );
    expect(parseCalendarDate('2028-02-29')).toBe(
      Date.parse('2028-02-29T00:00:00Z'),
    );
  });

  it.each([
    '2027-02-30',
    '2027-13-01',
    '2027-3-1',
    '2027-03-01T00:00:00Z',
    '',
    'soon',
  ])('refuses %j', text => {
    expect(parseCalendarDate(text)).toBeUndefined();
  });

  it('writes the UTC date of an instant', () => {
    expect(calendarDateOf(new Date('2027-03-01T23:59:59.999Z'))).toBe(
      '2027-03-01',
    );
    expect(calendarDateOf(Date.parse('2027-03-02T00:00:00Z'))).toBe(
      '2027-03-02',
    );
  });
});
