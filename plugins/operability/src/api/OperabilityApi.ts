import { createApiRef } from '@backstage/core-plugin-api';
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

/**
 * A file the backend sent (a CSV or iCalendar export), to be saved by the
 * browser: fetched with the user's credentials, which a plain link lacks.
 * @public
 */
export interface DownloadedFile {
  blob: Blob;
  /** From the response's `Content-Disposition`, else a default. */
  fileName: string;
}

/**
 * The answer of `POST /v1/refresh` for one entity.
 * @public
 */
export interface RefreshResult {
  status: string;
  entityRef?: string;
  score?: number;
  level?: string;
  evaluatedAt?: string;
}

/**
 * Reads the operability backend.
 * @public
 */
export interface OperabilityApi {
  getEntityReport(entityRef: string): Promise<EntityReport>;
  getOnCall(entityRef: string, at?: Date): Promise<OnCall>;
  getShifts(
    entityRef: string,
    options?: { from?: Date; count?: number },
  ): Promise<OnCallShifts>;
  getHistory(
    entityRef: string,
    options?: { from?: Date; to?: Date },
  ): Promise<HistoryPoint[]>;
  /**
   * `GET …/on-call/load`: pages per shift and per person, off-hours pages,
   * the busiest share and MTTA/MTTR (default window: the last 28 days).
   */
  getOnCallLoad(
    entityRef: string,
    options?: { from?: Date; to?: Date },
  ): Promise<OnCallLoad>;
  getScorecards(query?: ScorecardsQuery): Promise<Page<ScorecardRow>>;
  getTeams(): Promise<TeamRollup[]>;
  getChecks(): Promise<CheckDescription[]>;
  whoOwns(query: {
    q?: string;
    labels?: Record<string, string>;
  }): Promise<Page<WhoOwnsResult>>;
  listExemptions(entityRef: string): Promise<Exemption[]>;
  addExemption(entityRef: string, exemption: NewExemption): Promise<Exemption>;
  deleteExemption(entityRef: string, id: string): Promise<void>;
  /** `GET /v1/campaigns`: every campaign with its progress. */
  getCampaigns(): Promise<CampaignSummary[]>;
  /** `GET /v1/campaigns/:id`: progress, per team, and the burndown. */
  getCampaign(id: string): Promise<CampaignDetail>;
  /** `GET /v1/campaigns/:id/services`: a page of the services in scope. */
  getCampaignServices(
    id: string,
    query?: CampaignServicesQuery,
  ): Promise<Page<CampaignServiceItem>>;
  /** `POST /v1/refresh` with `{ entityRef }`: re-evaluate one entity now. */
  refresh(entityRef: string): Promise<RefreshResult>;
  /**
   * `GET /v1/scorecards.csv`: every service matching the filters and sort of
   * the services table (paging left out: the file has every row).
   */
  downloadScorecardsCsv(
    query?: Omit<ScorecardsQuery, 'limit' | 'cursor'>,
  ): Promise<DownloadedFile>;
  /** `GET /v1/teams.csv`: the team roll-up. */
  downloadTeamsCsv(): Promise<DownloadedFile>;
  /** `GET …/on-call/shifts.ics`: the next shifts as an iCalendar file. */
  downloadShiftsIcs(
    entityRef: string,
    options?: { weeks?: number },
  ): Promise<DownloadedFile>;
}

/** @public */
export const operabilityApiRef = createApiRef<OperabilityApi>({
  id: 'plugin.operability.service',
});
