/**
 * iCalendar (RFC 5545) for the on-call shifts export: one VEVENT per shift,
 * times in UTC, text escaped and lines folded as the RFC says.
 */

/** One event of the calendar. */
export interface CalendarEvent {
  /** Stable across downloads, so a calendar that imports again updates it. */
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
}

export interface Calendar {
  /** The calendar's name (`X-WR-CALNAME`). */
  name: string;
  /** The IANA zone the times were planned in (`X-WR-TIMEZONE`). */
  timeZone: string;
  events: CalendarEvent[];
  /** When the file was made (`DTSTAMP`). */
  now: Date;
}

/** A TEXT value: backslash, semicolon, comma and line breaks escaped. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A DATE-TIME in UTC: `20260302T090000Z`. */
export function formatUtc(date: Date): string {
  return `${date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')}`;
}

const encoder = new TextEncoder();

/**
 * A content line folded at 75 octets: each further line starts with one
 * space, and no UTF-8 character is split between lines.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // The first line holds 75 octets; the others 74 after their space.
  let limit = 75;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** The whole file, CRLF line ends. */
export function formatCalendar(calendar: Calendar): string {
  const stamp = formatUtc(calendar.now);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//OpsReady//Operability on-call shifts//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
    `X-WR-TIMEZONE:${escapeText(calendar.timeZone)}`,
  ];
  for (const event of calendar.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(event.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${formatUtc(event.start)}`,
      `DTEND:${formatUtc(event.end)}`,
      `SUMMARY:${escapeText(event.summary)}`,
      ...(event.description
        ? [`DESCRIPTION:${escapeText(event.description)}`]
        : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
