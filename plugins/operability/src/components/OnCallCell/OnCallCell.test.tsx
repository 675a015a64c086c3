import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { report } from '../__testUtils__/testing';
import { OnCallCell } from './OnCallCell';

const mountedRoutes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

describe('OnCallCell', () => {
  it('shows primary and secondary', async () => {
    await renderInTestApp(<OnCallCell onCall={report.onCall} />, mountedRoutes);
    expect(screen.getByText('Alice')).toBeInTheDocument();
    expect(screen.getByText('Bob')).toBeInTheDocument();
  });

  it('says there is no schedule', async () => {
    await renderInTestApp(<OnCallCell onCall={null} />, mountedRoutes);
    expect(screen.getByText('no schedule')).toBeInTheDocument();
  });

  it('shows why it is unknown and the age of the last known answer', async () => {
    await renderInTestApp(
      <OnCallCell
        onCall={{
          ...report.onCall!,
          status: 'unknown',
          reason: 'PagerDuty timed out',
          asOf: new Date(Date.now() - 2 * 86_400_000).toISOString(),
        }}
      />,
      mountedRoutes,
    );
    expect(
      screen.getByText('unknown: PagerDuty timed out'),
    ).toBeInTheDocument();
    expect(screen.getByText('last known, 2 days ago:')).toBeInTheDocument();
    expect(screen.getByText('Alice')).toBeInTheDocument();
  });

  it('shows a stale answer with its age and why the source is unavailable', async () => {
    await renderInTestApp(
      <OnCallCell
        onCall={{
          ...report.onCall!,
          stale: {
            since: new Date(Date.now() - 3 * 3_600_000).toISOString(),
            reason: 'PagerDuty answered 503',
          },
        }}
      />,
      mountedRoutes,
    );
    expect(screen.getByText('Alice')).toBeInTheDocument();
    expect(
      screen.getByText(
        'as of 3 hours ago (source unavailable: PagerDuty answered 503)',
      ),
    ).toBeInTheDocument();
  });
});
