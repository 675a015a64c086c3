import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { EntityReport } from '@opsready/plugin-operability-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type OperabilityApi, operabilityApiRef } from '../../api';
import { describeError } from '../shared/errors';

/** How long to wait for a new evaluation: 20 reads, one a second. */
export const POLL_ATTEMPTS = 20;
export const POLL_INTERVAL_MS = 1_000;

/**
 * Reads the entity's report until its `evaluatedAt` differs from `before`
 * (bounded). The new report, or undefined when none arrived in time.
 */
export async function waitForNewEvaluation(
  api: Pick<OperabilityApi, 'getEntityReport'>,
  entityRef: string,
  before: string | undefined,
  options: {
    attempts?: number;
    intervalMs?: number;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<EntityReport | undefined> {
  const attempts = options.attempts ?? POLL_ATTEMPTS;
  const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise(r => setTimeout(r, ms)));
  for (let i = 0; i < attempts; i++) {
    const report = await api.getEntityReport(entityRef);
    const at = report.readiness?.evaluatedAt;
    if (at && at !== before) return report;
    if (i < attempts - 1) await sleep(intervalMs);
  }
  return undefined;
}

/**
 * Re-evaluation of one entity with a pending state that lasts until the new
 * result has arrived: `reevaluate()` asks the backend (`POST /v1/refresh`),
 * `awaitNewResult()` only waits (after adding or removing an exemption, which
 * re-evaluates by itself). Either hands the new report to `onReport`.
 */
export function useReevaluation(options: {
  entityRef: string;
  evaluatedAt: string | undefined;
  onReport: (report: EntityReport) => void;
  pollIntervalMs?: number;
}) {
  const { entityRef, evaluatedAt, onReport, pollIntervalMs } = options;
  const api = useApi(operabilityApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState(false);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  // The latest values, so the callbacks stay stable.
  const latest = useRef({ evaluatedAt, onReport });
  latest.current = { evaluatedAt, onReport };

  const run = useCallback(
    async (askBackend: boolean) => {
      setPending(true);
      try {
        const before = latest.current.evaluatedAt;
        if (askBackend) await api.refresh(entityRef);
        const report = await waitForNewEvaluation(api, entityRef, before, {
          intervalMs: pollIntervalMs,
        });
        if (!mounted.current) return;
        if (report) latest.current.onReport(report);
        else {
          alertApi.post({
            message:
              'No new result yet: the evaluation is still running. Reload the page in a moment.',
            severity: 'info',
            display: 'transient',
          });
        }
      } catch (e) {
        alertApi.post({
          message: `Could not re-evaluate: ${describeError(e)}`,
          severity: 'error',
        });
      } finally {
        if (mounted.current) setPending(false);
      }
    },
    [api, alertApi, entityRef, pollIntervalMs],
  );

  const reevaluate = useCallback(() => run(true), [run]);
  const awaitNewResult = useCallback(() => run(false), [run]);
  return { pending, reevaluate, awaitNewResult };
}
