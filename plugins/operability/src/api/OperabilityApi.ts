import { createApiRef } from '@backstage/core-plugin-api';
import type {
  EntityReport,
  Level,
  OnCall,
  Page,
  ScorecardRow,
} from '@opsready/plugin-operability-common';

/** @public */
export interface ScorecardsQuery {
  owner?: string;
  level?: Level;
  kind?: string;
  type?: string;
  lifecycle?: string;
  q?: string;
  sort?: 'name' | 'owner' | 'score' | 'level';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

/**
 * Reads the operability backend.
 * @public
 */
export interface OperabilityApi {
  getEntityReport(entityRef: string): Promise<EntityReport>;
  getOnCall(entityRef: string, at?: Date): Promise<OnCall>;
  getScorecards(query?: ScorecardsQuery): Promise<Page<ScorecardRow>>;
}

/** @public */
export const operabilityApiRef = createApiRef<OperabilityApi>({
  id: 'plugin.operability.service',
});
