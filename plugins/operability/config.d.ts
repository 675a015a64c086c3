export interface Config {
  operability?: {
    /**
     * Slack, for links to the teams' channels
     * (`operability.io/slack-channel` on a Group).
     */
    slack?: {
      /**
       * The Slack workspace's URL, e.g. `https://acme.slack.com`. When set,
       * a team's channel is shown as a link that opens it in Slack
       * (`<workspaceUrl>/app_redirect?channel=<name>`); when absent, the
       * channel is shown as text with a copy button. No default.
       * @visibility frontend
       */
      workspaceUrl?: string;
    };
  };
}
