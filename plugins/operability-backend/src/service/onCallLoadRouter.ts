import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { OnCallLoad } from '@opsready/plugin-operability-common';
import express from 'express';
import { createOpenApiRouter } from '../schema/router';
import { z } from 'zod';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import type { OnCallLoadService } from '../pages/OnCallLoadService';
import type { OperabilityQueries } from './queries';
import { queryWindow, requestedEntity } from './requestInputs';
import { isoInstant, parseInput } from './validation';

export const onCallLoadQuerySchema = z
  .object({ from: isoInstant.optional(), to: isoInstant.optional() })
  .strict();

export interface OnCallLoadRouterOptions {
  httpAuth: HttpAuthService;
  queries: Pick<OperabilityQueries, 'entity'>;
  snapshot: CatalogSnapshot;
  load: OnCallLoadService;
}

/**
 * `GET /v1/entities/:kind/:namespace/:name/on-call/load?from&to`: the pages
 * of the entity in [from, to) (default the last 28 days), each attributed to
 * whoever was primary, the primary shifts and people with their pages, the
 * busiest person's share, and MTTA/MTTR where the sources know them. The
 * entity is read with the caller's credentials: a 404 when it does not
 * exist or the caller may not see it.
 */
export async function createOnCallLoadRouter(
  options: OnCallLoadRouterOptions,
): Promise<express.Router> {
  const { httpAuth, queries, snapshot, load } = options;
  const router = createOpenApiRouter();

  router.get(
    '/v1/entities/:kind/:namespace/:name/on-call/load',
    async (req, res) => {
      const query = parseInput(
        onCallLoadQuerySchema,
        req.query,
        'query parameter',
      );
      const { entity } = await requestedEntity(req, httpAuth, queries);
      const { from, to } = queryWindow(query, load.windowMs);
      const result = await load.load(entity, await snapshot.get(), from, to);
      const body: OnCallLoad = {
        from: result.from,
        to: result.to,
        timeZone: result.timeZone,
        pages: result.pages,
        shifts: result.shifts,
        people: result.people,
        busiestShare: result.busiestShare,
        ...(result.mtta !== undefined ? { mtta: result.mtta } : {}),
        ...(result.mttr !== undefined ? { mttr: result.mttr } : {}),
      };
      res.json(body);
    },
  );

  return router;
}
