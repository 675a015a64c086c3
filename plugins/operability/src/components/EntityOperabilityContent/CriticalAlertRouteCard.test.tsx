import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { check } from '../__testUtils__/testing';
import { CriticalAlertRouteCard } from './CriticalAlertRouteCard';

const readiness = (checks: ReturnType<typeof check>[]) => ({
  score: 50,
  level: 'bronze' as const,
  evaluatedAt: '2026-03-02T10:00:00.000Z',
  checks,
});

describe('CriticalAlertRouteCard', () => {
  it('lists the route evidence of alerting.critical-pages', async () => {
    await renderInTestApp(
      <CriticalAlertRouteCard
        readiness={readiness([
          check({
            id: 'alerting.critical-pages',
            status: 'pass',
            message: 'critical alerts page through pagerduty-payments',
            evidence: [
              { kind: 'rule', text: 'PaymentsDown' },
              {
                kind: 'route',
                text: 'route 1 → pagerduty-payments (pages)',
                source: 'pagerduty-payments',
              },
            ],
          }),
        ])}
      />,
    );
    expect(
      screen.getByText('route 1 → pagerduty-payments (pages)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/critical alerts page through pagerduty-payments/),
    ).toBeInTheDocument();
    expect(screen.queryByText('PaymentsDown')).toBeNull();
  });

  it('says the route is unknown, and why, when there is no route evidence', async () => {
    await renderInTestApp(
      <CriticalAlertRouteCard
        readiness={readiness([
          check({
            id: 'alerting.critical-pages',
            status: 'unknown',
            message: 'Alertmanager was not reachable',
            remediation: 'Check the Alertmanager URL',
          }),
        ])}
      />,
    );
    expect(
      screen.getByText('Unknown: Alertmanager was not reachable'),
    ).toBeInTheDocument();
    expect(screen.getByText('Check the Alertmanager URL')).toBeInTheDocument();
  });

  it('says the route is unknown when the rubric has no such check', async () => {
    await renderInTestApp(<CriticalAlertRouteCard readiness={readiness([])} />);
    expect(
      screen.getByText(/Unknown: the rubric in force has no/),
    ).toBeInTheDocument();
  });
});
