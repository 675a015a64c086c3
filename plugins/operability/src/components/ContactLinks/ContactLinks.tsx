import { Link } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Ownership } from '@opsready/plugin-operability-common';
import { CopyButton } from '../shared/CopyButton';

/**
 * The link that opens a Slack channel: a URL as given, else the channel name
 * (with or without its `#`) in the workspace, through Slack's `app_redirect`,
 * which opens the desktop app or the browser. Undefined without a workspace.
 */
export function slackChannelUrl(
  channel: string,
  workspaceUrl: string | undefined,
): string | undefined {
  const value = channel.trim();
  if (/^https?:\/\//i.test(value)) return value;
  if (!workspaceUrl) return undefined;
  const name = value.replace(/^#/, '');
  if (!name) return undefined;
  return `${workspaceUrl.replace(
    /\/+$/,
    '',
  )}/app_redirect?channel=${encodeURIComponent(name)}`;
}

/** The workspace URL from `operability.slack.workspaceUrl`, if set. */
export function useSlackWorkspaceUrl(): string | undefined {
  return useApi(configApiRef).getOptionalString(
    'operability.slack.workspaceUrl',
  );
}

/** An email as a `mailto:` link, with a button that copies it. */
export function EmailLink(props: { email: string }) {
  const { email } = props;
  return (
    <Box component="span" display="inline-flex" alignItems="center">
      <Link to={`mailto:${email}`}>{email}</Link>
      <CopyButton
        text={email}
        tooltipText="Email copied"
        ariaLabel={`Copy ${email}`}
      />
    </Box>
  );
}

/** A Slack channel as a link into the workspace (when known), with a copy button. */
export function SlackLink(props: { channel: string }) {
  const { channel } = props;
  const url = slackChannelUrl(channel, useSlackWorkspaceUrl());
  return (
    <Box component="span" display="inline-flex" alignItems="center">
      {url ? (
        <Link to={url} title={`Open ${channel} in Slack`}>
          {channel}
        </Link>
      ) : (
        <span>{channel}</span>
      )}
      <CopyButton
        text={channel}
        tooltipText="Channel copied"
        ariaLabel={`Copy ${channel}`}
      />
    </Box>
  );
}

/** A team's email and Slack channel, or that it has neither. */
export function ContactLinks(props: { contacts: Ownership['contacts'] }) {
  const { email, slack } = props.contacts;
  if (!email && !slack) {
    return (
      <Typography component="span" variant="body2" color="textSecondary">
        no email or Slack channel
      </Typography>
    );
  }
  return (
    <Box
      component="span"
      display="inline-flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 8 }}
    >
      {email && <EmailLink email={email} />}
      {slack && <SlackLink channel={slack} />}
    </Box>
  );
}
