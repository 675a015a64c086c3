import { readFileSync } from 'fs';
import { join } from 'path';
import { EXAMPLES_DIR } from '../__testUtils__/demo';
import { parseAlertmanagerConfig } from './config';
import {
  matchRoutes,
  pagingReason,
  reachesPagerDutyService,
  resolveReceivers,
} from './routing';

const demo = parseAlertmanagerConfig(
  readFileSync(join(EXAMPLES_DIR, 'prometheus/alertmanager.yml'), 'utf8'),
  'alertmanager.yml',
);
const fixture = parseAlertmanagerConfig(
  readFileSync(join(__dirname, '../__fixtures__/alertmanager.yml'), 'utf8'),
  'fixture.yml',
);

describe('Alertmanager routing', () => {
  it('follows continue, nested routes and the default route (demo config)', () => {
    expect(
      resolveReceivers(demo, { team: 'payments', severity: 'critical' }),
    ).toEqual(['incident-audit-webhook', 'payments-pagerduty']);
    expect(
      resolveReceivers(demo, {
        team: 'payments',
        severity: 'critical',
        env: 'staging',
      }),
    ).toEqual(['incident-audit-webhook', 'payments-slack']);
    expect(
      resolveReceivers(demo, { team: 'payments', severity: 'warning' }),
    ).toEqual(['payments-slack']);
    expect(
      resolveReceivers(demo, { team: 'checkout', severity: 'page' }),
    ).toEqual(['checkout-opsgenie']);
    expect(
      resolveReceivers(demo, { team: 'platform', severity: 'info' }),
    ).toEqual(['sre-slack']);
    expect(resolveReceivers(demo, { team: 'nobody' })).toEqual([
      'default-slack',
    ]);
    expect(
      resolveReceivers(demo, { alertname: 'Watchdog', team: 'payments' }),
    ).toEqual(['deadmans-switch-webhook']);
  });

  it('reports the route path of each match', () => {
    expect(
      matchRoutes(demo.route, { team: 'sre', severity: 'critical' }).map(
        r => r.path,
      ),
    ).toEqual(['route > routes[0]', 'route > routes[4] > routes[0]']);
    expect(matchRoutes(demo.route, {}).map(r => r.path)).toEqual(['route']);
  });

  it('anchors regexes and treats missing labels as "" (fixture)', () => {
    expect(resolveReceivers(fixture, { team: 'check' })).toEqual([
      'check-webhook',
    ]);
    expect(resolveReceivers(fixture, { team: 'checkout' })).toEqual([
      'checkout-opsgenie',
    ]);
    expect(
      resolveReceivers(fixture, { team: 'checkout', region: 'eu' }),
    ).toEqual(['checkout-regional-slack']);
    expect(
      resolveReceivers(fixture, { team: 'payments', severity: 'xcritical' }),
    ).toEqual(['payments-slack']);
  });

  it('runs regexes with RE2 semantics in linear time (re2-routes fixture)', () => {
    const re2 = parseAlertmanagerConfig(
      readFileSync(join(__dirname, '__fixtures__/re2-routes.yml'), 'utf8'),
      're2-routes.yml',
    );
    // 10× the lengths that froze the backend with backtracking RegExp.
    const as = 'a'.repeat(440);
    const xs = 'x'.repeat(320);
    expect(resolveReceivers(re2, { job: as })).toEqual(['default-slack']);
    expect(resolveReceivers(re2, { job: `${as}b` })).toEqual(['batch-slack']);
    expect(resolveReceivers(re2, { job: xs })).toEqual(['default-slack']);
    expect(resolveReceivers(re2, { job: `${xs}y` })).toEqual(['batch-slack']);
    // [[:^digit:]] and (?i) are RE2 syntax, not literal text.
    expect(
      resolveReceivers(re2, { severity: 'CRITICAL', service: 'checkout' }),
    ).toEqual(['oncall-pager']);
    expect(
      resolveReceivers(re2, { severity: 'crit', service: 'checkout2' }),
    ).toEqual(['default-slack']);
    expect(resolveReceivers(re2, { team: 'Zürich', region: 'αβγ' })).toEqual([
      'greek-slack',
    ]);
    expect(resolveReceivers(re2, { team: 'payments', env: 'prod2' })).toEqual([
      'numbered-env-slack',
    ]);
    expect(resolveReceivers(re2, { team: 'payments', env: 'prod' })).toEqual([
      'team-slack',
    ]);
    expect(
      resolveReceivers(re2, { team: 'payments-1', cluster: 'eu.west-1' }),
    ).toEqual(['eu-slack']);
    expect(resolveReceivers(re2, { cluster: 'euxwest-1' })).toEqual([
      'default-slack',
    ]);
  });

  it('inherits receivers from the parent route', () => {
    const config = parseAlertmanagerConfig(
      `route:
  receiver: root
  routes:
    - matchers: [team="a"]
      routes:
        - matchers: [severity="critical"]
receivers: [{ name: root }]
`,
      'inherit.yml',
    );
    expect(
      matchRoutes(config.route, { team: 'a', severity: 'critical' }),
    ).toEqual([
      expect.objectContaining({
        receiver: 'root',
        path: 'route > routes[0] > routes[0]',
      }),
    ]);
  });

  it('decides which receivers page', () => {
    const paging = new Set(['devex-chatops-webhook']);
    expect(pagingReason(demo.receivers.get('payments-pagerduty'), paging)).toBe(
      'pagerduty_configs',
    );
    expect(pagingReason(demo.receivers.get('checkout-opsgenie'), paging)).toBe(
      'opsgenie_configs',
    );
    expect(
      pagingReason(demo.receivers.get('devex-chatops-webhook'), paging),
    ).toMatch(/pagingReceivers/);
    expect(
      pagingReason(demo.receivers.get('recommendations-slack'), paging),
    ).toBeUndefined();
  });

  it('says whether a receiver reaches a PagerDuty service when known', () => {
    const map = new Map([['payments-pagerduty', 'PPAY']]);
    expect(
      reachesPagerDutyService(
        demo.receivers.get('payments-pagerduty'),
        'PPAY',
        map,
      ),
    ).toBe(true);
    expect(
      reachesPagerDutyService(
        demo.receivers.get('payments-pagerduty'),
        'POTHER',
        map,
      ),
    ).toBe(false);
    expect(
      reachesPagerDutyService(demo.receivers.get('sre-pagerduty'), 'PPAY', map),
    ).toBeUndefined();
    expect(
      reachesPagerDutyService(
        demo.receivers.get('payments-slack'),
        'PPAY',
        map,
      ),
    ).toBe(false);
    expect(demo.receivers.get('search-pagerduty')!.pagerDutyKeys).toEqual([
      'SEARCH-PD-SERVICE-KEY-PLACEHOLDER',
    ]);
  });

  it.each([
    [
      'route:\n  receiver: a\n  matchers: [x="y"]\nreceivers: [{name: a}]\n',
      /root route must not have any matchers/,
    ],
    [
      'route:\n  receiver: a\n  continue: true\nreceivers: [{name: a}]\n',
      /root route cannot have continue/,
    ],
    ['route: {}\nreceivers: [{name: a}]\n', /root route must have a receiver/],
    [
      'route:\n  receiver: b\nreceivers: [{name: a}]\n',
      /undefined receiver 'b' used in route/,
    ],
    [
      'route:\n  receiver: a\n  routes: [{receiver: c}]\nreceivers: [{name: a}]\n',
      /undefined receiver 'c' used in route > routes\[0\]/,
    ],
    [
      'route:\n  receiver: a\n  routes: [{matchers: ["bad"]}]\nreceivers: [{name: a}]\n',
      /route > routes\[0\]: bad matcher format: bad/,
    ],
    [
      'route:\n  receiver: a\n  routes: [{match_re: {x: "("}}]\nreceivers: [{name: a}]\n',
      /invalid regular expression/,
    ],
    [
      'receivers: [{name: a}, {name: a}]\nroute: {receiver: a}\n',
      /receiver 'a' is defined twice/,
    ],
    ['receivers: [{name: a}]\n', /no `route`/],
    ['route: [\n', /alertmanager.yml:2:1: invalid YAML/],
    ['- a\n', /expected a mapping/],
  ])('rejects invalid configuration (%#)', (text, error) => {
    expect(() => parseAlertmanagerConfig(text, 'alertmanager.yml')).toThrow(
      error,
    );
  });
});
