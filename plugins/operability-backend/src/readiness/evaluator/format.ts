import type { CheckEvidence } from '@opsready/plugin-operability-common';
import type { FactRecord } from '../types';

/** At most this many evidence items per list, then an `and N more` item. */
export const MAX_EVIDENCE = 20;

/**
 * A short, deterministic rendering of a duration: `45s`, `12m`, `3h 5m`,
 * `2d 4h`. Negative durations (a fact collected "in the future" because of
 * clock skew) render as `0s`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) {
    return ms >= 1 ? `${Math.floor(ms)}ms` : '0s';
  }
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** A value rendered for a one-line message, cut at `max` characters. */
export function formatValue(value: unknown, max = 80): string {
  let text: string;
  if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Collapses whitespace (line breaks included) so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Evidence carried by a fact, copied (never the fact's own array). */
export function factEvidence(
  record: FactRecord | undefined,
  limit = MAX_EVIDENCE,
): CheckEvidence[] {
  const own = record?.evidence;
  if (!own || own.length === 0) return [];
  if (own.length <= limit) return own.slice();
  const out = own.slice(0, limit);
  out.push({ kind: 'more', text: `and ${own.length - limit} more` });
  return out;
}

/**
 * Normalises an entity ref: lower case, default kind and namespace filled in.
 * `payments` → `group:default/payments`, `user:alice` → `user:default/alice`.
 */
export function normalizeEntityRef(
  ref: string,
  defaultKind = 'group',
  defaultNamespace = 'default',
): string {
  const trimmed = ref.trim().toLowerCase();
  const colon = trimmed.indexOf(':');
  const kind = colon > 0 ? trimmed.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const slash = rest.indexOf('/');
  const namespace = slash > 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  return `${kind}:${namespace.toLowerCase()}/${name}`;
}
