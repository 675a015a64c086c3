import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  EntityReport,
  OnCall,
  Page,
  ScorecardRow,
  WhoOwnsResult,
} from '@opsready/plugin-operability-common';
import type { OnCallProvider } from '@opsready/plugin-operability-node';
import express from 'express';
import Router from 'express-promise-router';
import type { CatalogSnapshot } from '../ownership/CatalogSnapshot';
import { entityRefOf, resolveOwnership } from '../ownership/orgIndex';
import type { ScheduleOnCall } from '../oncall/ScheduleOnCall';
import { matchesAlertLabel, matchesText } from './whoOwns';
import {
  entityParamsSchema,
  onCallQuerySchema,
  parseInput,
  parseWhoOwnsQuery,
  scorecardsQuerySchema,
  shiftsQuerySchema,
} from './validation';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  catalog: CatalogService;
  snapshot: CatalogSnapshot;
  onCallProviders: OnCallProvider[];
  scheduleOnCall: ScheduleOnCall;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, snapshot, onCallProviders, scheduleOnCall } =
    options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** The entity named by the path, read with the caller's credentials. */
  async function loadEntity(req: express.Request): Promise<Entity> {
    const credentials = await httpAuth.credentials(req);
    const { kind, namespace, name } = parseInput(
      entityParamsSchema,
      req.params,
      'path parameter',
    );
    const ref = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${ref} in the catalog`);
    return entity;
  }

  /**
   * How old a snapshot may be when a lookup in it missed (an owner team or a
   * schedule not found): then it is reloaded once, so entities added to the
   * catalog since the last load are found.
   */
  const MISS_MAX_AGE_MS = 2_000;

  /** A provider (PagerDuty) that covers the entity answers first, else its schedule. */
  async function onCallFor(entity: Entity, at: Date): Promise<OnCall | null> {
    const provider = onCallProviders.find(p => p.covers(entity));
    if (provider) {
      const answers = await provider.getOnCall({ entities: [entity], at });
      const answer = answers.get(entityRefOf(entity));
      if (answer) return answer;
    }
    let current = await snapshot.get();
    if (scheduleOnCall.missesSchedule(entity, current)) {
      current = await snapshot.get({ maxAgeMs: MISS_MAX_AGE_MS });
    }
    return scheduleOnCall.onCall(entity, current, at);
  }

  async function ownershipOf(entity: Entity) {
    const owner = resolveOwnership(entity, (await snapshot.get()).org);
    if (owner.resolvedFrom !== 'dangling') return owner;
    const reloaded = await snapshot.get({ maxAgeMs: MISS_MAX_AGE_MS });
    return resolveOwnership(entity, reloaded.org);
  }

  router.get('/v1/entities/:kind/:namespace/:name', async (req, res) => {
    const entity = await loadEntity(req);
    const report: EntityReport = {
      entityRef: entityRefOf(entity),
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      owner: await ownershipOf(entity),
      onCall: await onCallFor(entity, new Date()),
      readiness: null,
    };
    res.json(report);
  });

  router.get(
    '/v1/entities/:kind/:namespace/:name/on-call',
    async (req, res) => {
      const query = parseInput(onCallQuerySchema, req.query, 'query parameter');
      const entity = await loadEntity(req);
      const onCall = await onCallFor(entity, query.at ?? new Date());
      if (!onCall) {
        throw new NotFoundError(
          `No on-call schedule or provider covers ${entityRefOf(entity)}`,
        );
      }
      res.json(onCall);
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
    await httpAuth.credentials(req);
    const { q, labels, limit } = parseWhoOwnsQuery(req.query);
    const current = await snapshot.get();
    const matches = current.entities.filter(
      e =>
        e.kind.toLocaleLowerCase('en-US') === 'component' &&
        (q ? matchesText(e, q) : true) &&
        Object.entries(labels).every(([label, value]) =>
          matchesAlertLabel(e, label, value),
        ),
    );
    const now = new Date();
    const items: WhoOwnsResult[] = await Promise.all(
      matches.slice(0, limit).map(async e => ({
        entityRef: entityRefOf(e),
        ...(e.metadata.title ? { title: e.metadata.title } : {}),
        owner: resolveOwnership(e, current.org),
        onCall: await onCallFor(e, now),
      })),
    );
    res.json({ items, total: matches.length });
  });

  router.get('/v1/scorecards', async (req, res) => {
    await httpAuth.credentials(req);
    const query = parseInput(
      scorecardsQuerySchema,
      req.query,
      'query parameter',
    );
    const { org, entities } = await snapshot.get();
    const kind = (query.kind ?? 'component').toLocaleLowerCase('en-US');
    const needle = query.q?.toLocaleLowerCase('en-US');
    const owner = query.owner?.toLocaleLowerCase('en-US');

    let rows: ScorecardRow[] = entities
      .filter(e => e.kind.toLocaleLowerCase('en-US') === kind)
      .filter(e => !query.type || e.spec?.type === query.type)
      .filter(e => !query.lifecycle || e.spec?.lifecycle === query.lifecycle)
      .map(e => {
        const ownership = resolveOwnership(e, org);
        return {
          entityRef: entityRefOf(e),
          ...(e.metadata.title ? { title: e.metadata.title } : {}),
          kind: e.kind,
          ...(typeof e.spec?.type === 'string' ? { type: e.spec.type } : {}),
          ...(typeof e.spec?.lifecycle === 'string'
            ? { lifecycle: e.spec.lifecycle }
            : {}),
          owner: {
            declared: ownership.declared,
            ref: ownership.ref,
            ...(ownership.title ? { title: ownership.title } : {}),
            resolvedFrom: ownership.resolvedFrom,
          },
          // Readiness is evaluated by the engine; until then rows carry none.
          score: null,
          level: null,
          evaluatedAt: null,
        };
      });
    if (owner) {
      rows = rows.filter(
        r =>
          r.owner.ref === owner ||
          r.owner.ref?.endsWith(`/${owner}`) ||
          r.owner.declared === owner,
      );
    }
    if (query.level)
      rows = rows.filter(r => (r.level ?? 'none') === query.level);
    if (needle) {
      rows = rows.filter(
        r =>
          r.entityRef.includes(needle) ||
          r.title?.toLocaleLowerCase('en-US').includes(needle),
      );
    }
    const key = (r: ScorecardRow): string | number => {
      switch (query.sort) {
        case 'owner':
          return r.owner.ref ?? '';
        case 'score':
          return r.score ?? -1;
        case 'level':
          return ['none', 'bronze', 'silver', 'gold'].indexOf(
            r.level ?? 'none',
          );
        default:
          return r.entityRef;
      }
    };
    const direction = query.order === 'desc' ? -1 : 1;
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka < kb) return -direction;
      if (ka > kb) return direction;
      return a.entityRef < b.entityRef ? -1 : 1;
    });
    const offset = query.cursor ? Number(query.cursor) : 0;
    const items = rows.slice(offset, offset + query.limit);
    const page: Page<ScorecardRow> = {
      items,
      total: rows.length,
      ...(offset + query.limit < rows.length
        ? { nextCursor: String(offset + query.limit) }
        : {}),
    };
    res.json(page);
  });

  return router;
}
