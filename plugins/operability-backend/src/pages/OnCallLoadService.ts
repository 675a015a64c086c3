import type { Entity } from '@backstage/catalog-model';
import {
  entityRefOf,
  parseSchedule,
  type EntityRef,
  type Schedule,
} from '@opsready/plugin-operability-common';
import type { FactValue, PageSource } from '@opsready/plugin-operability-node';
import { DateTime } from 'luxon';
import type { Snapshot } from '../ownership/CatalogSnapshot';
import { linkPerson, personOf } from '../ownership/orgIndex';
import { resolveSchedule } from '../oncall/resolveSchedule';
import {
  attributeLoad,
  summarizeLoad,
  type AttributedLoad,
  type LoadSummary,
  type Turn,
} from './attribution';
import type { PageStore, StoredPage, StoredTurn } from './PageStore';
import { scheduleTurns } from './scheduleTurns';
import type { WorkingHours } from './workingHours';
import { PAGE_LOAD_FACT, PAGE_LOAD_MAX_PER_12H } from './facts';

/** Entities whose pages are read at a time for the facts. */
const FACT_BATCH = 1000;

/** Where an entity's primary turns come from. */
interface Timeline {
  turns: Turn[];
  timeZone: string;
  /** For messages: `schedule:default/x`, or the sources of the turns. */
  from: string;
}

/** The fact of one entity, or why it cannot be known. */
export type PageLoadFact =
  | { value: FactValue }
  | { error: string }
  | { none: true };

