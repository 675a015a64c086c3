/** What the who-owns endpoint is asked: free text, or alert labels. */
export type WhoOwnsQuery =
  | { q: string; labels?: undefined }
  | { q?: undefined; labels: Record<string, string> };

/** `name=value`, `name = value`, `name="value"` or `name='value'`, as Prometheus names labels. */
const LABEL_PAIR =
  /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s,"'{}]+))/g;

/**
 * Reads what a person typed into the who-owns field. Alert labels — pairs
 * like `job=payments, severity=critical`, separated by commas or spaces,
 * optionally in braces as Alertmanager prints them — become `labels`;
 * anything else (a service name, a repository URL) is searched as text.
 * Returns undefined for an empty input.
 */
export function parseWhoOwnsQuery(input: string): WhoOwnsQuery | undefined {
  const text = input.trim();
  if (!text) return undefined;
  const body = text.replace(/^\{([\s\S]*)\}$/, '$1');
  const labels: Record<string, string> = {};
  for (const match of body.matchAll(LABEL_PAIR)) {
    labels[match[1]] = match[2] ?? match[3] ?? match[4];
  }
  const leftover = body.replace(LABEL_PAIR, '').replace(/[\s,]+/g, '');
  if (Object.keys(labels).length > 0 && leftover === '') return { labels };
  return { q: text };
}

/** How the query will be read, for the hint under the field. */
export function describeWhoOwnsQuery(query: WhoOwnsQuery | undefined): string {
  if (!query) {
    return 'A service name, a repository URL, or alert labels like job=payments, severity=critical';
  }
  if (query.labels) {
    return `Services whose alerts carry ${Object.entries(query.labels)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}`;
  }
  return `Services whose name, title or repository match "${query.q}"`;
}
