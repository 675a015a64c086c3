import type { Entity } from '@backstage/catalog-model';
import {
  FactBatch,
  FactProvider,
  FactValue,
  INSTRUMENTATION_FACTS,
} from '@opsready/plugin-operability-node';
import type { PrometheusClient } from '../clients/PrometheusClient';
import { INSTRUMENTATION_FACT_DEFINITIONS } from '../facts';
import { formatIdentity, readServices, ServiceIndex } from '../services';
import {
  ERROR_SIGNAL_LABEL,
  GoldenSignal,
  GoldenSignalMatcher,
  orderedSignals,
} from '../signals/goldenSignals';

interface ServiceState {
  /** With one instance: targets and targets up, counted. */
  count: number;
  up: number;
  /**
   * With several instances (e.g. an HA pair scraping the same targets):
   * target key (scrape URL, job, instance) → up on any instance.
   */
  targets?: Map<string, boolean>;
  down: { url: string; error: string }[];
  signals: Map<GoldenSignal, Set<string>>;
  targetInfo: boolean;
}

const MAX_DOWN_EVIDENCE = 3;
const ALL_SIGNALS: GoldenSignal[] = ['requests', 'errors', 'latency-histogram'];

/**
 * The `prometheus` provider: scrape targets and golden-signal metrics of the
 * services identified by `prometheus.io/job` or
 * `prometheus.io/service-label`.
 *
 * Per cycle and per Prometheus instance: one `/api/v1/targets?state=active`
 * and one presence query per identifying label name (`job`, and e.g.
 * `service` when some entity uses `prometheus.io/service-label`), split only
 * when the regex of service values passes `maxQueryLength` — so the number of
 * requests does not grow with the number of services. Any failure of any
 * instance throws (the engine keeps the last good facts, marked stale).
 * Without instances it returns no facts (the checks stay unknown).
 */
export class PrometheusFactProvider implements FactProvider {
  readonly id = 'prometheus';
  readonly facts = INSTRUMENTATION_FACT_DEFINITIONS;

  constructor(
    private readonly options: {
      clients: PrometheusClient[];
      signals: GoldenSignalMatcher;
      maxQueryLength: number;
    },
  ) {}

  async collect({ entities }: { entities: Entity[] }): Promise<FactBatch> {
    const { clients, signals, maxQueryLength } = this.options;
    if (clients.length === 0) return { facts: new Map() };
    const collectedAt = new Date().toISOString();
    const { services, errors } = readServices(entities);
    const identified = services.filter(s => s.identity);
    if (identified.length === 0) {
      return errors.size > 0
        ? { facts: new Map(), errors }
        : { facts: new Map() };
    }
    const index = new ServiceIndex(identified);
    const state = new Map<string, ServiceState>();
    for (const s of identified) {
      state.set(s.ref, {
        count: 0,
        up: 0,
        targets: clients.length > 1 ? new Map() : undefined,
        down: [],
        signals: new Map(),
        targetInfo: false,
      });
    }
    const labels = [...index.byLabel.keys()];

    await Promise.all(
      clients.map(async client => {
        const targets = client.forEachTarget(t => {
          for (const label of labels) {
            const value = t.labels[label];
            if (value === undefined) continue;
            const refs = index.lookup(label, value);
            if (!refs) continue;
            const up = t.health === 'up';
            const key =
              clients.length > 1
                ? `${t.scrapeUrl}\u0000${t.labels.job ?? ''}\u0000${
                    t.labels.instance ?? ''
                  }`
                : '';
            for (const ref of refs) {
              const st = state.get(ref)!;
              if (st.targets) {
                st.targets.set(key, (st.targets.get(key) ?? false) || up);
              } else {
                st.count++;
                if (up) st.up++;
              }
              if (!up && st.down.length < MAX_DOWN_EVIDENCE) {
                st.down.push({ url: t.scrapeUrl, error: t.lastError });
              }
            }
          }
        });
        const queries = labels.flatMap(label =>
          signals
            .presenceQueries(
              label,
              [...index.byLabel.get(label)!.keys()],
              maxQueryLength,
            )
            .map(q =>
              client.query(q, sample => {
                const value = sample.metric[label];
                const name = sample.metric.__name__;
                if (value === undefined || !name) return;
                const refs = index.lookup(label, value);
                if (!refs) return;
                const isErrorLabelRow =
                  sample.metric[ERROR_SIGNAL_LABEL] === 'errors';
                const c = signals.classify(name);
                for (const ref of refs) {
                  const st = state.get(ref)!;
                  const note = (signal: GoldenSignal, text: string) => {
                    let set = st.signals.get(signal);
                    if (!set) st.signals.set(signal, (set = new Set()));
                    set.add(text);
                  };
                  if (isErrorLabelRow) {
                    if (c.requests)
                      note('errors', `${name} with a status label`);
                    continue;
                  }
                  if (c.requests) note('requests', name);
                  if (c.errors) note('errors', name);
                  if (c.latency) note('latency-histogram', name);
                  if (c.targetInfo) st.targetInfo = true;
                }
              }),
            ),
        );
        await Promise.all([targets, ...queries]);
      }),
    );

    const source = clients.map(c => c.displayUrl).join(', ');
    const facts = new Map<string, FactValue[]>();
    for (const s of identified) {
      const st = state.get(s.ref)!;
      let count = st.count;
      let up = st.up;
      if (st.targets) {
        count = st.targets.size;
        up = 0;
        for (const isUp of st.targets.values()) if (isUp) up++;
      }
      const selector = formatIdentity(s.identity!);
      const found = new Set(st.signals.keys());
      const signalEvidence = ALL_SIGNALS.flatMap(signal =>
        found.has(signal)
          ? [...st.signals.get(signal)!].sort().map(name => ({
              kind: 'metric',
              text: `${signal}: ${name}`,
              source,
            }))
          : [
              {
                kind: 'metric',
                text: `${signal}: no metric with ${selector}`,
                source,
              },
            ],
      );
      facts.set(s.ref, [
        {
          name: INSTRUMENTATION_FACTS.targetsCount,
          value: count,
          source,
          collectedAt,
          evidence: [
            {
              kind: 'targets',
              text: `${count} scrape target${
                count === 1 ? '' : 's'
              } with ${selector}, ${up} up`,
              source,
            },
            ...st.down.map(d => ({
              kind: 'target',
              text: `${d.url} is down${d.error ? `: ${d.error}` : ''}`,
              source,
            })),
          ],
        },
        {
          name: INSTRUMENTATION_FACTS.targetsUpRatio,
          value: count === 0 ? 0 : up / count,
          source,
          collectedAt,
          evidence: [
            {
              kind: 'targets',
              text:
                count === 0
                  ? `no scrape target with ${selector}`
                  : `${Math.round(
                      (100 * up) / count,
                    )}% of the targets with ${selector} up`,
              source,
            },
          ],
        },
        {
          name: INSTRUMENTATION_FACTS.goldenSignals,
          value: orderedSignals(found),
          source,
          collectedAt,
          evidence: signalEvidence,
        },
        {
          name: INSTRUMENTATION_FACTS.targetInfo,
          value: st.targetInfo,
          source,
          collectedAt,
          evidence: [
            {
              kind: 'metric',
              text: st.targetInfo
                ? `target_info{${selector}}`
                : `no target_info with ${selector}`,
              source,
            },
          ],
        },
      ]);
    }
    return errors.size > 0 ? { facts, errors } : { facts };
  }
}
