import type { Entity } from '@backstage/catalog-model';
import {
  entityRefOf,
  type EntityRef,
} from '@opsready/plugin-operability-common';
import type {
  CollectedPage,
  PageBatch,
  PageSource,
} from '@opsready/plugin-operability-node';
import { readFile } from 'fs/promises';
import { basename, resolve } from 'path';
import { DateTime, Duration } from 'luxon';
import { csvRows } from './csv';
import type { PageFileConfig } from './config';

/**
 * The columns read from an incident export, a subset of PagerDuty's
 * incident CSV export (Analytics → Incidents → Download CSV); any other
 * column is ignored:
 *
 * - `id` or `incident_number` (one is required): the page's id;
 * - `created_on` (required): when it was raised;
 * - `description` (else `title`, `summary`): what it was about;
 * - `service_id` and/or `service_name` (one is required): whose it was;
 * - `acknowledged_on` / `resolved_on`, or `seconds_to_first_ack` /
 *   `seconds_to_resolve`: for MTTA and MTTR;
 * - `html_url` (else `url`): a link to it.
 *
 * Times are ISO-8601 instants with a zone (`2026-03-02T03:12:00Z`), or, for
 * demo data that stays recent, ISO-8601 durations with an optional sign
 * (`-P3DT4H`, `P1DT09H30M`): that long before or after the start of the
 * current week (Monday 00:00 UTC) when the file is read.
 */
export const INCIDENT_COLUMNS = {
  id: ['id', 'incident_number'],
  createdOn: ['created_on'],
  title: ['description', 'title', 'summary'],
  serviceId: ['service_id'],
  serviceName: ['service_name'],
  acknowledgedOn: ['acknowledged_on'],
  resolvedOn: ['resolved_on'],
  secondsToAck: ['seconds_to_first_ack'],
  secondsToResolve: ['seconds_to_resolve'],
  url: ['html_url', 'url'],
} as const;

/** One row of an export, read. */
export interface IncidentRow {
  id: string;
  at: Date;
  title: string;
  serviceId?: string;
  serviceName?: string;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
  url?: string;
}

/** The start of the week (Monday 00:00 UTC) of an instant: the anchor of relative times. */
export function weekStart(now: Date): Date {
  return DateTime.fromJSDate(now, { zone: 'utc' }).startOf('week').toJSDate();
}

/** The common form, read without luxon: `2026-03-02T03:12:00Z`, `…+01:00`. */
const PLAIN_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** An instant, or a signed ISO duration from `anchor`; undefined when neither. */
export function parseTime(value: string, anchor: Date): Date | undefined {
  const text = value.trim();
  const plain = PLAIN_INSTANT.exec(text);
  if (plain) {
    const [, , month, day, hour, minute, second = '0'] = plain;
    const ms = Date.parse(text);
    const valid =
      !Number.isNaN(ms) &&
      Number(month) >= 1 &&
      Number(month) <= 12 &&
      Number(day) <= 31 &&
      Number(hour) <= 23 &&
      Number(minute) <= 59 &&
      Number(second) <= 59;
    return valid ? new Date(ms) : undefined;
  }
  const relative = /^([+-]?)(P.+)$/.exec(text);
  if (relative) {
    const d = Duration.fromISO(relative[2]);
    if (!d.isValid) return undefined;
    const ms = d.toMillis() * (relative[1] === '-' ? -1 : 1);
    return new Date(anchor.getTime() + ms);
  }
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const dt = DateTime.fromISO(text, { setZone: true });
  if (dt.isValid) return dt.toJSDate();
  // PagerDuty's exports write `2026-03-02 03:12:00 +0100` too.
  const sql = DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm:ss ZZZ', {
    setZone: true,
  });
  return sql.isValid ? sql.toJSDate() : undefined;
}

