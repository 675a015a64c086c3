export interface Config {
  operability?: {
    /** Prometheus servers whose targets, metrics and rules feed the readiness checks. */
    prometheus?: {
      instances?: Array<{
        /** A unique name, shown as the source of facts. */
        name: string;
        /** Base URL of the Prometheus HTTP API, e.g. http://prometheus:9090 */
        url: string;
        /**
         * Extra HTTP headers sent with every request (e.g. Authorization).
         * @visibility secret
         */
        headers?: { [name: string]: string };
      }>;
    };
    /** Where Alertmanager's routing configuration is read from. */
    alertmanager?: {
      /** Base URL of Alertmanager (API v2 is used). */
      url?: string;
      /** A local alertmanager.yml, for setups without a reachable Alertmanager. */
      configFile?: string;
    };
  };
}
