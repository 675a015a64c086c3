import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { report } from '../__testUtils__/testing';
import { OnCallSummary } from './OnCallSummary';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('OnCallSummary', () => {
  it('shows who is on call, without a note when the answer is fresh', async () => {
    await renderInTestApp(
      <OnCallSummary onCall={report.onCall} />,
      mountedRoutes,
    );
    expect(screen.getByText('Alice')).toBeInTheDocument();
    expect(screen.queryByText(/source unavailable/)).not.toBeInTheDocument();
    // No shadows: no line for them.
    expect(screen.queryByText(/^Shadows?:$/)).not.toBeInTheDocument();
  });

  it("links PagerDuty's service, escalation policy and schedule pages", async () => {
    await renderInTestApp(
      <OnCallSummary
        onCall={{
          ...report.onCall!,
          source: 'pagerduty',
          scheduleRef: undefined,
          links: {
            service: 'https://acme.pagerduty.com/service-directory/PSVC',
            escalationPolicy:
              'https://acme.pagerduty.com/escalation_policies/PEP',
            schedule: 'https://acme.pagerduty.com/schedules/PSCH',
          },
        }}
      />,
      mountedRoutes,
    );
    expect(screen.getByText(/^In PagerDuty:/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /^service/ })).toHaveAttribute(
      'href',
      'https://acme.pagerduty.com/service-directory/PSVC',
    );
    expect(
      screen.getByRole('link', { name: /^escalation policy/ }),
    ).toHaveAttribute(
      'href',
      'https://acme.pagerduty.com/escalation_policies/PEP',
    );
    expect(screen.getByRole('link', { name: /^schedule/ })).toHaveAttribute(
      'href',
      'https://acme.pagerduty.com/schedules/PSCH',
    );
  });

  it('names the shadow learning the rotation', async () => {
    await renderInTestApp(
      <OnCallSummary
        onCall={{
          ...report.onCall!,
          shadows: [{ ref: 'user:default/frank', title: 'Frank' }],
        }}
      />,
      mountedRoutes,
    );
    const line = screen.getByText('Shadow:').closest('p')!;
    expect(line).toHaveTextContent('Shadow: Frank (learning, not paged)');
    expect(screen.getByText('Frank').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/user/frank',
    );
  });

  it('names several shadows, also in a last known answer', async () => {
    await renderInTestApp(
      <OnCallSummary
        onCall={{
          ...report.onCall!,
          status: 'unknown',
          reason: 'the schedule is invalid',
          shadows: [
            { ref: 'user:default/frank', title: 'Frank' },
            { ref: 'user:default/grace', title: 'Grace' },
          ],
        }}
      />,
      mountedRoutes,
    );
    expect(screen.getByText('Shadows:').closest('p')).toHaveTextContent(
      'Shadows: Frank, Grace (learning, not paged)',
    );
  });

  it('shows a stale answer with its age and why the source is unavailable', async () => {
    await renderInTestApp(
      <OnCallSummary
        onCall={{
          ...report.onCall!,
          source: 'pagerduty',
          stale: {
            since: new Date(Date.now() - 2 * 86_400_000).toISOString(),
            reason: 'pagerduty did not answer within 1.5 s',
          },
        }}
      />,
      mountedRoutes,
    );
    expect(screen.getByText('Alice')).toBeInTheDocument();
    expect(screen.getByText('Bob')).toBeInTheDocument();
    expect(
      screen.getByText(
        'As of 2 days ago (source unavailable: pagerduty did not answer within 1.5 s)',
      ),
    ).toBeInTheDocument();
  });
});
