import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { entityRefOf } from '@opsready/plugin-operability-common';
import type { PageSource } from '@opsready/plugin-operability-node';
import type { PageStore } from './PageStore';

/** What one collection did, per source. */
export interface CollectionSummary {
  sources: Record<
    string,
    { entities: number; pages: number; error?: string; ms: number }
  >;
  pruned: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Collects pages from every source, incrementally: each source is asked for
 * each entity it covers from where it got to last time (its watermark), less
 * `lookbackMs` (so pages acknowledged or resolved since are updated), and an
 * entity it never collected from the start of the retention. Entities that
 * share a starting point are asked in one call. A source that fails keeps
 * its watermarks (the next run asks again from there) and its error is
 * recorded; the others go on. Pages older than the retention are deleted.
 */
export class PagesCollector {
  constructor(
    private readonly options: {
      sources: PageSource[];
      store: PageStore;
      /** The entities to collect for (the catalog's scored kinds). */
      entities: () => Promise<Entity[]>;
      retentionMs: number;
      lookbackMs: number;
      /** How long one source may take. */
      timeoutMs: number;
      logger: LoggerService;
    },
  ) {}

  get sources(): readonly PageSource[] {
    return this.options.sources;
  }

  async run(now = new Date()): Promise<CollectionSummary> {
    const { sources, store, retentionMs, lookbackMs, logger } = this.options;
    const summary: CollectionSummary = { sources: {}, pruned: 0 };
    if (sources.length === 0) return summary;
    const entities = await this.options.entities();
    const oldest = now.getTime() - retentionMs;
    await Promise.all(
      sources.map(async source => {
        const started = Date.now();
        const covered = entities.filter(e => {
          try {
            return source.covers(e);
          } catch {
            return false;
          }
        });
        const result = { entities: covered.length, pages: 0, ms: 0 };
        summary.sources[source.id] = result;
        try {
          const marks = await store.watermarks(source.id);
          // Entities by where their collection starts.
          const groups = new Map<number, Entity[]>();
          for (const entity of covered) {
            const mark = marks.get(entityRefOf(entity));
            const since = mark
              ? Math.max(mark.getTime() - lookbackMs, oldest)
              : oldest;
            const group = groups.get(since);
            if (group) group.push(entity);
            else groups.set(since, [entity]);
          }
          const errors = new Map<string, string>();
          for (const [since, group] of [...groups].sort(
            (a, b) => a[0] - b[0],
          )) {
            const batch = await this.withTimeout(
              source.collect({
                entities: group,
                since: new Date(since),
                until: now,
              }),
              source.id,
            );
            const refs = new Set(group.map(entityRefOf));
            const pages = batch.pages.filter(p => refs.has(p.entityRef));
            await store.upsertPages(source.id, pages);
            if (batch.turns && batch.turns.size > 0) {
              const turns = new Map(
                [...batch.turns].filter(([ref]) => refs.has(ref)),
              );
              await store.replaceTurns(source.id, new Date(since), turns);
            }
            for (const [ref, reason] of batch.errors ?? []) {
              if (refs.has(ref)) errors.set(ref, reason);
            }
            // Entities it could not answer for are asked again from the same point.
            await store.setWatermarks(
              source.id,
              [...refs].filter(ref => !errors.has(ref)),
              now,
            );
            result.pages += pages.length;
          }
          await store.recordSuccess(source.id, now, now, errors);
        } catch (error) {
          // Database errors carry their whole statement: keep the start.
          const full = messageOf(error);
          const reason = full.length > 1000 ? `${full.slice(0, 1000)}…` : full;
          (result as { error?: string }).error = reason;
          await store.recordFailure(source.id, now, reason);
          logger.warn(`Page source ${source.id} failed: ${reason}`);
        }
        result.ms = Date.now() - started;
      }),
    );
    summary.pruned = await store.prune(new Date(oldest));
    return summary;
  }

  private async withTimeout<T>(promise: Promise<T>, id: string): Promise<T> {
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `page source ${id} did not answer within ${Math.round(
                    timeoutMs / 1000,
                  )} s`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
