import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { check } from '../__testUtils__/testing';
import { ChecksByCategory, EVIDENCE_SHOWN } from './ChecksByCategory';

const manyRules = Array.from({ length: 17 }, (_, i) => ({
  kind: 'rule',
  text: `Alert${i}`,
  source: 'https://github.com/acme/payments/blob/main/rules/payments.yaml',
}));

const checks = [
  check({ id: 'ownership.owner-set', title: 'Owner is set' }),
  check({
    id: 'ownership.in-system',
    title: 'Part of a system',
    status: 'not-applicable',
  }),
  check({
    id: 'alerting.severity-labels',
    title: 'Alerts have severity labels',
    status: 'fail',
    message: '17 alerts lack severity',
    remediation: 'Add `severity` — see [labels](https://example.com/labels).',
    evidence: manyRules,
  }),
  check({
    id: 'documentation.runbook',
    title: 'Runbook linked',
    evidence: [{ kind: 'runbook', text: 'https://wiki.example.com/payments' }],
  }),
];

// material-table renders slowly on a busy machine.
jest.setTimeout(20_000);

describe('ChecksByCategory', () => {
  it('collapses passing and not-applicable checks to their titles until asked', async () => {
    await renderInTestApp(<ChecksByCategory checks={checks} />);
    expect(screen.getByText('Alerts have severity labels')).toBeInTheDocument();
    expect(
      screen.getByText(
        '2 passing or not applicable: Owner is set · Part of a system',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('cell', { name: /Owner is set/ })).toBeNull();

    const toggle = screen.getByRole('button', {
      name: 'Show passing checks (3)',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(
      screen.getByRole('cell', { name: /Owner is set/ }),
    ).toBeInTheDocument();
    // The runbook evidence is a link.
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/wiki.example.com\/payments/,
      }),
    ).toHaveAttribute('href', 'https://wiki.example.com/payments');
    await userEvent.click(
      screen.getByRole('button', { name: 'Hide passing checks' }),
    );
    expect(screen.queryByRole('cell', { name: /Owner is set/ })).toBeNull();
  });

  it('caps long evidence at a few items with "+N more", links rule files, copies alert names', async () => {
    await renderInTestApp(<ChecksByCategory checks={checks} />);
    const row = screen.getByText('Alerts have severity labels').closest('tr')!;
    expect(within(row).getAllByText(/^Alert\d+$/)).toHaveLength(EVIDENCE_SHOWN);
    expect(
      within(row).getAllByRole('link', { name: /rules\/payments.yaml/ })[0],
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/payments/blob/main/rules/payments.yaml',
    );
    expect(
      within(row).getByRole('button', { name: 'Copy alert name Alert0' }),
    ).toBeInTheDocument();
    // The fix is Markdown: its link works.
    expect(within(row).getByRole('link', { name: /^labels/ })).toHaveAttribute(
      'href',
      'https://example.com/labels',
    );
    await userEvent.click(
      within(row).getByRole('button', {
        name: `+${17 - EVIDENCE_SHOWN} more`,
      }),
    );
    expect(within(row).getAllByText(/^Alert\d+$/)).toHaveLength(17);
  });
});
