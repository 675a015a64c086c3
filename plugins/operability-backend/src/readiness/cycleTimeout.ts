import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** The shortest lock timeout: a cycle's start-up alone may take seconds. */
const MIN_TIMEOUT_MS = 30_000;
/** Head-room over the slowest recent cycle (cold caches, a slow source). */
const HEADROOM = 3;

/**
 * The readiness task's timeout: the scheduler holds a replica's lock for that
 * long when it dies mid-cycle, so it follows how long cycles really take —
 * three times the slowest recent one, at least 30 s — and never exceeds the
 * configured (or default) timeout. Without measurements, the configured one.
 */
export function cycleTimeout(
  recentDurationsMs: number[],
  configured: HumanDuration,
): HumanDuration {
  const ceiling = durationToMilliseconds(configured);
  if (recentDurationsMs.length === 0) return configured;
  const measured = Math.max(
    MIN_TIMEOUT_MS,
    HEADROOM * Math.max(...recentDurationsMs),
  );
  return measured >= ceiling ? configured : { milliseconds: measured };
}
