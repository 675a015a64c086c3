import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomUUID } from 'crypto';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  CatalogStamp,
  Exemption,
} from '@opsready/plugin-operability-common';
import {
  entityRefOf,
  operabilityExemptionCreatePermission,
  operabilityExemptionDeletePermission,
  operabilityRefreshPermission,
} from '@opsready/plugin-operability-common';
import type { OperabilityStore } from '../database/OperabilityStore';
import type { Rubric } from '../readiness/types';
import { describeCheck } from './rollups';
import type { CatalogVisibility } from './CatalogVisibility';
import express from 'express';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import type { OperabilityQueries } from './queries';
import { SharedJson } from './sharedJson';
import { createExportsRouter } from './exportsRouter';
import type { CampaignService } from '../campaigns/CampaignService';
import { createOpenApiRouter } from '../schema/router';
import { requestedEntity } from './requestInputs';
import {
  exemptionBodySchema,
  exemptionIdParamsSchema,
  historyQuerySchema,
  onCallQuerySchema,
  refreshBodySchema,
  parseInput,
  parseWhoOwnsQuery,
  scorecardsQuerySchema,
  shiftsQuerySchema,
} from './validation';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  snapshot: CatalogSnapshot;
  scheduleOnCall: ScheduleOnCall;
  /** The read answers, shared with the actions for agents. */
  queries: OperabilityQueries;
  store: OperabilityStore;
  rubric: Rubric;
  /** What each caller may read of the catalog, for the lists. */
  visibility: CatalogVisibility;
  auditor: AuditorService;
  /**
   * Asks for a readiness cycle soon (through the scheduler, so replicas
   * share it); says whether one was already running or locked.
   */
  triggerCycle: () => Promise<'scheduled' | 'already-running'>;
  /** Re-evaluates just these entities, now. */
  refreshEntities: (entityRefs: string[]) => Promise<void>;
  /** The campaigns an entity is in, for its report. */
  campaigns?: Pick<CampaignService, 'forEntity'>;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    catalog,
    snapshot,
    scheduleOnCall,
    queries,
    store,
    rubric,
    auditor,
    triggerCycle,
    refreshEntities,
  } = options;
  /** Answers and parts shared between requests: serialised and compressed once. */
  const shared = new SharedJson();

  // Typed from, and validated against, the spec (src/schema/openapi.ts),
  // which it serves at /openapi.json; the zod schemas check the rest.
  const router = createOpenApiRouter();

  /**
   * Records a write with the auditor: who (from the request), what, which
   * entity, and how it ended (from the response, once sent).
   */
  function audit(eventId: string) {
    return async (
      req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      const { kind, namespace, name } = req.params;
      const body = (req.body ?? {}) as Record<string, unknown>;
      let target = 'all';
      if (kind && namespace && name) {
        target = `${kind}:${namespace}/${name}`.toLowerCase();
      } else if (typeof body.entityRef === 'string') {
        target = body.entityRef;
      }
      const meta = {
        entityRef: target,
        ...(typeof body.checkId === 'string' ? { checkId: body.checkId } : {}),
        ...(req.params.id ? { exemptionId: req.params.id } : {}),
      };
      const event = await auditor.createEvent({
        eventId,
        severityLevel: 'medium',
        request: req,
        meta,
      });
      res.on('finish', () => {
        const outcome = {
          ...meta,
          ...(res.locals.exemptionId
            ? { exemptionId: res.locals.exemptionId }
            : {}),
        };
        if (res.statusCode < 400) {
          void event.success({ meta: outcome });
        } else {
          const error: Error =
            res.locals.auditError ?? new Error(`HTTP ${res.statusCode}`);
          void event.fail({ error, meta: outcome });
        }
      });
      next();
    };
  }

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** The entity named by the path, read with the caller's credentials. */
  async function loadEntity(req: express.Request): Promise<Entity> {
    return (await requestedEntity(req, httpAuth, queries)).entity;
  }

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const entity = await loadEntity(req);
    const report = await queries.entityReport(
      entity,
      await httpAuth.credentials(req),
    );
    const campaigns = await options.campaigns?.forEntity(report.entityRef);
    // The owner (the same answer for a team's entities) and the readiness
    // (most of the answer, kept a few seconds: see queries.readinessOf) are
    // shared between requests; on-call is asked for each.
    const { entityRef, title, owner, onCall, readiness } = report;
    shared.send(req, res, [
      `{"entityRef":${JSON.stringify(entityRef)}${
        title !== undefined ? `,"title":${JSON.stringify(title)}` : ''
      },"owner":`,
      { shared: owner },
      `,"onCall":${JSON.stringify(onCall)},"readiness":`,
      { shared: readiness },
      `${campaigns ? `,"campaigns":${JSON.stringify(campaigns)}` : ''}}`,
    ]);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/on-call',
    async (req, res) => {
      const query = parseInput(onCallQuerySchema, req.query, 'query parameter');
      const entity = await loadEntity(req);
      res.json(
        await queries.onCallAt(
          entity,
          query.at ?? new Date(),
          await httpAuth.credentials(req),
        ),
      );
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/on-call/shifts',
    async (req, res) => {
      const query = parseInput(shiftsQuerySchema, req.query, 'query parameter');
      const entity = await loadEntity(req);
      const rotation = scheduleOnCall.shifts(
        entity,
        await snapshot.get(),
        query.from ?? new Date(),
        query.count,
      );
      if (!rotation) {
        throw new NotFoundError(
          `No valid on-call schedule in the catalog covers ${entityRefOf(
            entity,
          )}`,
        );
      }
      res.json(rotation);
    },
  );

  router.get('/v1/who-owns', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await queries.whoOwns(parseWhoOwnsQuery(req.query), credentials));
  });

  router.get('/v1/scorecards', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parseInput(
      scorecardsQuerySchema,
      req.query,
      'query parameter',
    );
    // Pages are shared for a few seconds (see queries.scorecards): each is
    // serialised and compressed once.
    shared.send(req, res, [
      { shared: await queries.scorecards(query, credentials) },
    ]);
  });

  // Compact, for the catalog module that stamps levels and scores on entities:
  // every report in one answer, so it needs one request per refresh, not one per entity.
  router.get('/v1/catalog-stamps', async (req, res) => {
    // For the catalog module only: it writes what it reads here onto
    // entities, where the catalog's own permissions apply again.
    await httpAuth.credentials(req, { allow: ['service'] });
    const current = await snapshot.get();
    const items = (await store.listReportSummaries()).map(row => {
      const entity = current.byRef.get(row.entityRef);
      const schedule = entity
        ? scheduleOnCall.scheduleOf(entity, current)
        : undefined;
      const stamp: CatalogStamp = {
        entityRef: row.entityRef,
        score: row.score,
        level: row.level,
        ownerTeam: row.ownerRef,
        ...(schedule ? { onCallSchedule: schedule.scheduleRef } : {}),
        ...(schedule?.inheritedFrom
          ? { onCallInheritedFrom: schedule.inheritedFrom }
          : {}),
      };
      return stamp;
    });
    res.json({ items });
  });

  router.get('/v1/teams', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    // The same roll-up as /v1/teams.csv (see queries.teams).
    res.json({ items: await queries.teams(credentials) });
  });

  // CSV and iCalendar downloads (the design's "Exports and links").
  router.use(
    await createExportsRouter({ httpAuth, queries, snapshot, scheduleOnCall }),
  );

  router.get('/v1/checks', async (req, res) => {
    await httpAuth.credentials(req);
    res.json({ items: rubric.checks.map(describeCheck) });
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/history',
    async (req, res) => {
      const query = parseInput(
        historyQuerySchema,
        req.query,
        'query parameter',
      );
      const entity = await loadEntity(req);
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 90 * 86_400_000);
      if (from > to) {
        throw new InputError(
          "Invalid query parameter 'from': must not be after 'to'",
        );
      }
      res.json({ items: await store.history(entityRefOf(entity), from, to) });
    },
  );

  router.get(
    '/v1/entities/:kind/:namespace/:name/exemptions',
    async (req, res) => {
      const entity = await loadEntity(req);
      res.json({ items: await store.listExemptions(entityRefOf(entity)) });
    },
  );

  router.post(
    '/v1/entities/:kind/:namespace/:name/exemptions',
    audit('exemption-create'),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entity = await loadEntity(req);
      const entityRef = entityRefOf(entity);
      const body = parseInput(
        exemptionBodySchema,
        req.body ?? {},
        'body field',
      );
      if (!rubric.checks.some(c => c.id === body.checkId)) {
        throw new InputError(
          `Invalid body field 'checkId': no check '${body.checkId}' in the rubric`,
        );
      }
      if (body.expiresAt.getTime() <= Date.now()) {
        throw new InputError(
          "Invalid body field 'expiresAt': must be in the future",
        );
      }
      const [decision] = await permissions.authorize(
        [
          {
            permission: operabilityExemptionCreatePermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(`You may not add exemptions to ${entityRef}`);
      }
      const active = (await store.listExemptions(entityRef)).find(
        e => e.checkId === body.checkId && Date.parse(e.expiresAt) > Date.now(),
      );
      if (active) {
        throw new ConflictError(
          `The check '${body.checkId}' of ${entityRef} is already exempt until ${active.expiresAt} (exemption ${active.id})`,
        );
      }
      const exemption: Exemption = {
        id: randomUUID(),
        entityRef,
        checkId: body.checkId,
        reason: body.reason,
        author: credentials.principal.userEntityRef,
        expiresAt: body.expiresAt.toISOString(),
      };
      await store.addExemption({ ...exemption, createdAt: new Date() });
      res.locals.exemptionId = exemption.id;
      await refreshEntities([entityRef]);
      res.status(201).json(exemption);
    },
  );

  router.delete(
    '/v1/entities/:kind/:namespace/:name/exemptions/:id',
    audit('exemption-delete'),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entity = await loadEntity(req);
      const entityRef = entityRefOf(entity);
      const { id } = parseInput(
        exemptionIdParamsSchema,
        req.params,
        'path parameter',
      );
      const exemption = await store.getExemption(id);
      if (!exemption || exemption.entityRef !== entityRef) {
        throw new NotFoundError(`No exemption ${id} on ${entityRef}`);
      }
      const [decision] = await permissions.authorize(
        [
          {
            permission: operabilityExemptionDeletePermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You may not remove exemptions of ${entityRef}`,
        );
      }
      await store.deleteExemption(exemption.id);
      await refreshEntities([entityRef]);
      res.status(204).end();
    },
  );

  router.post('/v1/refresh', audit('refresh'), async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const body = parseInput(refreshBodySchema, req.body ?? {}, 'body field');
    const [decision] = await permissions.authorize(
      [{ permission: operabilityRefreshPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not trigger a re-evaluation');
    }
    if (!body.entityRef) {
      // The whole catalog: through the scheduler, so replicas share it.
      const status = await triggerCycle();
      res.status(202).json({
        status,
        ...(status === 'already-running'
          ? {
              message:
                'A readiness cycle is running, or a replica that stopped during one still holds its lock (until the task timeout); the next cycle picks up changes.',
            }
          : {}),
      });
      return;
    }
    // One entity, at once: only if the caller may read it.
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(body.entityRef, { defaultNamespace: 'default' }),
      ).toLowerCase();
    } catch (error) {
      throw new InputError(
        `Invalid body field 'entityRef': ${(error as Error).message}`,
      );
    }
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${ref} in the catalog`);
    await refreshEntities([ref]);
    const report = await store.getReport(ref);
    res.json({
      status: 'evaluated',
      entityRef: ref,
      ...(report
        ? {
            score: report.score,
            level: report.level,
            evaluatedAt: report.evaluatedAt.toISOString(),
          }
        : {}),
    });
  });

  // Lets the auditor say why a write failed.
  router.use(
    (
      error: Error,
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      res.locals.auditError = error;
      next(error);
    },
  );

  return router;
}