function hoursText(ms: number): string {
  const h = ms / 3600_000;
  return Number.isInteger(h) ? `${h} h` : `${h.toFixed(1)} h`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The on-call load of entities from the stored pages: each page attributed
 * to whoever was primary at its instant. The primary turns come from a page
 * source that knows them itself (PagerDuty's on-call history, stored with
 * the pages), else from the Schedule that covers the entity (its own, its
 * System's or its owner Group's); off-hours are judged in the Schedule's
 * time zone, else in `workingHours.timeZone`.
 */
export class OnCallLoadService {
  private readonly parsed = new WeakMap<Entity, Schedule | undefined>();

  constructor(
    private readonly options: {
      store: PageStore;
      sources: readonly PageSource[];
      workingHours: WorkingHours;
      windowMs: number;
    },
  ) {}

  get windowMs(): number {
    return this.options.windowMs;
  }

  private schedule(
    entity: Entity,
    snapshot: Snapshot,
  ): { ref: EntityRef; schedule: Schedule } | undefined {
    const resolution = resolveSchedule(
      entity,
      ref => snapshot.byRef.get(ref) ?? snapshot.org.groups.get(ref),
    );
    const scheduleEntity =
      resolution && snapshot.schedules.get(resolution.scheduleRef);
    if (!resolution || !scheduleEntity) return undefined;
    if (!this.parsed.has(scheduleEntity)) {
      this.parsed.set(scheduleEntity, parseSchedule(scheduleEntity).schedule);
    }
    const schedule = this.parsed.get(scheduleEntity);
    return schedule && { ref: resolution.scheduleRef, schedule };
  }

  private timeline(
    entity: Entity,
    snapshot: Snapshot,
    stored: StoredTurn[],
    from: Date,
    to: Date,
    /** Turns per schedule, for many entities over one window. */
    cache?: Map<Schedule, Turn[]>,
  ): Timeline | undefined {
    const found = this.schedule(entity, snapshot);
    const timeZone =
      found?.schedule.timeZone ?? this.options.workingHours.timeZone;
    if (stored.length > 0) {
      return {
        turns: stored.map(t => ({
          start: t.start,
          end: t.end,
          primary: t.primary && linkPerson(t.primary, snapshot.org),
        })),
        timeZone,
        from: [...new Set(stored.map(t => t.source))].join(', '),
      };
    }
    if (!found) return undefined;
    let turns = cache?.get(found.schedule);
    if (!turns) {
      turns = scheduleTurns(found.schedule, from, to, ref =>
        personOf(snapshot.org, ref),
      );
      cache?.set(found.schedule, turns);
    }
    return { turns, timeZone, from: found.ref };
  }

  /** The load of one entity over [from, to). */
  async load(
    entity: Entity,
    snapshot: Snapshot,
    from: Date,
    to: Date,
  ): Promise<AttributedLoad & { sources: string[]; turnsFrom?: string }> {
    const ref = entityRefOf(entity);
    const [pages, turns] = await Promise.all([
      this.options.store.pages(from, to, [ref]),
      this.options.store.turns(from, to, [ref]),
    ]);
    const timeline = this.timeline(entity, snapshot, turns, from, to);
    const load = attributeLoad({
      from,
      to,
      timeZone: timeline?.timeZone ?? this.options.workingHours.timeZone,
      workingHours: this.options.workingHours,
      turns: timeline?.turns ?? [],
      pages: pages.map(toInput),
    });
    return {
      ...load,
      sources: this.coveringSources(entity).map(s => s.id),
      ...(timeline ? { turnsFrom: timeline.from } : {}),
    };
  }

  private coveringSources(entity: Entity): PageSource[] {
    return this.options.sources.filter(s => {
      try {
        return s.covers(entity);
      } catch {
        return false;
      }
    });
  }

  /**
   * The fact `on-call.pages-per-12h-max` of many entities over the window
   * ending at `now`: the most pages per 12 hours on call of any primary
   * shift, with the busiest shift as evidence. No fact (`none`) for an
   * entity no page source covers, or while a source that covers it has not
   * collected yet; an `error` when a source that covers it failed its last
   * collection or could not answer for it, or when no primary turns are
   * known for it.
   */
  async facts(
    entities: Entity[],
    snapshot: Snapshot,
    now: Date,
  ): Promise<Map<EntityRef, PageLoadFact>> {
    const out = new Map<EntityRef, PageLoadFact>();
    const from = new Date(now.getTime() - this.options.windowMs);
    const states = await this.options.store.sourceStates();
    const marks = new Map<string, Map<EntityRef, Date>>();
    for (const source of this.options.sources) {
      marks.set(source.id, await this.options.store.watermarks(source.id));
    }
    const wanted: Entity[] = [];
    for (const entity of entities) {
      const ref = entityRefOf(entity);
      const covering = this.coveringSources(entity);
      if (covering.length === 0) {
        out.set(ref, { none: true });
        continue;
      }
      // Until every source that covers it has collected it once, the fact
      // is not known yet (no problem: the task runs seconds after start-up,
      // and collects an entity new to the catalog on its next run).
      if (covering.some(source => !marks.get(source.id)?.has(ref))) {
        const failed = covering
          .map(source => states.get(source.id))
          .filter(state => state && !state.lastSuccessAt && state.lastError);
        out.set(
          ref,
          failed.length > 0
            ? {
                error: failed
                  .map(
                    state =>
                      `page source ${state!.source} failed: ${
                        state!.lastError
                      }`,
                  )
                  .join('; '),
              }
            : { none: true },
        );
        continue;
      }
      const problem = covering
        .map(source => {
          const state = states.get(source.id)!;
          if (state.lastError) {
            return `page source ${source.id} failed: ${state.lastError}`;
          }
          const reason = state.entityErrors.get(ref);
          return reason && `page source ${source.id}: ${reason}`;
        })
        .filter((p): p is string => Boolean(p));
      if (problem.length > 0) {
        out.set(ref, { error: problem.join('; ') });
        continue;
      }
      wanted.push(entity);
    }
    if (wanted.length === 0) return out;
    const collectedAt = now.toISOString();
    const cache = new Map<Schedule, Turn[]>();
    // A batch of entities at a time: their pages are read, judged and let go.
    for (let i = 0; i < wanted.length; i += FACT_BATCH) {
      const batch = wanted.slice(i, i + FACT_BATCH);
      const refs = batch.map(entityRefOf);
      const [pagesByRef, turns] = await Promise.all([
        this.options.store.pageInstants(from, now, refs),
        this.options.store.turns(from, now, refs),
      ]);
      const turnsByRef = groupBy(turns, t => t.entityRef);
      for (const entity of batch) {
        const ref = entityRefOf(entity);
        const own = pagesByRef.get(ref) ?? [];
        const timeline = this.timeline(
          entity,
          snapshot,
          turnsByRef.get(ref) ?? [],
          from,
          now,
          cache,
        );
        const sources = this.coveringSources(entity).map(s => s.id);
        if (!timeline) {
          out.set(ref, {
            error: `no primary turns are known: no Schedule covers it and no page source (${sources.join(
              ', ',
            )}) reports its on-call history`,
          });
          continue;
        }
        const summary = summarizeLoad({
          from,
          to: now,
          timeZone: timeline.timeZone,
          workingHours: this.options.workingHours,
          turns: timeline.turns,
          pages: own,
        });
        out.set(ref, {
          value: factOf(summary, from, now, timeline, sources, collectedAt),
        });
      }
    }
    return out;
  }
}

function toInput(p: StoredPage) {
  return {
    at: p.at,
    title: p.title,
    source: p.source,
    ...(p.acknowledgedAt ? { acknowledgedAt: p.acknowledgedAt } : {}),
    ...(p.resolvedAt ? { resolvedAt: p.resolvedAt } : {}),
  };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function factOf(
  load: LoadSummary,
  from: Date,
  to: Date,
  timeline: Timeline,
  sources: string[],
  collectedAt: string,
): FactValue {
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const total = `${load.pages} page${
    load.pages === 1 ? '' : 's'
  } in the last ${days} days (${load.offHoursPages} off-hours)`;
  const evidence: NonNullable<FactValue['evidence']> = [];
  const busiest = load.busiest;
  if (busiest && busiest.shift.pages === 0) {
    evidence.push({
      kind: 'shift',
      text: `no primary shift was paged in the last ${days} days`,
      source: timeline.from,
    });
  } else if (busiest) {
    const { shift } = busiest;
    const local = (iso: string) =>
      DateTime.fromISO(iso, { zone: timeline.timeZone }).toFormat(
        'ccc d LLL HH:mm',
      );
    const who = shift.primary?.title
      ? `${shift.primary.title} (${shift.primary.ref})`
      : shift.primary?.ref ?? 'nobody';
    evidence.push({
      kind: 'shift',
      text: `busiest primary shift: ${who}, ${local(shift.start)} – ${local(
        shift.end,
      )} ${timeline.timeZone}: ${shift.pages} page${
        shift.pages === 1 ? '' : 's'
      } (${shift.offHoursPages} off-hours) in ${hoursText(
        Date.parse(shift.end) - Date.parse(shift.start),
      )} on call = ${round2(
        busiest.perTwelveHours,
      )} per 12 h (limit ${PAGE_LOAD_MAX_PER_12H})`,
      source: timeline.from,
    });
  } else {
    evidence.push({
      kind: 'shift',
      text: `nobody was primary in the last ${days} days`,
      source: timeline.from,
    });
  }
  evidence.push({ kind: 'pages', text: total, source: sources.join(', ') });
  return {
    name: PAGE_LOAD_FACT,
    value: round2(busiest?.perTwelveHours ?? 0),
    source: `pages: ${sources.join(', ')}; turns: ${timeline.from}`,
    collectedAt,
    evidence,
  };
}
