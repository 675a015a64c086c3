import { createApiRef } from '@backstage/core-plugin-api';
import type {
  CheckDescription,
  EntityReport,
  Level,
  OnCall,
  Page,
  Person,
  ScorecardRow,
  TeamRollup,
  WhoOwnsResult,
} from '@opsready/plugin-operability-common';

/** @public */
export interface ScorecardsQuery {
  owner?: string;
  level?: Level;
  kind?: string;
  type?: string;
  lifecycle?: string;
  q?: string;
  /** Only services failing this check id. */
  failing?: string;
  sort?: 'name' | 'owner' | 'score' | 'level';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/** @public */
export interface Shift {
  role: 'primary' | 'secondary';
  person: Person;
  start: string;
  end: string;
  override: boolean;
}

/** @public */
export interface Exemption {
  id: string;
  entityRef: string;
  checkId: string;
  reason: string;
  author: string;
  expiresAt: string;
}

/** @public */
export interface HistoryPoint {
  time: string;
  score: number;
  level: Level;
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
  ): Promise<{ scheduleRef: string; shifts: Shift[] }>;
  getHistory(
    entityRef: string,
    options?: { from?: Date; to?: Date },
  ): Promise<HistoryPoint[]>;
  getScorecards(query?: ScorecardsQuery): Promise<Page<ScorecardRow>>;
  getTeams(): Promise<TeamRollup[]>;
  getChecks(): Promise<CheckDescription[]>;
  whoOwns(query: {
    q?: string;
    labels?: Record<string, string>;
  }): Promise<{ items: WhoOwnsResult[]; total: number }>;
  listExemptions(entityRef: string): Promise<Exemption[]>;
  addExemption(
    entityRef: string,
    exemption: { checkId: string; reason: string; expiresAt: string },
  ): Promise<Exemption>;
  deleteExemption(entityRef: string, id: string): Promise<void>;
}

/** @public */
export const operabilityApiRef = createApiRef<OperabilityApi>({
  id: 'plugin.operability.service',
});
