import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from '../schema/router';
import type { CampaignService } from '../campaigns/CampaignService';
import type { CatalogVisibility } from './CatalogVisibility';
import {
  campaignIdParamsSchema,
  campaignServicesQuerySchema,
  campaignsQuerySchema,
  parseInput,
} from './validation';

export interface CampaignsRouterOptions {
  httpAuth: HttpAuthService;
  /** What each caller may read of the catalog: answers keep only that. */
  visibility: Pick<CatalogVisibility, 'forCaller'>;
  campaigns: CampaignService;
}

/**
 * `GET /v1/campaigns`, `GET /v1/campaigns/:id` and
 * `GET /v1/campaigns/:id/services`: the campaigns of `operability.campaigns`
 * with their progress, from the stored readiness reports. Counts, teams and
 * services are of the entities the caller may read.
 */
export async function createCampaignsRouter(
  options: CampaignsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, visibility, campaigns } = options;
  const router = createOpenApiRouter();

  router.get('/v1/campaigns', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    parseInput(campaignsQuerySchema, req.query, 'query parameter');
    const visible = await visibility.forCaller(credentials);
    res.json({ items: await campaigns.list(visible) });
  });

  router.get('/v1/campaigns/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { id } = parseInput(
      campaignIdParamsSchema,
      req.params,
      'path parameter',
    );
    parseInput(campaignsQuerySchema, req.query, 'query parameter');
    const visible = await visibility.forCaller(credentials);
    res.json(await campaigns.get(id, visible));
  });

  router.get('/v1/campaigns/:id/services', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { id } = parseInput(
      campaignIdParamsSchema,
      req.params,
      'path parameter',
    );
    const query = parseInput(
      campaignServicesQuerySchema,
      req.query,
      'query parameter',
    );
    const visible = await visibility.forCaller(credentials);
    res.json(await campaigns.services(id, query, visible));
  });

  return router;
}
