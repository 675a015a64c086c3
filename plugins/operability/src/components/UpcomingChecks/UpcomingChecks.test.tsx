import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { check } from '../__testUtils__/testing';
import { countsFromText } from '../shared/calendar';
import { UpcomingChecks, upcomingChecks } from './UpcomingChecks';

const checks = [
  check({ id: 'alerting.runbooks', status: 'fail' }),
  check({
    id: 'documentation.techdocs',
    title: 'TechDocs',
    status: 'fail',
    level: 'gold',
    upcoming: true,
    enforcedFrom: '2027-03-01',
    message: 'no backstage.io/techdocs-ref annotation',
    remediation: 'Add `backstage.io/techdocs-ref: dir:.`',
  }),
  check({
    id: 'on-call.ladder',
    title: 'Climb the ladder',
    status: 'pass',
    upcoming: true,
    enforcedFrom: '2027-02-01',
  }),
];

describe('UpcomingChecks', () => {
  it('lists only the upcoming checks, earliest first', () => {
    expect(upcomingChecks(checks).map(c => c.id)).toEqual([
      'on-call.ladder',
      'documentation.techdocs',
    ]);
  });

  it('shows each with its status now, when it counts and how to fix it', async () => {
    await renderInTestApp(<UpcomingChecks checks={checks} />);
    const table = screen.getByRole('table', { name: 'Upcoming checks' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toHaveTextContent('TechDocs');
    expect(rows[2]).toHaveTextContent(countsFromText('2027-03-01'));
    expect(within(rows[2]).getByText('fail')).toBeInTheDocument();
    expect(rows[2]).toHaveTextContent('How to fix:');
    expect(rows[1]).not.toHaveTextContent('How to fix:');
    expect(within(table).queryByText('alerting.runbooks')).toBeNull();
  });

  it('is one line each on the card', async () => {
    await renderInTestApp(<UpcomingChecks checks={checks} compact />);
    const list = screen.getByRole('list', { name: 'Checks that count soon' });
    expect(within(list).getAllByRole('listitem')[1]).toHaveTextContent(
      `TechDocs fails now · ${countsFromText('2027-03-01')}`,
    );
  });

  it('renders nothing without upcoming checks', async () => {
    const { container } = await renderInTestApp(
      <UpcomingChecks checks={[checks[0]]} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
