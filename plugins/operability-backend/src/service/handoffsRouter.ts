import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  entityRefOf,
  type HandoffReport,
  type HandoffReportList,
} from '@opsready/plugin-operability-common';
import type express from 'express';
import { createOpenApiRouter } from '../schema/router';
import { z } from 'zod';
import type { HandoffStore } from '../handoffs/HandoffStore';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import type { CatalogVisibility, Visibility } from './CatalogVisibility';
import type { OperabilityQueries } from './queries';
import { queryWindow, requestedEntity } from './requestInputs';
import { isoInstant, parseInput } from './validation';

const DAY_MS = 86_400_000;
/** The window when none is given: the last 28 days. */
const DEFAULT_WINDOW_MS = 28 * DAY_MS;
/** The most reports one answer lists (newest first). */
const MAX_ITEMS = 500;

/** The query of `GET …/on-call/handoffs`. */
export const handoffsQuerySchema = z
  .object({ from: isoInstant.optional(), to: isoInstant.optional() })
  .strict();

export interface HandoffsRouterOptions {
  httpAuth: HttpAuthService;
  /** Reads the entity with the caller's credentials (a 404 when they may not). */
  queries: Pick<OperabilityQueries, 'entity'>;
  snapshot: Pick<CatalogSnapshot, 'get'>;
  scheduleOnCall: Pick<ScheduleOnCall, 'scheduleOf'>;
  store: Pick<HandoffStore, 'list'>;
  /** What the caller may read: services they may not are left out of the reports. */
  visibility: Pick<CatalogVisibility, 'forCaller'>;
}

/** A report with only what the caller may read of the covered services. */
function visiblePart(
  report: HandoffReport,
  visible: Visibility,
): HandoffReport {
  if (visible.all) return report;
  const see = (item: { entityRef: string }) => visible.canSee(item.entityRef);
  return {
    ...report,
    pages: report.pages && {
      ...report.pages,
      items: report.pages.items.filter(see),
    },
    regressions: {
      ...report.regressions,
      items: report.regressions.items.filter(see),
    },
    notReady: { ...report.notReady, items: report.notReady.items.filter(see) },
  };
}

/**
 * `GET /v1/entities/:kind/:namespace/:name/on-call/handoffs?from&to`: the
 * stored hand-off reports of the Schedule that covers the entity (its own,
 * its System's or its team's), newest first; default the last 28 days. The
 * services the caller may not read are left out of each report's lists
 * (the counts are the schedule's).
 */
export async function createHandoffsRouter(
  options: HandoffsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, queries, snapshot, scheduleOnCall, store, visibility } =
    options;
  const router = createOpenApiRouter();

  router.get(
    '/v1/entities/:kind/:namespace/:name/on-call/handoffs',
    async (req, res) => {
      const query = parseInput(
        handoffsQuerySchema,
        req.query,
        'query parameter',
      );
      const { entity, credentials } = await requestedEntity(
        req,
        httpAuth,
        queries,
      );
      const { from, to } = queryWindow(query, DEFAULT_WINDOW_MS);
      const resolution = scheduleOnCall.scheduleOf(
        entity,
        await snapshot.get(),
      );
      if (!resolution) {
        throw new NotFoundError(
          `No on-call schedule in the catalog covers ${entityRefOf(entity)}`,
        );
      }
      const [stored, visible] = await Promise.all([
        store.list(resolution.scheduleRef, from, to, MAX_ITEMS),
        visibility.forCaller(credentials),
      ]);
      const body: HandoffReportList = {
        scheduleRef: resolution.scheduleRef,
        from: from.toISOString(),
        to: to.toISOString(),
        items: stored.map(s => ({
          ...visiblePart(s.report, visible),
          notifiedAt: s.notifiedAt?.toISOString() ?? null,
        })),
      };
      res.json(body);
    },
  );

  return router;
}
