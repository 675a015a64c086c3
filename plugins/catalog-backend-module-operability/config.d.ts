import { HumanDuration } from '@backstage/types';

export interface Config {
  operability?: {
    catalog?: {
      /**
       * Stamping of operability results on catalog entities: the label
       * `operability.io/level` and the annotations `operability.io/score`,
       * `operability.io/owner-team`, `operability.io/resolved-on-call-schedule`
       * and, for an inherited schedule,
       * `operability.io/resolved-on-call-schedule-inherited-from`. Outputs
       * only: never written under a key teams declare, never read back.
       */
      stamps?: {
        /** Default: true. */
        enabled?: boolean;
        /** How often the stamps are read from the operability backend. Default: 1 minute. */
        refresh?: HumanDuration | string;
      };
    };
  };
}
