export {
  ContactLinks,
  EmailLink,
  SlackLink,
  slackChannelUrl,
  useSlackWorkspaceUrl,
} from './ContactLinks';
