import { Entity } from '@backstage/catalog-model';
import { ANNOTATIONS } from '@opsready/plugin-operability-common';

const REPO_ANNOTATIONS = [
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'backstage.io/source-location',
  'backstage.io/managed-by-origin-location',
];

/** Name, title or repository slug contains the text (case-insensitive). */
export function matchesText(entity: Entity, text: string): boolean {
  const needle = text.toLowerCase();
  const annotations = entity.metadata.annotations ?? {};
  const haystack = [
    entity.metadata.name,
    entity.metadata.title,
    ...REPO_ANNOTATIONS.map(key => annotations[key]),
  ];
  return haystack.some(value => value && value.toLowerCase().includes(needle));
}

/**
 * Whether an alert carrying `label=value` belongs to the entity, judged from
 * the annotations that tie a service to its alerts: `prometheus.io/job` for
 * the `job` label, `prometheus.io/service-label` (`<label>=<value>`) for its
 * label, and the alert names of `prometheus.io/alert` for `alertname`.
 */
export function matchesAlertLabel(
  entity: Entity,
  label: string,
  value: string,
): boolean {
  const annotations = entity.metadata.annotations ?? {};
  if (label === 'job' && annotations[ANNOTATIONS.prometheusJob] === value) {
    return true;
  }
  const serviceLabel = annotations[ANNOTATIONS.prometheusServiceLabel];
  if (serviceLabel) {
    const [name, ...rest] = serviceLabel.split('=');
    if (name.trim() === label && rest.join('=').trim() === value) return true;
  }
  if (label === 'alertname') {
    const alerts = (annotations[ANNOTATIONS.prometheusAlert] ?? '')
      .split(',')
      .map(a => a.trim());
    if (alerts.includes(value)) return true;
  }
  return false;
}
