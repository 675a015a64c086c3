import { join } from 'path';
import {
  ALERTING_FACTS,
  AlertRoutesFact,
  AlertRuleFact,
  FactBatch,
} from '@opsready/plugin-operability-node';
import { readAlertmanagerConfigFile } from '../clients/AlertmanagerClient';
import { AlertRuleCollector } from '../rules/AlertRuleCollector';
import { RuleFileReader } from '../rules/RuleFileReader';
import { EXAMPLES_DIR, loadDemoEntities } from '../__testUtils__/demo';
import { AlertmanagerFactProvider } from './AlertmanagerFactProvider';
import { AlertRulesFactProvider } from './AlertRulesFactProvider';
import { PrometheusFactProvider } from './PrometheusFactProvider';
import {
  GoldenSignalMatcher,
  DEFAULT_GOLDEN_SIGNALS,
} from '../signals/goldenSignals';

const AM_FILE = join(EXAMPLES_DIR, 'prometheus/alertmanager.yml');

function value<T>(batch: FactBatch, ref: string, name: string): T | undefined {
  return batch.facts.get(ref)?.find(f => f.name === name)?.value as
    | T
    | undefined;
}

describe('the demo (no Prometheus: rule files and alertmanager.yml)', () => {
  const entities = loadDemoEntities();
  const collector = new AlertRuleCollector({
    clients: [],
    fileReader: new RuleFileReader(),
  });
  const rulesProvider = new AlertRulesFactProvider(collector);
  const routesProvider = new AlertmanagerFactProvider({
    config: {
      description: AM_FILE,
      load: () => readAlertmanagerConfigFile(AM_FILE),
    },
    collector,
    pagingReceivers: [],
    pagerDutyServices: { 'payments-pagerduty': 'PPAYMNT' },
  });
  let rules: FactBatch;
  let routes: FactBatch;

  beforeAll(async () => {
    [rules, routes] = await Promise.all([
      rulesProvider.collect({ entities }),
      routesProvider.collect({ entities }),
    ]);
  });

  const rulesOf = (name: string) =>
    value<AlertRuleFact[]>(
      rules,
      `component:default/${name}`,
      ALERTING_FACTS.rules,
    );
  const routesOf = (name: string) =>
    value<AlertRoutesFact>(
      routes,
      `component:default/${name}`,
      ALERTING_FACTS.routes,
    );

  it('gives no instrumentation facts without Prometheus instances', async () => {
    const provider = new PrometheusFactProvider({
      clients: [],
      signals: new GoldenSignalMatcher(DEFAULT_GOLDEN_SIGNALS),
      maxQueryLength: 1 << 16,
    });
    expect((await provider.collect({ entities })).facts.size).toBe(0);
  });

  it('selects the rules of payments-api from its rule file, with burn-rate alerts', () => {
    const r = rulesOf('payments-api')!;
    expect(r.map(x => x.alert)).toEqual(
      expect.arrayContaining([
        'PaymentsApiErrorBudgetBurnRateFast',
        'PaymentsApiErrorBudgetBurnRateSlow',
      ]),
    );
    const fast = r.find(x => x.alert === 'PaymentsApiErrorBudgetBurnRateFast')!;
    expect(fast).toMatchObject({
      severity: 'critical',
      forSeconds: 120,
      burnRate: true,
      group: 'payments-api.slo.alerts',
      runbookUrl:
        'https://runbooks.example.com/payments/payments-api#error-budget-burn',
    });
    expect(fast.file).toMatch(/examples\/rules\/payments-api\.yaml$/);
  });

  it('reads the PrometheusRule custom resource of payment-gateway', () => {
    const r = rulesOf('payment-gateway')!;
    expect(r.map(x => x.alert).sort()).toEqual([
      'PaymentGatewayCertificateExpiry',
      'PaymentGatewayErrorBudgetBurnRate',
      'PaymentGatewaySlowUpstream',
      'PaymentGatewayUpstreamErrors',
    ]);
  });

  it('attaches only the rules that select the component from a shared file', () => {
    expect(
      rulesOf('tax-calculator')!
        .map(x => x.alert)
        .sort(),
    ).toEqual(['TaxCalculatorHighErrorRate', 'TaxCalculatorSlow']);
    expect(rulesOf('tax-calculator')!.some(x => x.burnRate)).toBe(false);
    expect(rulesOf('merchant-portal')!.map(x => x.alert)).toEqual([
      'MerchantPortalErrors',
    ]);
  });

  it('attaches an alert without a job selector through prometheus.io/alert', () => {
    const names = rulesOf('cart-service')!.map(x => x.alert);
    expect(names).toContain('CartServiceRedisDown');
    expect(names).toContain('CartServiceLatencyBurnRate');
    expect(names).not.toContain('CheckoutApiHighErrorRate');
  });

  it('selects by prometheus.io/service-label', () => {
    expect(
      rulesOf('storefront-web')!
        .map(x => x.alert)
        .sort(),
    ).toEqual(['StorefrontWebHighErrorRate', 'StorefrontWebSlowPages']);
  });

  it('records missing severity and for', () => {
    const r = rulesOf('fraud-detection')!;
    expect(r.find(x => x.alert === 'FraudModelScoringErrors')).toMatchObject({
      forSeconds: 0,
    });
    expect(
      r.find(x => x.alert === 'FraudModelScoringErrors')!.severity,
    ).toBeUndefined();
  });

  it('reports the malformed rule file with file and line, and no rule facts for it', () => {
    expect(rules.facts.has('component:default/shipping-rates')).toBe(false);
    expect(rules.errors?.get('component:default/shipping-rates')).toMatch(
      /shipping-rates\.yaml:11:\d+: /,
    );
    expect(routes.facts.has('component:default/shipping-rates')).toBe(false);
  });

  it('routes payments critical alerts to PagerDuty (and the audit webhook first)', () => {
    const r = routesOf('payments-api')!;
    expect(r.critical.receivers).toEqual([
      {
        name: 'incident-audit-webhook',
        pages: false,
        routePath: 'route > routes[0]',
      },
      {
        name: 'payments-pagerduty',
        pages: true,
        routePath: 'route > routes[2] > routes[0]',
      },
    ]);
    expect(r.warning.receivers).toEqual([
      { name: 'payments-slack', pages: false, routePath: 'route > routes[2]' },
    ]);
  });

  it('routes checkout critical alerts through legacy match/match_re to Opsgenie', () => {
    expect(routesOf('checkout-api')!.critical.receivers).toContainEqual({
      name: 'checkout-opsgenie',
      pages: true,
      routePath: 'route > routes[3] > routes[0]',
    });
  });

  it('finds that recommendations critical alerts page nobody', () => {
    const receivers = routesOf('recommendations-api')!.critical.receivers;
    expect(receivers.some(r => r.pages)).toBe(false);
    expect(receivers.map(r => r.name)).toEqual([
      'incident-audit-webhook',
      'recommendations-slack',
    ]);
  });

  it('says whether the route reaches the PagerDuty service when known', () => {
    // ledger-service is PLDGR42; payments-pagerduty is mapped to PPAYMNT.
    const critical = routesOf('ledger-service')!.critical.receivers;
    expect(critical.find(r => r.name === 'payments-pagerduty')).toMatchObject({
      reachesPagerDutyService: false,
    });
    expect(
      critical.find(r => r.name === 'incident-audit-webhook'),
    ).toMatchObject({
      reachesPagerDutyService: false,
    });
    // build-cache (PBLDC07) goes to a webhook: known not to reach PagerDuty.
    expect(routesOf('build-cache')!.critical.receivers).toEqual([
      expect.objectContaining({
        name: 'incident-audit-webhook',
        reachesPagerDutyService: false,
      }),
      expect.objectContaining({
        name: 'devex-chatops-webhook',
        reachesPagerDutyService: false,
      }),
    ]);
    // Without a PagerDuty service id there is no such field.
    expect(routesOf('payments-api')!.critical.receivers[1]).not.toHaveProperty(
      'reachesPagerDutyService',
    );
  });

  it('carries evidence on every fact', () => {
    for (const batch of [rules, routes]) {
      for (const [, values] of batch.facts) {
        for (const v of values) {
          expect(v.source).toBeTruthy();
          expect(v.collectedAt).toMatch(/^\d{4}-/);
        }
      }
    }
    const ev = rules.facts.get('component:default/payments-api')![0].evidence!;
    expect(
      ev.find(e => e.text.startsWith('PaymentsApiErrorBudgetBurnRateFast'))!
        .text,
    ).toMatch(
      /expr selects job="payments-api"; burn-rate: compares with burn factor 14.4 × error budget 0.001/,
    );
    const routeEv = routes.facts.get('component:default/payments-api')![0]
      .evidence!;
    expect(routeEv.map(e => e.text)).toContainEqual(
      expect.stringMatching(
        /^critical: .* → route > routes\[2\] > routes\[0\] → payments-pagerduty \(pages: pagerduty_configs\)$/,
      ),
    );
  });
});
