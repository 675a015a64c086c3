import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import { entityRefOf } from '@opsready/plugin-operability-common';

/** Catalog annotations this module reads. */
export const ANNOTATIONS = {
  job: 'prometheus.io/job',
  serviceLabel: 'prometheus.io/service-label',
  alert: 'prometheus.io/alert',
  alertRules: 'operability.io/alert-rules',
  pagerDutyServiceId: 'pagerduty.com/service-id',
  managedByLocation: ANNOTATION_LOCATION,
} as const;

/** The Prometheus label (and value) that identifies a service. */
export interface ServiceIdentity {
  label: string;
  value: string;
}

/** What the module knows about one catalog entity. */
export interface ServiceEntry {
  /** Lower-case entity ref, `component:default/name`. */
  ref: string;
  entity: Entity;
  identity?: ServiceIdentity;
  /** Alert names from `prometheus.io/alert`. */
  alertNames: string[];
  /** Raw `operability.io/alert-rules` value. */
  alertRules?: string;
  pagerDutyServiceId?: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Renders an identity as a PromQL-like matcher, e.g. `job="payments-api"`. */
export function formatIdentity(identity: ServiceIdentity): string {
  return `${identity.label}=${JSON.stringify(identity.value)}`;
}

/**
 * Reads the service identity and related annotations of each entity.
 * `prometheus.io/job: x` means `job="x"`; otherwise
 * `prometheus.io/service-label: <label>=<value>`. A malformed annotation is an
 * error for that entity.
 */
export function readServices(entities: Entity[]): {
  services: ServiceEntry[];
  errors: Map<string, string>;
} {
  const services: ServiceEntry[] = [];
  const errors = new Map<string, string>();
  for (const entity of entities) {
    const annotations = entity.metadata.annotations ?? {};
    const job = annotations[ANNOTATIONS.job]?.trim();
    const serviceLabel = annotations[ANNOTATIONS.serviceLabel]?.trim();
    const alert = annotations[ANNOTATIONS.alert];
    const alertRules = annotations[ANNOTATIONS.alertRules]?.trim();
    if (!job && !serviceLabel && !alert && !alertRules) continue;
    const ref = entityRefOf(entity);
    let identity: ServiceIdentity | undefined;
    if (job) {
      identity = { label: 'job', value: job };
    } else if (serviceLabel) {
      const eq = serviceLabel.indexOf('=');
      const label = eq > 0 ? serviceLabel.slice(0, eq).trim() : '';
      let value = eq > 0 ? serviceLabel.slice(eq + 1).trim() : '';
      if (/^".*"$/.test(value)) value = value.slice(1, -1);
      if (!LABEL_NAME.test(label) || value === '') {
        errors.set(
          ref,
          `Invalid annotation ${ANNOTATIONS.serviceLabel}: '${serviceLabel}'; expected <label>=<value>, e.g. service=payments`,
        );
        continue;
      }
      identity = { label, value };
    }
    const alertNames = (alert ?? '')
      .split(',')
      .map(s => s.trim())
      // `all` is the Prometheus plugin's "show every alert", not a name.
      .filter(s => s !== '' && s !== 'all');
    services.push({
      ref,
      entity,
      identity,
      alertNames,
      alertRules: alertRules || undefined,
      pagerDutyServiceId:
        annotations[ANNOTATIONS.pagerDutyServiceId]?.trim() || undefined,
    });
  }
  return { services, errors };
}

/**
 * Services by identifying label and value, and by alert name, so that a rule
 * or a target finds its services with lookups rather than a scan.
 */
export class ServiceIndex {
  /** label name → label value → entity refs */
  readonly byLabel = new Map<string, Map<string, string[]>>();
  /** alert name → entity refs */
  readonly byAlert = new Map<string, string[]>();
  private readonly regexCache = new Map<string, string[]>();

  constructor(services: Iterable<ServiceEntry>) {
    for (const s of services) {
      if (s.identity) {
        let values = this.byLabel.get(s.identity.label);
        if (!values) this.byLabel.set(s.identity.label, (values = new Map()));
        push(values, s.identity.value, s.ref);
      }
      for (const name of s.alertNames) push(this.byAlert, name, s.ref);
    }
  }

  /** Refs whose identity is `label=value`. */
  lookup(label: string, value: string): string[] | undefined {
    return this.byLabel.get(label)?.get(value);
  }

  /**
   * Refs whose identity value for `label` the (anchored) regex matches, via a
   * cache per label and pattern; `test` is only called on a cache miss.
   */
  lookupRegex(
    label: string,
    pattern: string,
    test: (value: string) => boolean,
  ): string[] {
    const key = `${label}\u0000${pattern}`;
    let refs = this.regexCache.get(key);
    if (!refs) {
      refs = [];
      for (const [value, r] of this.byLabel.get(label) ?? []) {
        if (test(value)) refs.push(...r);
      }
      this.regexCache.set(key, refs);
    }
    return refs;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
