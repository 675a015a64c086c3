import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityReport,
  OnCall,
  Page,
  ScorecardRow,
} from '@opsready/plugin-operability-common';
import type { OperabilityApi, ScorecardsQuery } from './OperabilityApi';

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name]
    .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
    .join('/');
}

/**
 * Talks to the operability backend through the app's discovery and fetch APIs,
 * so requests carry the signed-in user's credentials.
 * @public
 */
export class OperabilityClient implements OperabilityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntityReport(entityRef: string): Promise<EntityReport> {
    return this.request(`/v1/entities/${entityPath(entityRef)}`);
  }

  getOnCall(entityRef: string, at?: Date): Promise<OnCall> {
    const query = at ? `?at=${encodeURIComponent(at.toISOString())}` : '';
    return this.request(
      `/v1/entities/${entityPath(entityRef)}/on-call${query}`,
    );
  }

  getScorecards(query: ScorecardsQuery = {}): Promise<Page<ScorecardRow>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const qs = params.toString();
    return this.request(`/v1/scorecards${qs ? `?${qs}` : ''}`);
  }

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('operability');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
