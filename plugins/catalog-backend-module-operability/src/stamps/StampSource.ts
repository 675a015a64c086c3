import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogStamp } from '@opsready/plugin-operability-common';

/**
 * The operability backend's stamps for every entity, fetched in one request
 * and kept for a while: the catalog processes entities one at a time, and must
 * not send one request per entity. On failure the last good stamps are kept.
 */
export class StampSource {
  private stamps?: Map<string, CatalogStamp>;
  private fetchedAt = 0;
  private loading?: Promise<void>;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      ttlMs: number;
      fetch?: typeof fetch;
    },
  ) {}

  async get(entityRef: string): Promise<CatalogStamp | undefined> {
    if (Date.now() - this.fetchedAt >= this.options.ttlMs) {
      this.loading ??= this.load().finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return this.stamps?.get(entityRef);
  }

  private async load(): Promise<void> {
    const { discovery, auth, logger } = this.options;
    try {
      const baseUrl = await discovery.getBaseUrl('operability');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'operability',
      });
      const response = await (this.options.fetch ?? fetch)(
        `${baseUrl}/v1/catalog-stamps`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!response.ok) {
        throw new Error(`operability answered ${response.status}`);
      }
      const body = (await response.json()) as { items: CatalogStamp[] };
      this.stamps = new Map(body.items.map(s => [s.entityRef, s]));
    } catch (error) {
      logger.warn(
        `Could not read operability stamps, keeping the last ones: ${error}`,
      );
    } finally {
      // Failed or not, wait a TTL before asking again.
      this.fetchedAt = Date.now();
    }
  }
}
