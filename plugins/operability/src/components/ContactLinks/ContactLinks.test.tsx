import { configApiRef } from '@backstage/core-plugin-api';
import {
  MockConfigApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ContactLinks, slackChannelUrl } from './ContactLinks';

function renderLinks(
  contacts: { email?: string; slack?: string },
  workspaceUrl?: string,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          configApiRef,
          new MockConfigApi(
            workspaceUrl ? { operability: { slack: { workspaceUrl } } } : {},
          ),
        ],
      ]}
    >
      <ContactLinks contacts={contacts} />
    </TestApiProvider>,
  );
}

describe('ContactLinks', () => {
  it('links the email with mailto: and the channel into the Slack workspace, each with a copy button', async () => {
    await renderLinks(
      { email: 'payments@example.com', slack: '#team-payments' },
      'https://acme.slack.com/',
    );
    expect(
      screen.getByRole('link', { name: /^payments@example.com/ }),
    ).toHaveAttribute('href', 'mailto:payments@example.com');
    expect(
      screen.getByRole('link', { name: /^#team-payments/ }),
    ).toHaveAttribute(
      'href',
      'https://acme.slack.com/app_redirect?channel=team-payments',
    );
    expect(
      screen.getByRole('button', { name: 'Copy payments@example.com' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy #team-payments' }),
    ).toBeInTheDocument();
  });

  it('shows the channel as text, still copyable, without a workspace URL', async () => {
    await renderLinks({ slack: '#team-payments' });
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('#team-payments')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy #team-payments' }),
    ).toBeInTheDocument();
  });

  it('says when the team has neither', async () => {
    await renderLinks({});
    expect(screen.getByText('no email or Slack channel')).toBeInTheDocument();
  });
});

describe('slackChannelUrl', () => {
  it('builds app_redirect links from names, keeps URLs, needs a workspace otherwise', () => {
    expect(slackChannelUrl('#ops', 'https://a.slack.com')).toBe(
      'https://a.slack.com/app_redirect?channel=ops',
    );
    expect(slackChannelUrl('ops', 'https://a.slack.com//')).toBe(
      'https://a.slack.com/app_redirect?channel=ops',
    );
    expect(
      slackChannelUrl('https://a.slack.com/archives/C123', undefined),
    ).toBe('https://a.slack.com/archives/C123');
    expect(slackChannelUrl('#ops', undefined)).toBeUndefined();
    expect(slackChannelUrl('#', 'https://a.slack.com')).toBeUndefined();
  });
});
