import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CampaignDetail,
  CampaignServiceItem,
  CampaignServicesQuery,
  CampaignSummary,
  CheckDescription,
  EntityReport,
  Exemption,
  HistoryPoint,
  NewExemption,
  OnCall,
  OnCallLoad,
  OnCallShifts,
  Page,
  ScorecardRow,
  ScorecardsQuery,
  TeamRollup,
  WhoOwnsResult,
} from '@opsready/plugin-operability-common';
import type { OperabilityApi } from './OperabilityApi';

function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

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

  getShifts(
    entityRef: string,
    options: { from?: Date; count?: number } = {},
  ): Promise<OnCallShifts> {
    return this.request(
      `/v1/entities/${entityPath(entityRef)}/on-call/shifts${queryString({
        from: options.from?.toISOString(),
        count: options.count?.toString(),
      })}`,
    );
  }

  async getHistory(
    entityRef: string,
    options: { from?: Date; to?: Date } = {},
  ): Promise<HistoryPoint[]> {
    const body = await this.request<{ items: HistoryPoint[] }>(
      `/v1/entities/${entityPath(entityRef)}/history${queryString({
        from: options.from?.toISOString(),
        to: options.to?.toISOString(),
      })}`,
    );
    return body.items;
  }

  getOnCallLoad(
    entityRef: string,
    options: { from?: Date; to?: Date } = {},
  ): Promise<OnCallLoad> {
    return this.request(
      `/v1/entities/${entityPath(entityRef)}/on-call/load${queryString({
        from: options.from?.toISOString(),
        to: options.to?.toISOString(),
      })}`,
    );
  }

  getScorecards(query: ScorecardsQuery = {}): Promise<Page<ScorecardRow>> {
    return this.request(
      `/v1/scorecards${queryString(
        Object.fromEntries(
          Object.entries(query).map(([k, v]) => [
            k,
            v === undefined ? undefined : String(v),
          ]),
        ),
      )}`,
    );
  }

  async getTeams(): Promise<TeamRollup[]> {
    return (await this.request<{ items: TeamRollup[] }>('/v1/teams')).items;
  }

  async getChecks(): Promise<CheckDescription[]> {
    return (await this.request<{ items: CheckDescription[] }>('/v1/checks'))
      .items;
  }

  whoOwns(query: {
    q?: string;
    labels?: Record<string, string>;
  }): Promise<Page<WhoOwnsResult>> {
    const params: Record<string, string | undefined> = { q: query.q };
    for (const [name, value] of Object.entries(query.labels ?? {})) {
      params[`label.${name}`] = value;
    }
    return this.request(`/v1/who-owns${queryString(params)}`);
  }

  async listExemptions(entityRef: string): Promise<Exemption[]> {
    const body = await this.request<{ items: Exemption[] }>(
      `/v1/entities/${entityPath(entityRef)}/exemptions`,
    );
    return body.items;
  }

  addExemption(entityRef: string, exemption: NewExemption): Promise<Exemption> {
    return this.request(`/v1/entities/${entityPath(entityRef)}/exemptions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(exemption),
    });
  }

  async deleteExemption(entityRef: string, id: string): Promise<void> {
    await this.request(
      `/v1/entities/${entityPath(entityRef)}/exemptions/${encodeURIComponent(
        id,
      )}`,
      { method: 'DELETE' },
    );
  }

  async getCampaigns(): Promise<CampaignSummary[]> {
    return (await this.request<{ items: CampaignSummary[] }>('/v1/campaigns'))
      .items;
  }

  getCampaign(id: string): Promise<CampaignDetail> {
    return this.request(`/v1/campaigns/${encodeURIComponent(id)}`);
  }

  getCampaignServices(
    id: string,
    query: CampaignServicesQuery = {},
  ): Promise<Page<CampaignServiceItem>> {
    return this.request(
      `/v1/campaigns/${encodeURIComponent(id)}/services${queryString({
        owner: query.owner,
        done: query.done?.toString(),
        limit: query.limit?.toString(),
        cursor: query.cursor,
      })}`,
    );
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('operability');
    const response = init
      ? await this.fetchApi.fetch(`${baseUrl}${path}`, init)
      : await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}
