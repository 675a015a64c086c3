import { metrics } from '@opentelemetry/api';
import type { CycleMetrics, CycleSummary } from './ReadinessCycle';

/**
 * The readiness cycle's own operability: OpenTelemetry metrics, exported by
 * whatever SDK the Backstage backend is set up with (none by default).
 */
export function createCycleMetrics(): CycleMetrics {
  const meter = metrics.getMeter('@opsready/plugin-operability-backend');
  const duration = meter.createHistogram('operability.cycle.duration', {
    description: 'Wall time of a readiness cycle',
    unit: 's',
  });
  const evaluated = meter.createCounter(
    'operability.cycle.entities_evaluated',
    {
      description: 'Entities evaluated by readiness cycles',
    },
  );
  const failures = meter.createCounter('operability.provider.failures', {
    description: 'Fact provider collections that failed',
  });
  let latestUnknown: Record<string, number> = {};
  meter
    .createObservableGauge('operability.facts.unknown', {
      description:
        'Facts kept stale or unknown after the latest cycle, per provider',
    })
    .addCallback(result => {
      for (const [provider, count] of Object.entries(latestUnknown)) {
        result.observe(count, { provider });
      }
    });
  return {
    recordCycle(summary: CycleSummary) {
      duration.record(summary.durationMs / 1000);
      evaluated.add(summary.entities);
      for (const provider of Object.keys(summary.failures)) {
        failures.add(1, { provider });
      }
      latestUnknown = summary.unknownFacts;
    },
  };
}
