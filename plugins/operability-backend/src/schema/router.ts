import {
  createValidatedOpenApiRouter,
  type ApiRouter,
} from '@backstage/backend-openapi-utils';
import { CustomErrorBase, InputError } from '@backstage/errors';
import express, { type ErrorRequestHandler } from 'express';
import PromiseRouter from 'express-promise-router';
import { jsonObjectBody } from '../service/validation';
import { PATTERN_MEANINGS, spec } from './openapi';

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
  // Query parameters are flat: an index is one of a repeated parameter's
  // values (`?owner=a&owner=b`), and the 400 names the parameter.
  const field = (where === 'query' ? path?.replace(/(\/\d+)+$/, '') : path)
    ?.split('/')
    .join('.');
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

/**
 * A body over the JSON limit: 413 (Payload Too Large), as express's body
 * parser answers it. `@backstage/errors` has no class for it; the backend's
 * error handler answers the `statusCode` an error carries.
 */
class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** The largest JSON body taken: express.json()'s default, 100 KiB. */
const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * The body parser's "too large" errors, by request: the validator's own
 * error handler turns every error of its middleware into a 400, so the 413
 * is given back after it (see `validateOnce`).
 */
const tooLarge = new WeakMap<express.Request, PayloadTooLargeError>();

const rememberTooLarge: ErrorRequestHandler = (error, req, _res, next) => {
  if (error?.type === 'entity.too.large') {
    const size =
      typeof error.length === 'number' ? `${error.length} bytes, ` : '';
    tooLarge.set(
      req,
      new PayloadTooLargeError(
        `Invalid body: too large (${size}over the limit of ${BODY_LIMIT_BYTES} bytes)`,
      ),
    );
  }
  next(error);
};

/** The spec's validation: built once, for parsing the spec costs CPU. */
let specValidation: express.Router | undefined;

/** The requests already validated, by another of the plugin's routers. */
const validated = new WeakSet<express.Request>();

/**
 * Validates a request against the spec once, however many of the plugin's
 * routers it passes through: the JSON body parsed and refused unless it is a
 * JSON object, then the path, query and body checked (`ignoreUndocumented`:
 * routes the spec does not name pass).
 */
const validateOnce: express.RequestHandler = (req, res, next) => {
  if (validated.has(req)) {
    next();
    return;
  }
  specValidation ??= createValidatedOpenApiRouter<typeof spec>(spec, {
    middleware: [
      express.json({ limit: BODY_LIMIT_BYTES }),
      rememberTooLarge,
      ...jsonObjectBody,
    ] as express.RequestHandler[],
    // The spec is checked against the OpenAPI schema by its test, not at
    // every start.
    validatorOptions: { validateApiSpec: false },
  });
  specValidation(req, res, (error?: unknown) => {
    if (!error) validated.add(req);
    next(error && (tooLarge.get(req) ?? error));
  });
};

/**
 * A router for routes of the spec (`./openapi.ts`), typed from it:
 * `router.get('/v1/teams', …)` compiles only for a route the spec names, and
 * the handler's parameters, query, body and answer are the spec's. Requests
 * are validated against the spec (a 400 `InputError` naming the field) by
 * the one validator `createValidatedOpenApiRouter` built, which also serves
 * the spec at `/openapi.json`.
 */
export function createOpenApiRouter(): OperabilityApiRouter {
  const router = PromiseRouter() as OperabilityApiRouter;
  router.use(validateOnce, namingTheField);
  return router;
}
