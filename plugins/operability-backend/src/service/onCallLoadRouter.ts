import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { OnCallLoad } from '@opsready/plugin-operability-common';
import express from 'express';
import { createOpenApiRouter } from '../schema/router';
import { z } from 'zod';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import type { OnCallLoadService } from '../pages/OnCallLoadService';
import type { OperabilityQueries } from './queries';
import { entityParamsSchema, isoInstant, parseInput } from './validation';

/** The longest window one request may ask for. */
const MAX_WINDOW_MS = 366 * 86_400_000;

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
      const credentials = await httpAuth.credentials(req);
      const { kind, namespace, name } = parseInput(
        entityParamsSchema,
        req.params,
        'path parameter',
      );
      const query = parseInput(
        onCallLoadQuerySchema,
        req.query,
        'query parameter',
      );
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - load.windowMs);
      if (from >= to) {
        throw new InputError(
          "Invalid query: 'from' must be before 'to' (the window is [from, to))",
        );
      }
      if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
        throw new InputError(
          'Invalid query: the window may be at most 366 days long',
        );
      }
      const entity = await queries.entity(
        `${kind}:${namespace}/${name}`.toLowerCase(),
        credentials,
      );
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
