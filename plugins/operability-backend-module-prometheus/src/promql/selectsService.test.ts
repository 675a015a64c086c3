import { ServiceIndex, readServices } from '../services';
import { component } from '../__testUtils__/demo';
import { analyzePromql } from './analyze';
import { selectServices } from './selectsService';

const { services } = readServices([
  component('payments-api', { 'prometheus.io/job': 'payments-api' }),
  component('payments-worker', { 'prometheus.io/job': 'payments-worker' }),
  component('ledger', { 'prometheus.io/job': 'ledger.v2' }),
  component('web', { 'prometheus.io/service-label': 'service=storefront-web' }),
  component('cart', {
    'prometheus.io/job': 'cart',
    'prometheus.io/alert': 'RedisDown, CartQueueFull',
  }),
]);
const index = new ServiceIndex(services);

function select(
  expr: string,
  labels: Record<string, string> = {},
  alert = 'A',
) {
  return Object.fromEntries(
    selectServices({ alert, labels, analysis: analyzePromql(expr) }, index),
  );
}
const names = (r: Record<string, string>) =>
  Object.keys(r)
    .map(ref => ref.replace('component:default/', ''))
    .sort();

describe('selectServices', () => {
  it('selects by = on the service label', () => {
    expect(select('up{job="payments-api"} == 0')).toEqual({
      'component:default/payments-api': 'expr selects job="payments-api"',
    });
    expect(names(select('rate(x{service="storefront-web"}[5m]) > 1'))).toEqual([
      'web',
    ]);
  });

  it('selects by =~ with anchored regexes', () => {
    expect(names(select('up{job=~"payments-.*"}'))).toEqual([
      'payments-api',
      'payments-worker',
    ]);
    expect(names(select('up{job=~"payments"}'))).toEqual([]);
    expect(names(select('up{job=~"payments-api|cart"}'))).toEqual([
      'cart',
      'payments-api',
    ]);
    expect(names(select('up{job=~"ledger\\\\.v2"}'))).toEqual(['ledger']);
    expect(names(select('up{job=~"ledger.v2"}'))).toEqual(['ledger']);
    expect(names(select('up{job=~"(?i)CART"}'))).toEqual(['cart']);
  });

  it('does not select with a regex that also matches an absent label', () => {
    expect(names(select('up{job=~".*"}'))).toEqual([]);
    expect(names(select('up{job=~"cart|"}'))).toEqual([]);
    // .+ requires the label and matches every service.
    expect(names(select('up{job=~".+"}'))).toEqual([
      'cart',
      'ledger',
      'payments-api',
      'payments-worker',
    ]);
  });

  it('never selects with != or !~', () => {
    expect(names(select('up{job!="payments-api"}'))).toEqual([]);
    expect(names(select('up{job!~"payments-.*"}'))).toEqual([]);
  });

  it('ignores other labels with the same value', () => {
    expect(names(select('up{service="payments-api"}'))).toEqual([]);
    expect(names(select('up{job="storefront-web"}'))).toEqual([]);
  });

  it('selects by the rule labels and by prometheus.io/alert', () => {
    expect(
      select('vector(1)', { job: 'payments-api', severity: 'critical' }),
    ).toEqual({
      'component:default/payments-api': 'rule label job="payments-api"',
    });
    expect(select('redis_up == 0', {}, 'RedisDown')).toEqual({
      'component:default/cart': 'alert name listed in prometheus.io/alert',
    });
    expect(names(select('x', {}, 'CartQueueFull'))).toEqual(['cart']);
  });

  it('selects several services from one expression', () => {
    expect(
      names(
        select(
          'up{job="cart"} or up{job="payments-api"} and on() up{job!="ledger.v2"}',
        ),
      ),
    ).toEqual(['cart', 'payments-api']);
  });

  describe('with RE2 regexes', () => {
    const xs = 'x'.repeat(320); // 10× what froze the backend with RegExp
    const re2Index = new ServiceIndex(
      readServices([
        component('xs', { 'prometheus.io/job': xs }),
        component('xsy', { 'prometheus.io/job': `${xs}y` }),
        component('zurich', { 'prometheus.io/job': 'Zürich' }),
        component('greek', { 'prometheus.io/job': 'αβγ' }),
        component('api2', { 'prometheus.io/job': 'api2' }),
      ]).services,
    );
    const re2Select = (expr: string) =>
      names(
        Object.fromEntries(
          selectServices(
            { alert: 'A', labels: {}, analysis: analyzePromql(expr) },
            re2Index,
          ),
        ),
      );

    it('selects in linear time with a catastrophic-backtracking regex', () => {
      expect(re2Select('up{job=~"(x+x+)+y"} == 0')).toEqual(['xsy']);
    });

    it('reads RE2-only syntax as Prometheus does', () => {
      expect(re2Select('up{job=~"[[:^digit:]]+"}')).toEqual([
        'greek',
        'xs',
        'xsy',
        'zurich',
      ]);
      expect(re2Select('up{job=~"\\\\pL+"}')).toEqual([
        'greek',
        'xs',
        'xsy',
        'zurich',
      ]);
      expect(re2Select('up{job=~"\\\\p{Greek}+"}')).toEqual(['greek']);
      expect(re2Select('up{job=~"[[:alpha:]]+\\\\PL"}')).toEqual(['api2']);
      expect(re2Select('up{job=~"(?i)züRICH"}')).toEqual(['zurich']);
      expect(re2Select('up{job=~"\\\\Qαβγ\\\\E"}')).toEqual(['greek']);
    });

    it('selects nothing with a regex RE2 rejects', () => {
      expect(re2Select('up{job=~"(x+"}')).toEqual([]);
      expect(re2Select('up{job=~"x++"}')).toEqual([]);
    });
  });
});
