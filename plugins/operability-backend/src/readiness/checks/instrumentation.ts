import type { CheckEvidence } from '@opsready/plugin-operability-common';
import { INSTRUMENTATION_FACTS } from '@opsready/plugin-operability-node';
import { CATALOG_FACTS } from '../builtinFacts';
import type { CheckUnit } from '../types';
import { factEvidence } from '../evaluator/format';
import {
  badValue,
  fail,
  get,
  isFiniteNumber,
  isStringArray,
  linksFact,
  pass,
  plural,
} from './judges';
import { SERVICES, defineCheck, factCheck } from './unit';

const GOLDEN_SIGNALS = ['requests', 'errors', 'latency-histogram'];

/** Whether anyone can see how it behaves: scraped, golden signals, traces, a dashboard. */
export const INSTRUMENTATION_CHECKS: readonly CheckUnit[] = [
  defineCheck({
    id: 'instrumentation.scraped',
    title: 'Scraped by Prometheus',
    level: 'silver',
    filter: SERVICES,
    description:
      'Engineers should be curious about how their code behaves in production, and that starts with metrics being collected at all. No scrape target, or every target down, means flying blind.',
    remediation:
      'Expose `/metrics` and add a scrape config (or ServiceMonitor) whose `job` label matches the annotation `prometheus.io/job: payments` (or `prometheus.io/service-label: service=payments`); check the targets are up in Prometheus’ Status › Targets.',
    facts: [
      INSTRUMENTATION_FACTS.targetsCount,
      INSTRUMENTATION_FACTS.targetsUpRatio,
    ],
    evaluate({ facts }) {
      const countRecord = get(facts, INSTRUMENTATION_FACTS.targetsCount);
      const ratioRecord = get(facts, INSTRUMENTATION_FACTS.targetsUpRatio);
      const count = countRecord.value;
      if (!isFiniteNumber(count) || count < 0) {
        return badValue(INSTRUMENTATION_FACTS.targetsCount, countRecord);
      }
      if (count === 0) {
        return fail(
          'no Prometheus scrape target selects this service',
          factEvidence(countRecord),
        );
      }
      const ratio = ratioRecord.value;
      if (!isFiniteNumber(ratio) || ratio < 0 || ratio > 1) {
        return badValue(INSTRUMENTATION_FACTS.targetsUpRatio, ratioRecord);
      }
      const up = Math.round(ratio * count);
      const evidence = [
        ...factEvidence(countRecord),
        ...factEvidence(ratioRecord),
      ];
      if (evidence.length === 0) {
        evidence.push({
          kind: 'targets',
          text: `${up} of ${count} up`,
          source: countRecord.source,
        });
      }
      return ratio > 0
        ? pass(`${up} of ${count} scrape target${plural(count)} up`, evidence)
        : fail(
            `all ${count} scrape target${count === 1 ? ' is' : 's are'} down`,
            evidence,
          );
    },
  }),
  defineCheck({
    id: 'instrumentation.golden-signals',
    title: 'Golden signals exported',
    level: 'silver',
    filter: SERVICES,
    description:
      'Request rate, errors and latency tell you whether customers are being served. Without them you learn about an outage from your customers.',
    remediation:
      'Export a request counter (e.g. `http_requests_total`), an error counter or a status-code label on it, and a latency histogram (e.g. `http_request_duration_seconds_bucket`) — most HTTP frameworks’ Prometheus or OpenTelemetry middleware does all three.',
    ...factCheck(INSTRUMENTATION_FACTS.goldenSignals, record => {
      const value = record.value === null ? [] : record.value;
      if (!isStringArray(value)) {
        return badValue(INSTRUMENTATION_FACTS.goldenSignals, record);
      }
      const evidence: CheckEvidence[] = factEvidence(record);
      if (evidence.length === 0) {
        for (const signal of value) {
          evidence.push({
            kind: 'metric',
            text: signal,
            source: record.source,
          });
        }
      }
      const missing = GOLDEN_SIGNALS.filter(s => !value.includes(s));
      return missing.length === 0
        ? pass(
            'request rate, errors and a latency histogram are exported',
            evidence,
          )
        : fail(`not exported: ${missing.join(', ')}`, evidence);
    }),
  }),
  defineCheck({
    id: 'instrumentation.traces',
    title: 'Traces',
    level: 'gold',
    filter: SERVICES,
    description:
      'Metrics say that something is wrong; traces say where. Observable code is easier to debug, which is what operating your own code asks of it.',
    remediation:
      'Instrument with OpenTelemetry so the service exports `target_info`, or add a tracing annotation that points to its traces (e.g. `jaegertracing.io/service` or `grafana/tempo-query`) to catalog-info.yaml.',
    facts: [INSTRUMENTATION_FACTS.targetInfo, CATALOG_FACTS.tracingAnnotation],
    factPolicy: 'any',
    evaluate({ facts }) {
      // Either known-true fact passes; with only false (or unusable) facts it
      // fails; 'any' policy makes it unknown when neither fact is usable.
      const info = facts.get(INSTRUMENTATION_FACTS.targetInfo);
      const annotation = facts.get(CATALOG_FACTS.tracingAnnotation);
      if (info && typeof info.value !== 'boolean' && info.value !== null) {
        return badValue(INSTRUMENTATION_FACTS.targetInfo, info);
      }
      if (
        annotation &&
        typeof annotation.value !== 'boolean' &&
        annotation.value !== null
      ) {
        return badValue(CATALOG_FACTS.tracingAnnotation, annotation);
      }
      const evidence: CheckEvidence[] = [];
      if (info?.value === true) {
        evidence.push(
          ...(factEvidence(info).length
            ? factEvidence(info)
            : [{ kind: 'metric', text: 'target_info', source: info.source }]),
        );
      }
      if (annotation?.value === true) {
        evidence.push(
          ...(factEvidence(annotation).length
            ? factEvidence(annotation)
            : [
                {
                  kind: 'annotation',
                  text: 'tracing annotation',
                  source: annotation.source,
                },
              ]),
        );
      }
      if (info?.value === true && annotation?.value === true) {
        return pass(
          'OpenTelemetry resource info (target_info) is exported and a tracing annotation is set',
          evidence,
        );
      }
      if (info?.value === true) {
        return pass(
          'OpenTelemetry resource info (target_info) is exported',
          evidence,
        );
      }
      if (annotation?.value === true) {
        return pass('a tracing annotation is set', evidence);
      }
      let unknownPart = '';
      if (!info) unknownPart = '; whether target_info is exported is unknown';
      else if (!annotation) {
        unknownPart = '; whether a tracing annotation is set is unknown';
      }
      return fail(
        `no OpenTelemetry resource info (target_info) and no tracing annotation${unknownPart}`,
      );
    },
  }),
  defineCheck({
    id: 'instrumentation.dashboard',
    title: 'Dashboard linked',
    level: 'silver',
    filter: SERVICES,
    description:
      'Whoever is paged needs to see the service’s state in seconds, not build a query under pressure. A linked dashboard is where an incident starts.',
    remediation:
      'Add a link with `type: dashboard` to `metadata.links`, or the annotation `grafana/dashboard-selector`, `grafana/overview-dashboard` or `datadoghq.com/dashboard-url`.',
    ...linksFact(CATALOG_FACTS.dashboard, {
      kind: 'dashboard',
      noun: 'dashboard',
      none: 'no dashboard is linked',
    }),
  }),
];
