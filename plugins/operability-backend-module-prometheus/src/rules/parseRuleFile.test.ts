import { readFileSync } from 'fs';
import { join } from 'path';
import { EXAMPLES_DIR } from '../__testUtils__/demo';
import { parseRuleFile, RuleFileError } from './parseRuleFile';

const example = (name: string) =>
  readFileSync(join(EXAMPLES_DIR, 'rules', name), 'utf8');

function errorOf(text: string): RuleFileError {
  try {
    parseRuleFile(text, 'rules.yaml');
  } catch (e) {
    return e as RuleFileError;
  }
  throw new Error('expected an error');
}

describe('parseRuleFile', () => {
  it('reads the Prometheus rule-file format', () => {
    const parsed = parseRuleFile(
      example('payments-api.yaml'),
      'payments-api.yaml',
    );
    expect(parsed.format).toBe('rule-file');
    expect(parsed.recordingRules).toBe(4);
    const fast = parsed.alerts.find(
      a => a.alert === 'PaymentsApiErrorBudgetBurnRateFast',
    )!;
    expect(fast).toMatchObject({
      group: 'payments-api.slo.alerts',
      file: 'payments-api.yaml',
      forSeconds: 120,
      labels: {
        severity: 'critical',
        team: 'payments',
        service: 'payments-api',
        slo: 'true',
      },
      annotations: expect.objectContaining({
        runbook_url: expect.stringContaining('runbooks'),
      }),
    });
    expect(fast.line).toBeGreaterThan(30);
    expect(fast.analysis.valid).toBe(true);
  });

  it('reads a PrometheusRule custom resource', () => {
    const parsed = parseRuleFile(example('payment-gateway.yaml'), 'pg.yaml');
    expect(parsed.format).toBe('PrometheusRule');
    expect(parsed.alerts.map(a => a.alert)).toEqual([
      'PaymentGatewayErrorBudgetBurnRate',
      'PaymentGatewayUpstreamErrors',
      'PaymentGatewaySlowUpstream',
      'PaymentGatewayCertificateExpiry',
    ]);
    expect(parsed.alerts[3].forSeconds).toBe(3600);
  });

  it('reads every example except the deliberately malformed one', () => {
    for (const name of [
      'build-cache.yaml',
      'checkout.yaml',
      'fraud-detection.yaml',
      'payments-misc.yaml',
      'platform.yaml',
      'promotions-service.yaml',
      'recommendations.yaml',
      'search.yaml',
      'storefront-web.yaml',
    ]) {
      expect(parseRuleFile(example(name), name).alerts.length).toBeGreaterThan(
        0,
      );
    }
  });

  it('reports the malformed example with file, line and column', () => {
    expect(() =>
      parseRuleFile(
        example('shipping-rates.yaml'),
        'rules/shipping-rates.yaml',
      ),
    ).toThrow(
      /^rules\/shipping-rates\.yaml:11:12: Nested mappings are not allowed in compact mappings$/,
    );
  });

  it('reads PrometheusRule documents among other Kubernetes resources', () => {
    const parsed = parseRuleFile(
      `apiVersion: v1
kind: ConfigMap
metadata: { name: x }
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: y }
spec:
  groups:
    - name: g
      rules:
        - alert: A
          expr: up == 0
`,
      'k8s.yaml',
    );
    expect(parsed.alerts.map(a => a.alert)).toEqual(['A']);
  });

  it('accepts an empty file and empty groups', () => {
    expect(parseRuleFile('', 'e.yaml').alerts).toEqual([]);
    expect(parseRuleFile('groups: []\n', 'e.yaml').alerts).toEqual([]);
    expect(
      parseRuleFile('groups:\n  - name: g\n    rules:\n', 'e.yaml').alerts,
    ).toEqual([]);
  });

  it.each([
    ['groups: {a: 1}\n', 1, 9, /`groups` must be a list/],
    ['groups:\n  - rules: []\n', 2, 5, /group has no name/],
    [
      'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n',
      4,
      11,
      /group name 'g' is repeated/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n',
      4,
      9,
      /alert 'A': field 'expr' must be set/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - expr: up\n',
      4,
      9,
      /needs 'alert' or 'record'/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5 minutes\n',
      6,
      14,
      /invalid 'for' duration '5 minutes'/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        lables: {}\n',
      6,
      9,
      /unknown rule field 'lables'/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {"bad-name": x}\n',
      6,
      18,
      /invalid label name 'bad-name'/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n          sum(rate(x[5m]))\n            by (job\n',
      7,
      19,
      /alert 'A': expr does not parse/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up{job="a" > 1\n',
      5,
      26,
      /alert 'A': expr does not parse/,
    ],
    [
      'groups:\n  - name: g\n    rules:\n      - record: "bad name"\n        expr: up\n',
      4,
      17,
      /invalid recording rule name/,
    ],
    [
      'kind: PrometheusRule\napiVersion: monitoring.coreos.com/v1\n',
      1,
      1,
      /PrometheusRule has no spec/,
    ],
    ['foo: bar\n', 1, 1, /not a rule file/],
    [
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        alert: B\n',
      5,
      9,
      /Map keys must be unique/,
    ],
  ])('reports %j at line %i, column %i', (text, line, column, reason) => {
    const e = errorOf(text);
    expect(e).toBeInstanceOf(RuleFileError);
    expect(e.message).toMatch(reason);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message.startsWith(`rules.yaml:${line}:${column}: `)).toBe(true);
  });
});
