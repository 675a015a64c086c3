import { HumanDuration } from '@backstage/types';

export interface Config {
  operability?: {
    /**
     * Prometheus servers whose scrape targets, metric names and alerting
     * rules feed the readiness checks. Without instances, the instrumentation
     * facts are not produced (the checks stay unknown) and alerting rules come
     * from rule files only.
     */
    prometheus?: {
      instances?: Array<{
        /** A unique name, shown in messages and as the origin of rules. */
        name: string;
        /**
         * Base URL of the Prometheus HTTP API, http(s), e.g.
         * http://prometheus:9090 (Thanos Query and Mimir/Cortex
         * Prometheus-compatible paths work too).
         */
        url: string;
        /**
         * Extra HTTP headers sent with every request to this instance, e.g.
         * Authorization or X-Scope-OrgID.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      }>;
      /**
       * Timeout of each request to Prometheus (connection, headers and the
       * whole body), and of reading each rule file named by an entity's
       * `operability.io/alert-rules` (a slow file is then that entity's
       * problem, not every entity's). An ISO 8601 duration ('PT10S'), a
       * string like '10s', or an object like { seconds: 10 }. Default: 10
       * seconds.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * Longest regex of service label values in one metric-presence query,
       * in characters; longer lists are split into several queries.
       * Default: 262144 (10,000 services fit in one query). Minimum 1024.
       */
      maxQueryLength?: number;
      /**
       * Metric names that count as golden signals, added to the built-in
       * lists (Prometheus client libraries and OpenTelemetry semantic
       * conventions). Each entry is a metric name or an RE2 regex, anchored.
       */
      goldenSignals?: {
        /** Request counters, e.g. myapp_requests_total. */
        requests?: string[];
        /** Counters of failed requests, e.g. myapp_failures_total. */
        errors?: string[];
        /** Latency histogram buckets, e.g. myapp_latency_seconds_bucket. */
        latency?: string[];
        /**
         * Label names whose presence on a request counter makes it an errors
         * signal too (built in: code, status, status_code, http_status,
         * http_status_code, http_response_status_code, grpc_code,
         * rpc_grpc_status_code, outcome, error_type).
         */
        errorLabels?: string[];
      };
    };
    /** Where Alertmanager's routing configuration is read from. */
    alertmanager?: {
      /**
       * Base URL of Alertmanager, http(s); the running configuration is read
       * from API v2 (/api/v2/status). Wins over configFile when both are set.
       */
      url?: string;
      /**
       * A local alertmanager.yml, for setups without a reachable
       * Alertmanager (the demo). A relative path is relative to the
       * backend's working directory.
       */
      configFile?: string;
      /**
       * Extra HTTP headers sent to Alertmanager, e.g. Authorization.
       * @visibility secret
       */
      headers?: { [name: string]: string };
      /**
       * Timeout of each request to Alertmanager; same formats as
       * operability.prometheus.requestTimeout. Default: 10 seconds.
       */
      requestTimeout?: HumanDuration | string;
      /**
       * Receivers that page somebody although they have no
       * pagerduty_configs or opsgenie_configs (e.g. a webhook into an
       * on-call tool).
       */
      pagingReceivers?: string[];
      /**
       * Receiver name → PagerDuty service id, to tell whether a service's
       * alerts reach its own PagerDuty service (pagerduty.com/service-id).
       */
      pagerDutyServices?: { [receiver: string]: string };
    };
  };
}
