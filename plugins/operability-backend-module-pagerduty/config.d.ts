import { HumanDuration } from '@backstage/types';

export interface Config {
  operability?: {
    /**
     * PagerDuty, for entities annotated with `pagerduty.com/service-id`.
     * Leave it out to turn the PagerDuty on-call provider off.
     */
    pagerduty?: {
      /**
       * A PagerDuty REST API token (a read-only API key is enough). Sent as
       * `Authorization: Token token=<token>`; never logged, never sent to the frontend.
       * @visibility secret
       */
      token: string;
      /**
       * API base URL, http(s), without query or credentials.
       * Default: https://api.pagerduty.com (EU accounts: https://api.eu.pagerduty.com).
       */
      baseUrl?: string;
      /**
       * Timeout of each request to PagerDuty (each page, each retry).
       * An ISO 8601 duration ('PT10S'), a string like '10s', or an object like { seconds: 10 }.
       * Default: 10 seconds.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * How long a "who is on call now" answer per escalation policy is reused
       * before PagerDuty is asked again. Zero turns the cache off.
       * Same formats as requestTimeout. Default: 1 minute.
       */
      cacheTtl?: HumanDuration | string;
      /**
       * How long the list of PagerDuty services (service → escalation policy)
       * is reused. A service id missing from a list older than cacheTtl
       * triggers an early refresh. The schedules and the users list read for
       * the rotation facts are reused as long. Same formats as requestTimeout.
       * Default: 10 minutes.
       */
      servicesCacheTtl?: HumanDuration | string;
      /**
       * The longest wait honoured when PagerDuty answers 429 (from `Retry-After`,
       * else `ratelimit-reset`); a longer ask fails at once with the reason.
       * At most 2 retries. Same formats as requestTimeout. Default: 30 seconds.
       */
      maxRetryWait?: HumanDuration | string;
    };
  };
}
