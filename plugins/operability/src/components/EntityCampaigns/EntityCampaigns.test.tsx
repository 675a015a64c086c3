import { renderInTestApp } from '@backstage/test-utils';
import { calendarDateOf } from '@opsready/plugin-operability-common';
import { screen, within } from '@testing-library/react';
import { formatCalendarDate } from '../shared/calendar';
import { deadlineText, EntityCampaigns } from './EntityCampaigns';

const DAY = 86_400_000;
const inDays = (n: number) => calendarDateOf(Date.now() + n * DAY);

describe('EntityCampaigns', () => {
  it('lists each campaign: done, or open with the checks to fix, and the deadline', async () => {
    const deadline = inDays(11);
    await renderInTestApp(
      <EntityCampaigns
        campaigns={[
          {
            id: 'runbooks',
            title: 'Runbooks for criticals',
            deadline,
            done: false,
            failing: ['alerting.runbooks'],
          },
          {
            id: 'silver',
            title: 'Silver everywhere',
            deadline: inDays(40),
            done: true,
            failing: [],
          },
        ]}
        checkTitles={
          new Map([['alerting.runbooks', 'Critical alerts have runbooks']])
        }
      />,
    );
    const list = screen.getByRole('list', { name: 'Campaigns' });
    const [open, done] = within(list).getAllByRole('listitem');
    expect(open).toHaveTextContent(
      `Runbooks for criticals: open, fix Critical alerts have runbooks (due ${formatCalendarDate(
        deadline,
      )}, 12 days left)`,
    );
    expect(done).toHaveTextContent('Silver everywhere: done (due');
    expect(screen.getByText('Campaigns')).toBeInTheDocument();
  });

  it('renders nothing for an entity in no campaign', async () => {
    const { container } = await renderInTestApp(
      <EntityCampaigns campaigns={[]} />,
    );
    expect(container).toBeEmptyDOMElement();
  });

  it('says when the deadline is today or past', () => {
    const now = new Date('2027-03-31T10:00:00Z');
    expect(deadlineText('2027-03-31', now)).toBe('last day');
    expect(deadlineText('2027-03-30', now)).toBe('deadline passed');
    expect(deadlineText('2027-04-02', now)).toBe('3 days left');
  });
});
