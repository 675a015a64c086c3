import { escapeText, foldLine, formatCalendar, formatUtc } from './ical';

describe('ical', () => {
  it('escapes TEXT values', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
  });

  it('writes UTC date-times', () => {
    expect(formatUtc(new Date('2026-03-02T09:00:00.000Z'))).toBe(
      '20260302T090000Z',
    );
  });

  it('folds lines at 75 octets without splitting a character', () => {
    const short = `SUMMARY:${'x'.repeat(67)}`;
    expect(foldLine(short)).toBe(short);
    const long = `DESCRIPTION:${'é'.repeat(100)}`;
    const folded = foldLine(long).split('\r\n');
    expect(folded.length).toBeGreaterThan(1);
    for (const line of folded) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    }
    expect(folded.slice(1).every(line => line.startsWith(' '))).toBe(true);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(long);
  });

  it('writes a calendar with one VEVENT per event', () => {
    const text = formatCalendar({
      name: 'On call: payments, api',
      timeZone: 'Europe/Berlin',
      now: new Date('2026-03-01T00:00:00Z'),
      events: [
        {
          uid: 'schedule:default/s:primary:20260302T080000Z@operability',
          start: new Date('2026-03-02T08:00:00Z'),
          end: new Date('2026-03-09T08:00:00Z'),
          summary: 'On call (primary): Alice',
          description: 'Line one\nline two',
        },
      ],
    });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Berlin');
    expect(lines).toContain('X-WR-CALNAME:On call: payments\\, api');
    expect(lines).toContain('DTSTART:20260302T080000Z');
    expect(lines).toContain('DTEND:20260309T080000Z');
    expect(lines).toContain('DTSTAMP:20260301T000000Z');
    expect(lines).toContain('DESCRIPTION:Line one\\nline two');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });
});
