import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the operability plugins. */
  operability?: {
    /**
     * How long the plugin keeps its batch-read copy of the catalog's groups,
     * users and services before reading them again. Default: 1 minute.
     */
    catalogCacheTtl?: HumanDuration | string;
  };
}
