import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type express from 'express';
import type { OperabilityQueries } from './queries';
import { entityParamsSchema, parseInput } from './validation';

/** The longest window a route over a period accepts. */
const MAX_WINDOW_MS = 366 * 86_400_000;

/**
 * The entity a single-entity route names (`:kind/:namespace/:name`), read
 * with the caller's credentials: a 404 when it does not exist or the caller
 * may not see it.
 */
export async function requestedEntity(
  req: express.Request,
  httpAuth: HttpAuthService,
  queries: Pick<OperabilityQueries, 'entity'>,
): Promise<{ entity: Entity; credentials: BackstageCredentials }> {
  const credentials = await httpAuth.credentials(req);
  const { kind, namespace, name } = parseInput(
    entityParamsSchema,
    req.params,
    'path parameter',
  );
  const entity = await queries.entity(
    `${kind}:${namespace}/${name}`.toLowerCase(),
    credentials,
  );
  return { entity, credentials };
}

/**
 * The window [from, to) of a route over a period: `to` defaults to now and
 * `from` to `defaultMs` before it; `from` must be before `to`, and the window
 * at most 366 days long.
 */
export function queryWindow(
  query: { from?: Date; to?: Date },
  defaultMs: number,
): { from: Date; to: Date } {
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - defaultMs);
  if (from.getTime() >= to.getTime()) {
    throw new InputError(
      "Invalid query parameter: 'from' must be before 'to' (the window is [from, to))",
    );
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) {
    throw new InputError(
      'Invalid query parameter: the window may be at most 366 days long',
    );
  }
  return { from, to };
}
