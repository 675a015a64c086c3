import {
  createValidatedOpenApiRouter,
  type ApiRouter,
} from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import express, { type ErrorRequestHandler } from 'express';
import { jsonObjectBody } from '../service/validation';
import { PATTERN_MEANINGS, spec, type OperabilityApiPath } from './openapi';

/** The router of (some of) the spec's routes: typed, and validated against it. */
export type OperabilityApiRouter = ApiRouter<typeof spec>;

/** Where the validator found a problem, as our 400s name it. */
const WHAT: Record<string, string> = {
  query: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

/** One problem of the validator's message: `request/<where>/<field> <message>`. */
const PROBLEM = /^request\/(query|params|body|headers)(?:\/(\S+))? (.+)$/s;

function rephrase(
  problem: string,
  req: express.Request,
): { what: string; field?: string; message: string } {
  const match = PROBLEM.exec(problem);
  if (!match) return { what: '', message: problem };
  const [, where, path, message] = match;
  const what = WHAT[where];
  const field = path?.split('/').join('.');
  const required = /^must have required property '(.+)'$/.exec(message);
  if (required) {
    return {
      what,
      field: field ? `${field}.${required[1]}` : required[1],
      message: 'is required',
    };
  }
  if (message === 'must NOT have additional properties' && where === 'body') {
    const known = Object.keys(
      (req as { openapi?: { schema?: any } }).openapi?.schema?.requestBody
        ?.content?.['application/json']?.schema?.properties ?? {},
    );
    const unknown = Object.keys(req.body ?? {}).filter(k => !known.includes(k));
    if (!field && unknown.length > 0) {
      return {
        what,
        message: `unknown ${what} ${unknown.map(k => `'${k}'`).join(', ')}`,
      };
    }
  }
  const pattern = /^must match pattern "(.*)"$/s.exec(message);
  return {
    what,
    field,
    message: (pattern && PATTERN_MEANINGS[pattern[1]]) || message,
  };
}

/**
 * The validator's 400s (`request/query/limit must match pattern …`), said
 * as ours are: `Invalid query parameter: query parameter 'limit': must be a
 * whole number in decimal digits`, so that each names the field at fault.
 */
const namingTheField: ErrorRequestHandler = (error, req, _res, next) => {
  if (!(error instanceof InputError)) {
    next(error);
    return;
  }
  const message = error.message;
  const unknown = /^Unknown query parameter '(.*)'$/s.exec(message);
  if (unknown) {
    next(
      new InputError(
        `Invalid query parameter: unknown query parameter '${unknown[1]}'`,
      ),
    );
    return;
  }
  const empty = /^Empty value found for query parameter '(.*)'$/s.exec(message);
  if (empty) {
    next(
      new InputError(
        `Invalid query parameter: query parameter '${empty[1]}': must not be empty`,
      ),
    );
    return;
  }
  if (/^unsupported media type /.test(message)) {
    next(
      new InputError(
        'Invalid body: must be a JSON object, sent as Content-Type: application/json',
      ),
    );
    return;
  }
  if (/^malformed uri/.test(message)) {
    // As express says it: the segment of the path that does not decode.
    const segment = req.path.split('/').find(part => {
      try {
        decodeURIComponent(part);
        return false;
      } catch {
        return true;
      }
    });
    next(new InputError(`Failed to decode param '${segment ?? req.path}'`));
    return;
  }
  if (!message.startsWith('request/')) {
    next(error);
    return;
  }
  const problems = message
    .split(/, (?=request\/)/)
    .map(problem => rephrase(problem, req));
  const first = problems[0].what || 'request';
  next(
    new InputError(
      `Invalid ${first}: ${problems
        .map(p =>
          p.field ? `${p.what} '${p.field}': ${p.message}` : `${p.message}`,
        )
        .join('; ')}`,
    ),
  );
};

/** A spec path as a pattern for request paths (`{name}` is one segment). */
function pathPattern(path: string): RegExp {
  const source = path
    .split(/\{[^}]+\}/)
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`${source}/?$`);
}

/**
 * A router for routes of the spec (`./openapi.ts`): handlers typed from it,
 * requests validated against it (a 400 `InputError` naming the field), the
 * body parsed as JSON and refused unless it is a JSON object, and the spec
 * served at `/openapi.json`. Several routers share the one spec: `paths`
 * are the routes this one serves, the only ones it validates (every route of
 * the spec when absent), so a request is checked once.
 */
export function createOpenApiRouter(
  options: { paths?: OperabilityApiPath[] } = {},
): OperabilityApiRouter {
  const own = options.paths?.map(pathPattern);
  const router = createValidatedOpenApiRouter<typeof spec>(spec, {
    middleware: [express.json(), ...jsonObjectBody] as express.RequestHandler[],
    validatorOptions: own
      ? { ignorePaths: (path: string) => !own.some(p => p.test(path)) }
      : {},
  });
  router.use(namingTheField);
  return router;
}
