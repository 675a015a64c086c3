import { ConfigReader } from '@backstage/config';
import { DEFAULT_GOLDEN_SIGNALS } from './signals/goldenSignals';
import { readPrometheusModuleConfig } from './config';

const read = (operability: object) =>
  readPrometheusModuleConfig(new ConfigReader({ operability }));

describe('readPrometheusModuleConfig', () => {
  it('has defaults', () => {
    expect(read({})).toEqual({
      instances: [],
      requestTimeoutMs: 10_000,
      goldenSignals: DEFAULT_GOLDEN_SIGNALS,
      maxQueryLength: 262144,
    });
  });

  it('reads every key', () => {
    const config = read({
      prometheus: {
        requestTimeout: '3s',
        maxQueryLength: 8192,
        instances: [
          {
            name: 'eu',
            url: 'https://prom.eu/',
            headers: { Authorization: 'Bearer x' },
          },
          { name: 'us', url: 'http://prom.us:9090' },
        ],
        goldenSignals: {
          requests: ['myapp_hits_total'],
          errors: ['myapp_failures_total'],
          latency: ['myapp_latency_seconds_bucket'],
          errorLabels: ['result'],
        },
      },
      alertmanager: {
        url: 'http://am:9093/',
        configFile: 'am.yml',
        requestTimeout: { seconds: 2 },
        headers: { 'X-Scope-OrgID': 'tenant' },
        pagingReceivers: ['ops-webhook'],
        pagerDutyServices: { 'payments-pagerduty': 'PPAY' },
      },
    });
    expect(config.instances).toEqual([
      {
        name: 'eu',
        url: 'https://prom.eu',
        headers: { Authorization: 'Bearer x' },
      },
      { name: 'us', url: 'http://prom.us:9090', headers: {} },
    ]);
    expect(config.requestTimeoutMs).toBe(3000);
    expect(config.maxQueryLength).toBe(8192);
    expect(config.goldenSignals.requests).toContain('myapp_hits_total');
    expect(config.goldenSignals.requests).toContain('http_requests_total');
    expect(config.goldenSignals.errorLabels).toContain('result');
    expect(config.alertmanager).toEqual({
      url: 'http://am:9093',
      configFile: 'am.yml',
      requestTimeoutMs: 2000,
      headers: { 'X-Scope-OrgID': 'tenant' },
      pagingReceivers: ['ops-webhook'],
      pagerDutyServices: { 'payments-pagerduty': 'PPAY' },
    });
  });

  it.each([
    [
      { prometheus: { instances: [{ name: 'a', url: 'nope' }] } },
      'operability.prometheus.instances[0].url',
    ],
    [
      { prometheus: { instances: [{ url: 'http://x' }] } },
      'operability.prometheus.instances[0].name',
    ],
    [
      {
        prometheus: {
          instances: [{ name: 'a', url: 'http://x', headers: { h: 1 } }],
        },
      },
      'operability.prometheus.instances[0].headers.h',
    ],
    [
      { prometheus: { requestTimeout: 'soon' } },
      'operability.prometheus.requestTimeout',
    ],
    [
      { prometheus: { requestTimeout: { seconds: 0 } } },
      'operability.prometheus.requestTimeout',
    ],
    [
      { prometheus: { goldenSignals: { latency: ['ok', '(bad'] } } },
      'operability.prometheus.goldenSignals.latency[1]',
    ],
    [
      { prometheus: { goldenSignals: { errorLabels: ['not a label'] } } },
      'operability.prometheus.goldenSignals.errorLabels[0]',
    ],
    [
      { prometheus: { maxQueryLength: 10 } },
      'operability.prometheus.maxQueryLength',
    ],
    [{ alertmanager: { url: 'ftp://am' } }, 'operability.alertmanager.url'],
    [
      { alertmanager: { pagingReceivers: 'x' } },
      'operability.alertmanager.pagingReceivers',
    ],
    [
      { alertmanager: { pagerDutyServices: { r: 3 } } },
      'operability.alertmanager.pagerDutyServices.r',
    ],
    [
      { alertmanager: { requestTimeout: 'x' } },
      'operability.alertmanager.requestTimeout',
    ],
  ])('names the config path in errors (%#)', (operability, path) => {
    expect(() => read(operability)).toThrow(`Invalid config at '${path}'`);
  });
});
