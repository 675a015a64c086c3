export interface Config {
  operability?: {
    /** PagerDuty, for entities annotated with `pagerduty.com/service-id`. */
    pagerduty?: {
      /**
       * A PagerDuty REST API token (read-only is enough).
       * @visibility secret
       */
      token: string;
      /** API base URL. Default: https://api.pagerduty.com */
      baseUrl?: string;
    };
  };
}
