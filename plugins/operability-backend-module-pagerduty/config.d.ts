import { HumanDuration } from '@backstage/types';

export interface Config {
  operability?: {
    /**
     * PagerDuty, for entities annotated with `pagerduty.com/service-id` or
     * `pagerduty.com/integration-key`. Without it the PagerDuty plugin's own
     * `pagerDuty` config is read; without either, the PagerDuty on-call
     * provider is off. The keys here override the PagerDuty plugin's.
     */
    pagerduty?: {
      /**
       * A PagerDuty REST API token (a read-only API key is enough). Sent as
       * `Authorization: Token token=<token>`; never logged, never sent to the frontend.
       * Required unless the PagerDuty plugin's `pagerDuty` config gives the
       * credentials; when set, it wins over them.
       * @visibility secret
       */
      token?: string;
      /**
       * API base URL, http(s), without query or credentials.
       * Default: https://api.pagerduty.com (EU accounts: https://api.eu.pagerduty.com);
       * over the PagerDuty plugin's `apiBaseUrl` of the default account.
       */
      baseUrl?: string;
      /**
       * PagerDuty's identity endpoint, for OAuth clients (`pagerDuty.oauth`):
       * where client-credentials tokens are asked for.
       * Default: https://identity.pagerduty.com/oauth/token.
       */
      oauthTokenUrl?: string;
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

  /**
   * The PagerDuty plugin's own config (`@pagerduty/backstage-plugin-backend`),
   * read when `operability.pagerduty` gives no token, so a site that runs
   * that plugin adds no second secret. Entities name their account with the
   * `pagerduty.com/account` annotation (else the default account).
   */
  pagerDuty?: {
    /** REST API base URL. Default: https://api.pagerduty.com (EU region: https://api.eu.pagerduty.com). */
    apiBaseUrl?: string;
    /**
     * A PagerDuty REST API token.
     * @visibility secret
     */
    apiToken?: string;
    /** An OAuth client of a PagerDuty app with scoped OAuth, instead of a token. */
    oauth?: {
      clientId: string;
      /**
       * The client's secret.
       * @visibility secret
       */
      clientSecret: string;
      /** The account's subdomain (`acme` of acme.pagerduty.com). */
      subDomain: string;
      /** `us` (default) or `eu`. */
      region?: string;
    };
    /** Several PagerDuty accounts; each entity uses the one `pagerduty.com/account` names. */
    accounts?: Array<{
      /** The account's id, as `pagerduty.com/account` names it. */
      id: string;
      /** The account for entities that name none (else the first). */
      isDefault?: boolean;
      /** REST API base URL of this account. */
      apiBaseUrl?: string;
      /** Events API base URL (read by the PagerDuty plugin; not used here). */
      eventsBaseUrl?: string;
      /**
       * A REST API token of this account.
       * @visibility secret
       */
      apiToken?: string;
      /** An OAuth client of this account, instead of a token. */
      oauth?: {
        clientId: string;
        /**
         * The client's secret.
         * @visibility secret
         */
        clientSecret: string;
        subDomain: string;
        region?: string;
      };
    }>;
  };
}
