import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  formatInZone,
  HandoffTime,
  useScheduleTimeZone,
  viewerTimeZone,
} from './HandoffTime';
import { formatLocalDateTime } from '../shared/time';

const instant = '2026-03-09T13:00:00.000Z';

function ScheduleHandoff(props: { scheduleRef: string }) {
  const zone = useScheduleTimeZone(props.scheduleRef);
  return <HandoffTime instant={instant} timeZone={zone} />;
}

describe('HandoffTime', () => {
  it("shows the schedule's wall-clock time with its zone, and the viewer's time on hover", async () => {
    await renderInTestApp(
      <HandoffTime instant={instant} timeZone="America/Toronto" />,
    );
    const shown = screen.getByText(
      `${formatInZone(instant, 'America/Toronto')} (America/Toronto)`,
    );
    // 13:00 UTC is 09:00 in Toronto on that day (EDT since 8 March 2026).
    expect(shown.textContent).toMatch(/9:00/);
    await userEvent.hover(shown);
    expect(
      await screen.findByText(
        `Your time: ${formatLocalDateTime(instant)} (${viewerTimeZone()})`,
      ),
    ).toBeInTheDocument();
  });

  it("falls back to the viewer's time and zone without a known zone", async () => {
    await renderInTestApp(
      <HandoffTime instant={instant} timeZone="Not/AZone" />,
    );
    expect(
      screen.getByText(formatLocalDateTime(instant), { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText(`(${viewerTimeZone()})`)).toBeInTheDocument();
  });

  it("reads the schedule's zone from the catalog", async () => {
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue({
        apiVersion: 'operability.io/v1alpha1',
        kind: 'Schedule',
        metadata: { name: 'payments-on-call' },
        spec: { timeZone: 'Asia/Tokyo' },
      }),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ScheduleHandoff scheduleRef="schedule:default/payments-on-call" />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/\(Asia\/Tokyo\)$/)).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'schedule:default/payments-on-call',
    );
  });
});
