import type { Entity } from '@backstage/catalog-model';
import type {
  CollectedPage,
  PageBatch,
  PageSource,
} from '@opsready/plugin-operability-node';
import { createHash } from 'crypto';
import { memoizedRouter, pagingReason } from '../alertmanager/routing';
import type { PrometheusClient } from '../clients/PrometheusClient';
import type { AlertmanagerConfigSource } from '../providers/AlertmanagerFactProvider';
import type { AlertRuleCollector } from '../rules/AlertRuleCollector';
import { readServices } from '../services';
import { escapeRegex } from '../util/regex';

/** Prometheus refuses range queries of more than 11,000 points per series. */
export const MAX_POINTS = 11_000;

/** A firing episode of one alert series. */
export interface Episode {
  labels: Record<string, string>;
  /** Unix ms of the first sample after an absence. */
  start: number;
  /** Unix ms one step after its last sample, when it ended in the range. */
  end?: number;
}

/** The series' labels without `__name__` and `alertstate`: the alert's labels. */
function alertLabels(metric: Record<string, string>): Record<string, string> {
  const { __name__: _n, alertstate: _s, ...labels } = metric;
  return labels;
}

function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map(k => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/**
 * Finds episodes in sampled series: an episode starts at a sample whose step
 * before had none, and ends after its last sample before a gap. Samples of
 * one series may come in several chunks (in order); a series present at the
 * range's very first step (`firstStep`) was already firing before the range
 * and starts no episode there.
 */
export class EpisodeTracker {
  private readonly open = new Map<
    string,
    { labels: Record<string, string>; start?: number; last: number }
  >();
  readonly episodes: Episode[] = [];

  constructor(
    private readonly stepMs: number,
    private readonly firstStep: number,
  ) {}

  add(metric: Record<string, string>, times: number[]): void {
    const labels = alertLabels(metric);
    const key = seriesKey(labels);
    let state = this.open.get(key);
    for (const t of times) {
      if (!state || t - state.last > this.stepMs) {
        if (state?.start !== undefined) {
          this.episodes.push({
            labels: state.labels,
            start: state.start,
            end: state.last + this.stepMs,
          });
        }
        state = {
          labels,
          // Firing at the first step: it began before the range.
          start: t <= this.firstStep ? undefined : t,
          last: t,
        };
        this.open.set(key, state);
      } else {
        state.last = t;
      }
    }
  }

  /** Closes the episodes; those still firing at `lastStep` have no end. */
  finish(lastStep: number): Episode[] {
    for (const state of this.open.values()) {
      if (state.start === undefined) continue;
      this.episodes.push({
        labels: state.labels,
        start: state.start,
        ...(state.last < lastStep ? { end: state.last + this.stepMs } : {}),
      });
    }
    this.open.clear();
    return this.episodes.sort((a, b) => a.start - b.start);
  }
}

/**
 * Pages from Prometheus: firing episodes of the alerts that select an entity
 * (the module's rule selection, as for the `alerting.rules` fact) and that
 * the Alertmanager routing tree sends to a receiver that pages (PagerDuty,
 * Opsgenie, or one listed in `operability.alertmanager.pagingReceivers`),
 * read from `ALERTS{alertstate="firing"}` with range queries on a fixed grid
 * of `stepSeconds` (so the same episode always starts at the same instant),
 * in chunks under Prometheus's 11,000 points per series. An episode starts
 * where the series appears after an absence; a series that carries the
 * entity's identifying label must carry its value. Prometheus's lookback
 * (5 minutes by default) joins a series that disappears for less than that.
 */
export class PrometheusPageSource implements PageSource {
  readonly id = 'prometheus';

  constructor(
    private readonly options: {
      clients: PrometheusClient[];
      collector: AlertRuleCollector;
      alertmanager: AlertmanagerConfigSource;
      pagingReceivers: string[];
      /** The longest query sent (alert names are split over several). */
      maxQueryLength: number;
      /** The resolution of the range queries. Default 60 s. */
      stepSeconds?: number;
    },
  ) {}

  covers(entity: Entity): boolean {
    return readServices([entity]).services.length > 0;
  }

  async collect(request: {
    entities: Entity[];
    since: Date;
    until: Date;
  }): Promise<PageBatch> {
    const { clients, collector, alertmanager } = this.options;
    const [rules, config] = await Promise.all([
      collector.collect(request.entities),
      alertmanager.load(),
    ]);
    const errors = new Map(rules.errors);
    // alert name → entities whose selecting rules have it, with their identity.
    const byAlert = new Map<
      string,
      { ref: string; identity?: { label: string; value: string } }[]
    >();
    for (const [ref, selected] of rules.rules) {
      const identity = rules.services.get(ref)?.identity;
      for (const name of new Set(selected.map(s => s.rule.alert))) {
        let list = byAlert.get(name);
        if (!list) byAlert.set(name, (list = []));
        list.push({ ref, identity });
      }
    }
    if (byAlert.size === 0 || clients.length === 0) {
      return { pages: [], ...(errors.size ? { errors } : {}) };
    }

    const stepMs = (this.options.stepSeconds ?? 60) * 1000;
    // On a fixed grid, one step before `since` (to tell a continuation).
    const first =
      Math.floor(request.since.getTime() / stepMs) * stepMs - stepMs;
    const last = Math.floor((request.until.getTime() - 1) / stepMs) * stepMs;
    const chunkMs = (MAX_POINTS - 1) * stepMs;
    const episodes: Episode[] = [];
    for (const client of clients) {
      for (const expr of this.queries([...byAlert.keys()])) {
        const tracker = new EpisodeTracker(stepMs, first);
        for (let start = first; start <= last; start += chunkMs + stepMs) {
          const end = Math.min(start + chunkMs, last);
          await client.queryRange(
            expr,
            { start: start / 1000, end: end / 1000, step: stepMs / 1000 },
            series =>
              tracker.add(
                series.metric,
                series.values.map(([t]) => Math.round(Number(t) * 1000)),
              ),
          );
        }
        episodes.push(...tracker.finish(last));
      }
    }

    const route = memoizedRouter(config.route);
    const paging = new Set(this.options.pagingReceivers);
    const pagesByReceiver = new Map<string, boolean>();
    const pages: CollectedPage[] = [];
    const seen = new Set<string>();
    for (const episode of episodes) {
      if (episode.start < request.since.getTime()) continue;
      const { labels } = episode;
      const reachesPager = route(labels).some(node => {
        let paged = pagesByReceiver.get(node.receiver);
        if (paged === undefined) {
          paged =
            pagingReason(config.receivers.get(node.receiver), paging) !==
            undefined;
          pagesByReceiver.set(node.receiver, paged);
        }
        return paged;
      });
      if (!reachesPager) continue;
      const id = createHash('sha1')
        .update(`${seriesKey(labels)}@${episode.start}`)
        .digest('hex')
        .slice(0, 24);
      const title = [
        labels.alertname,
        labels.severity && `(${labels.severity})`,
      ]
        .filter(Boolean)
        .join(' ');
      for (const candidate of byAlert.get(labels.alertname) ?? []) {
        const { identity } = candidate;
        if (
          identity &&
          labels[identity.label] !== undefined &&
          labels[identity.label] !== identity.value
        ) {
          continue;
        }
        const key = `${id}\u0000${candidate.ref}`;
        if (seen.has(key)) continue;
        seen.add(key);
        pages.push({
          id,
          entityRef: candidate.ref,
          at: new Date(episode.start).toISOString(),
          title,
          ...(episode.end !== undefined
            ? { resolvedAt: new Date(episode.end).toISOString() }
            : {}),
        });
      }
    }
    return { pages, ...(errors.size ? { errors } : {}) };
  }

  /** `ALERTS{alertstate="firing",alertname=~"…"}` over the names, each query under the length limit. */
  private queries(names: string[]): string[] {
    const head = 'ALERTS{alertstate="firing",alertname=~"';
    const tail = '"}';
    const max = Math.max(this.options.maxQueryLength, 1024);
    const out: string[] = [];
    let current: string[] = [];
    let length = head.length + tail.length;
    for (const name of names.sort()) {
      // Inside a PromQL double-quoted string: escape backslashes and quotes.
      const part = escapeRegex(name)
        .replace(/\\/g, '\\\\')
        .replace(/"/g, '\\"');
      if (current.length > 0 && length + part.length + 1 > max) {
        out.push(`${head}${current.join('|')}${tail}`);
        current = [];
        length = head.length + tail.length;
      }
      current.push(part);
      length += part.length + 1;
    }
    if (current.length > 0) out.push(`${head}${current.join('|')}${tail}`);
    return out;
  }
}
