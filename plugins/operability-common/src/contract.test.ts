import {
  ANNOTATIONS,
  LABELS,
  operabilityPermissions,
  SCHEDULE_API_VERSION,
  SCHEDULE_KIND,
} from './index';

// These keys and names are public API: catalogs and permission policies in the
// field use them, so a rename must be a deliberate, breaking change.
describe('operability contract', () => {
  it('keeps the permission names', () => {
    expect(operabilityPermissions.map(p => [p.name, p.type])).toEqual([
      ['operability.exemption.create', 'resource'],
      ['operability.exemption.delete', 'resource'],
      ['operability.refresh', 'basic'],
    ]);
  });

  it('reads the same annotation keys as the PagerDuty, Prometheus and Grafana plugins', () => {
    expect(ANNOTATIONS.pagerDutyServiceId).toBe('pagerduty.com/service-id');
    expect(ANNOTATIONS.prometheusAlert).toBe('prometheus.io/alert');
    expect(ANNOTATIONS.grafanaDashboardSelector).toBe(
      'grafana/dashboard-selector',
    );
    expect(ANNOTATIONS.onCallSchedule).toBe('operability.io/on-call-schedule');
    expect(LABELS.level).toBe('operability.io/level');
  });

  it('names the Schedule kind', () => {
    expect(`${SCHEDULE_API_VERSION}/${SCHEDULE_KIND}`).toBe(
      'operability.io/v1alpha1/Schedule',
    );
  });
});
