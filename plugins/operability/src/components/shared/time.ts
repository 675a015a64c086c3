const units: [name: string, seconds: number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** How long ago an instant was, in the largest whole unit: "3 hours ago". */
export function formatAge(from: string | Date, now: Date = new Date()): string {
  const seconds = Math.max(
    0,
    Math.floor((now.getTime() - new Date(from).getTime()) / 1000),
  );
  for (const [name, length] of units) {
    const count = Math.floor(seconds / length);
    if (count >= 1) return `${count} ${name}${count === 1 ? '' : 's'} ago`;
  }
  return 'less than a minute ago';
}

/** An instant in the viewer's local time zone. */
export function formatLocalDateTime(instant: string | Date): string {
  return new Date(instant).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A day in the viewer's local time zone. */
export function formatLocalDate(instant: string | Date | number): string {
  return new Date(instant).toLocaleDateString(undefined, {
    dateStyle: 'medium',
  });
}