/** The CSV rows of a file, a broken quote named with the file. */
function* rowsOf(text: string, file: string) {
  const rows = csvRows(text);
  for (;;) {
    let next: IteratorResult<{ line: number; fields: string[] }>;
    try {
      next = rows.next();
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Reads an export's rows; a missing column or a bad value throws naming the file and line. */
export function readIncidentRows(
  text: string,
  file: string,
  now: Date,
): IncidentRow[] {
  return [...incidentRows(text, file, now)];
}

/** The rows of an export one at a time (see {@link readIncidentRows}). */
export function* incidentRows(
  text: string,
  file: string,
  now: Date,
): Generator<IncidentRow> {
  const rows = rowsOf(text, file);
  const first = rows.next();
  if (first.done) return;
  const header = first.value.fields.map(h => h.trim().toLowerCase());
  const column = (names: readonly string[]) => {
    for (const name of names) {
      const i = header.indexOf(name);
      if (i >= 0) return i;
    }
    return -1;
  };
  const cols = Object.fromEntries(
    Object.entries(INCIDENT_COLUMNS).map(([k, names]) => [k, column(names)]),
  ) as Record<keyof typeof INCIDENT_COLUMNS, number>;
  const missing: string[] = [];
  if (cols.id < 0) missing.push('id (or incident_number)');
  if (cols.createdOn < 0) missing.push('created_on');
  if (cols.serviceId < 0 && cols.serviceName < 0) {
    missing.push('service_id or service_name');
  }
  if (missing.length > 0) {
    throw new Error(
      `${file}: the header has no column ${missing.join(
        ', ',
      )} (it has ${header.join(', ')})`,
    );
  }
  const anchor = weekStart(now);
  for (const { line, fields } of rows) {
    const get = (i: number) => (i >= 0 ? fields[i]?.trim() ?? '' : '');
    const where = `${file}:${line}`;
    const id = get(cols.id);
    if (!id) throw new Error(`${where}: the row has no id`);
    const time = (i: number, name: string) => {
      const value = get(i);
      if (!value) return undefined;
      const at = parseTime(value, anchor);
      if (!at) {
        throw new Error(
          `${where}: ${name} '${value}' is neither an ISO-8601 instant with a zone nor a duration such as -P3DT4H`,
        );
      }
      return at;
    };
    const at = time(cols.createdOn, 'created_on');
    if (!at) throw new Error(`${where}: the row has no created_on`);
    const seconds = (i: number, name: string) => {
      const value = get(i);
      if (!value) return undefined;
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) {
        throw new Error(
          `${where}: ${name} '${value}' is not a number of seconds`,
        );
      }
      return new Date(at.getTime() + n * 1000);
    };
    const row: IncidentRow = {
      id,
      at,
      title: get(cols.title) || `Incident ${id}`,
    };
    const serviceId = get(cols.serviceId);
    const serviceName = get(cols.serviceName);
    if (!serviceId && !serviceName) {
      throw new Error(
        `${where}: the row names no service (service_id, service_name)`,
      );
    }
    if (serviceId) row.serviceId = serviceId;
    if (serviceName) row.serviceName = serviceName;
    const ack =
      time(cols.acknowledgedOn, 'acknowledged_on') ??
      seconds(cols.secondsToAck, 'seconds_to_first_ack');
    const resolved =
      time(cols.resolvedOn, 'resolved_on') ??
      seconds(cols.secondsToResolve, 'seconds_to_resolve');
    if (ack) row.acknowledgedAt = ack;
    if (resolved) row.resolvedAt = resolved;
    const url = get(cols.url);
    if (url) row.url = url;
    yield row;
  }
}

/**
 * Pages from incident export files (`operability.onCall.pages.files`). A
 * row belongs to every entity whose `serviceAnnotation` (default
 * `pagerduty.com/service-id`) equals its `service_id`, or whose name or
 * title equals its `service_name` (any case). The files are taken as the
 * whole incident history of the account: the source covers every entity,
 * and one with no row had no page. A file that is missing or malformed fails
 * the collection, naming the file and line.
 */
export class FileIncidentsSource implements PageSource {
  readonly id = 'file';

  constructor(
    private readonly options: {
      files: PageFileConfig[];
      /** The clock (relative times), for tests. */
      now?: () => Date;
    },
  ) {}

  covers(_entity: Entity): boolean {
    return this.options.files.length > 0;
  }

  async collect(request: {
    entities: Entity[];
    since: Date;
    until: Date;
  }): Promise<PageBatch> {
    const now = this.options.now?.() ?? new Date();
    const pages: CollectedPage[] = [];
    for (const file of this.options.files) {
      const path = resolve(file.path);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new Error(
          `Cannot read the incident export ${path}: ${
            (error as Error).message
          }`,
        );
      }
      const rows = incidentRows(text, path, now);
      const byServiceId = new Map<string, EntityRef[]>();
      const byName = new Map<string, EntityRef[]>();
      const add = (map: Map<string, EntityRef[]>, key: string, ref: string) => {
        const list = map.get(key);
        if (!list) map.set(key, [ref]);
        else if (!list.includes(ref)) list.push(ref);
      };
      for (const entity of request.entities) {
        const ref = entityRefOf(entity);
        const id =
          entity.metadata.annotations?.[file.serviceAnnotation]?.trim();
        if (id) add(byServiceId, id, ref);
        add(byName, entity.metadata.name.toLowerCase(), ref);
        if (entity.metadata.title) {
          add(byName, entity.metadata.title.toLowerCase(), ref);
        }
      }
      const prefix = basename(path);
      for (const row of rows) {
        if (row.at < request.since || row.at >= request.until) continue;
        const refs = new Set([
          ...(row.serviceId ? byServiceId.get(row.serviceId) ?? [] : []),
          ...(row.serviceName
            ? byName.get(row.serviceName.toLowerCase()) ?? []
            : []),
        ]);
        for (const entityRef of refs) {
          pages.push({
            id: `${prefix}:${row.id}`,
            entityRef,
            at: row.at.toISOString(),
            title: row.title,
            ...(row.acknowledgedAt
              ? { acknowledgedAt: row.acknowledgedAt.toISOString() }
              : {}),
            ...(row.resolvedAt
              ? { resolvedAt: row.resolvedAt.toISOString() }
              : {}),
            ...(row.url ? { url: row.url } : {}),
          });
        }
      }
    }
    return { pages };
  }
}
