/**
 * The `api` HTTP function: the JSON API under `/v1`. Decodes the request, authenticates when
 * the route needs it, calls the route's handler and writes JSON or problem+json.
 */
import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from '@google-cloud/functions-framework';
import { CloudLoggingLogger, withTrace } from '../adapters/cloud-logging';
import { authenticate } from '../application/authenticate';
import { ERROR_CODES } from '../domain/errors';
import { instanceConfig, services } from '../wiring';
import { health } from './http/health';
import { captureParseErrors } from './http/parse-errors';
import { problem, problemFor } from './http/problem';
import { matchRoute, type ApiRequest, type ApiResponse, type Route } from './http/router';

captureParseErrors();

/** Logs what failed even when the services themselves could not be built. */
const fallbackLogger = new CloudLoggingLogger();

/** Request bodies above this are refused with `413`. */
export const MAX_BODY_BYTES = 64 * 1024;

let routes: Promise<readonly Route[]> | undefined;

/** The route table, loaded once, on the first request that is not a health check. */
function apiRoutes(): Promise<readonly Route[]> {
  routes ??= import('./http/all-routes').then((m) => m.API_ROUTES);
  return routes;
}

function bodySize(req: Request): number {
  const declared = Number(req.headers['content-length'] ?? 0);
  return Math.max(Number.isFinite(declared) ? declared : 0, req.rawBody?.length ?? 0);
}

async function dispatch(req: Request): Promise<ApiResponse> {
  if ((req as Request & { bodyTooLarge?: boolean }).bodyTooLarge === true || bodySize(req) > MAX_BODY_BYTES) {
    return problem(413, ERROR_CODES.payloadTooLarge, `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  }
  if ((req as Request & { pathDecodeError?: boolean }).pathDecodeError === true) {
    return problem(400, ERROR_CODES.invalidInput, 'The request path is not valid percent-encoding', {
      errors: [{ path: '(path)', message: 'every % must start an escape of UTF-8 bytes, such as %2F' }],
    });
  }
  const parseError = (req as Request & { bodyParseError?: string }).bodyParseError;
  if (parseError !== undefined) {
    return problem(400, ERROR_CODES.invalidInput, 'The request body is not valid JSON', {
      errors: [{ path: '(body)', message: parseError.slice(0, 200) }],
    });
  }
  // The health check is answered without loading the rest of the API (cold starts, uptime checks).
  if (req.method === 'GET' && req.path === '/v1/health') return health();
  const match = matchRoute(await apiRoutes(), req.method, req.path);
  if (match === null) return problem(404, ERROR_CODES.notFound, `No route for ${req.method} ${req.path}`);
  if (match === 'method-not-allowed') return problem(405, 'REQUEST.METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${req.path}`);
  const { route, params } = match;
  const principal = route.auth ? await authenticate(await services(), req.headers.authorization) : null;
  const body: unknown = route.body !== undefined && (req.rawBody === undefined || req.rawBody.length === 0) ? undefined : req.body;
  const request: ApiRequest = { method: req.method, path: req.path, params, query: req.query, headers: req.headers, body, principal };
  return route.handle(request);
}

async function respond(req: Request, res: Response): Promise<void> {
  let response: ApiResponse;
  try {
    response = await dispatch(req);
  } catch (error) {
    const { response: failure, unexpected } = problemFor(error);
    if (unexpected) {
      fallbackLogger.error('unexpected error in api', {
        method: req.method,
        path: req.path,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'non-error thrown',
      });
    }
    response = failure;
  }
  res.status(response.status);
  res.set('Access-Control-Allow-Origin', '*');
  res.set('Access-Control-Expose-Headers', 'Location, Idempotent-Replayed');
  if (response.status === 401) res.set('WWW-Authenticate', 'Bearer');
  for (const [name, value] of Object.entries(response.headers ?? {})) res.set(name, value);
  if (response.body === undefined) {
    res.end();
    return;
  }
  res.set('Content-Type', `${response.contentType ?? 'application/json'}; charset=utf-8`);
  res.send(JSON.stringify(response.body));
}

/** The registered handler (also mounted by the local host and the tests). */
export async function api(req: Request, res: Response): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
      'Access-Control-Max-Age': '3600',
    });
    res.status(204).end();
    return;
  }
  await withTrace(instanceConfig().GOOGLE_CLOUD_PROJECT, req.headers, () => respond(req, res));
}

functions.http('api', api);
