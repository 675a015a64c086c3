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
import type {
  DownloadedFile,
  OperabilityApi,
  RefreshResult,
} from './OperabilityApi';

/** A query string; a list is the parameter repeated (`?owner=a&owner=b`). */
function queryString(
  params: Record<string, string | string[] | undefined>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const one of [value ?? []].flat()) {
      if (one !== '') search.append(key, one);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The file name of a `Content-Disposition` header, if it names one. */
export function fileNameOf(
  contentDisposition: string | null,
): string | undefined {
  if (!contentDisposition) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(
    contentDisposition,
  );
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(contentDisposition);
  const name = (plain?.[1] ?? plain?.[2])?.trim();
  return name || undefined;
}

function scorecardsParams(
  query: ScorecardsQuery,
): Record<string, string | string[] | undefined> {
  return Object.fromEntries(
    Object.entries(query).map(([k, v]) => [
      k,
      v === undefined || Array.isArray(v) ? v : String(v),
    ]),
  );
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
      `/v1/scorecards${queryString(scorecardsParams(query))}`,
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

  refresh(entityRef: string): Promise<RefreshResult> {
    return this.request('/v1/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entityRef }),
    });
  }

  downloadScorecardsCsv(
    query: Omit<ScorecardsQuery, 'limit' | 'cursor'> = {},
  ): Promise<DownloadedFile> {
    return this.download(
      `/v1/scorecards.csv${queryString(scorecardsParams(query))}`,
      'scorecards.csv',
    );
  }

  downloadTeamsCsv(): Promise<DownloadedFile> {
    return this.download('/v1/teams.csv', 'teams.csv');
  }

  downloadShiftsIcs(
    entityRef: string,
    options: { weeks?: number } = {},
  ): Promise<DownloadedFile> {
    const { name } = parseEntityRef(entityRef);
    return this.download(
      `/v1/entities/${entityPath(entityRef)}/on-call/shifts.ics${queryString({
        weeks: options.weeks?.toString(),
      })}`,
      `${name}-on-call.ics`,
    );
  }

  private async download(
    path: string,
    defaultName: string,
  ): Promise<DownloadedFile> {
    const baseUrl = await this.discoveryApi.getBaseUrl('operability');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return {
      blob: await response.blob(),
      fileName:
        fileNameOf(response.headers.get('Content-Disposition')) ?? defaultName,
    };
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
