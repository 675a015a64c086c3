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
