import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { OperabilityQueries } from '../service/queries';
import { readinessSummary } from '../service/readinessSummary';
import {
  entityParamsSchema,
  onCallQuerySchema,
  parseInput,
  parseWhoOwnsQuery,
  scorecardsQuerySchema,
} from '../service/validation';
import {
  getReadinessSchema,
  listScorecardsSchema,
  whoIsOnCallSchema,
  whoOwnsSchema,
} from './schemas';

/** Read-only: the actions only read, and asking twice changes nothing. */
const READ_ONLY = { readOnly: true, idempotent: true, destructive: false };

/** How many services `who-owns` answers with, as the REST route by default. */
const WHO_OWNS_LIMIT = 20;

/**
 * The entity ref an agent gave, in full and lower case: the kind defaults to
 * Component, the namespace to `default`; each part as the REST paths allow.
 */
function entityRefInput(input: string): string {
  let parts: { kind: string; namespace: string; name: string };
  try {
    parts = parseEntityRef(input, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `Invalid input 'entityRef': ${(error as Error).message}`,
    );
  }
  parseInput(entityParamsSchema, parts, "input 'entityRef', part");
  return stringifyEntityRef(parts).toLowerCase();
}

/** Drops the keys whose value is undefined (the REST schemas are strict). */
function defined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  );
}

/**
 * Registers the actions for agents (`who-owns`, `who-is-on-call`,
 * `get-readiness`, `list-scorecards`) with the actions registry, which the
 * MCP server (`@backstage/plugin-mcp-actions-backend`) offers as tools.
 *
 * Each answers what the REST API answers, from the same code
 * (`OperabilityQueries`), with the caller's credentials: what the caller may
 * not read in the catalog, it does not get. Input is checked by the
 * registry against the schemas, then by the REST API's own validation.
 */
export function registerActions(
  registry: ActionsRegistryService,
  queries: OperabilityQueries,
) {
  registry.register({
    name: 'who-owns',
    title: 'Who owns this service?',
    description: [
      'Finds services (catalog Components) by part of their name, title or repository, and/or by the labels an alert carries',
      "(e.g. labels { job: 'payments-api' } from a Prometheus alert), and answers for each its owning team",
      '(members, contacts, parent teams) and who is on call now. Give query, labels, or both; at most 20 services.',
    ].join(' '),
    attributes: READ_ONLY,
    schema: whoOwnsSchema,
    action: async ({ input, credentials }) => {
      if (
        input.query === undefined &&
        !Object.keys(input.labels ?? {}).length
      ) {
        throw new InputError(
          "Invalid input: give 'query' (a name, title or repository) or 'labels' (an alert's labels)",
        );
      }
      const query = parseWhoOwnsQuery(
        defined({
          q: input.query,
          limit: String(WHO_OWNS_LIMIT),
          ...Object.fromEntries(
            Object.entries(input.labels ?? {}).map(([name, value]) => [
              `label.${name}`,
              value,
            ]),
          ),
        }),
      );
      const { items } = await queries.whoOwns(query, credentials);
      return { output: { items } };
    },
  });

  registry.register({
    name: 'who-is-on-call',
    title: 'Who is on call for this entity?',
    description:
      'Who is primary and secondary on call for a service (or System, API, Resource) at an instant, now by default, until when, and who shadows them (learning the rotation, not paged): from its PagerDuty service or its Schedule in the catalog, its own or inherited from its System or owner Group. Not found when no schedule or provider covers it.',
    attributes: READ_ONLY,
    schema: whoIsOnCallSchema,
    action: async ({ input, credentials }) => {
      const ref = entityRefInput(input.entityRef);
      const { at } = parseInput(
        onCallQuerySchema,
        defined({ at: input.at }),
        'input',
      );
      const entity = await queries.entity(ref, credentials);
      return {
        output: await queries.onCallAt(entity, at ?? new Date(), credentials),
      };
    },
  });

  registry.register({
    name: 'get-readiness',
    title: 'How ready is this entity, and why not the next level?',
    description:
      "An entity's operational readiness: score (0-100), level (none, bronze, silver, gold), the checks that fail with why and how to fix them, and the checks that keep it from the next level. Not found until the entity has been evaluated.",
    attributes: READ_ONLY,
    schema: getReadinessSchema,
    action: async ({ input, credentials }) => {
      const ref = entityRefInput(input.entityRef);
      const entity = await queries.entity(ref, credentials);
      const readiness = await queries.readinessOf(entity);
      if (!readiness) {
        throw new NotFoundError(
          `${ref} has not been evaluated yet: readiness cycles evaluate new entities shortly`,
        );
      }
      return { output: readinessSummary(readiness) };
    },
  });

  registry.register({
    name: 'list-scorecards',
    title: 'List readiness scorecards',
    description:
      'One page of evaluated services with owner, on-call now, score, level and failing check ids, filtered by owner, level, kind, type, lifecycle, text or failing check, sorted by name, owner, score or level. Pass nextCursor as cursor for the next page.',
    attributes: READ_ONLY,
    schema: listScorecardsSchema,
    action: async ({ input, credentials }) => {
      const query = parseInput(
        scorecardsQuerySchema,
        defined({
          ...input,
          limit: input.limit === undefined ? undefined : String(input.limit),
        }),
        'input',
      );
      return { output: await queries.scorecards(query, credentials) };
    },
  });
}
