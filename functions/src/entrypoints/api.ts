/**
 * The `api` HTTP function: the JSON API under `/v1`. Decodes the request, authenticates when
 * the route needs it, calls the route's handler and writes JSON or problem+json.
 */
import * as functions from '@google-cloud/functions-framework';
import type { Request, Response } from '@google-cloud/functions-framework';
import { authenticate } from '../application/authenticate';
import { assertMayCall } from '../domain/access';
import { ERROR_CODES } from '../domain/errors';
import { asDependencyFailure, fallbackLogger, instanceConfig, instanceHealth, ports, readyPorts, withDeadline, withTrace, type DeadlineBudget } from '../wiring';
import { isJsonMediaType, mediaTypeOf } from './http/body-reader';
import { edgeSettings, installEdgeGuard } from './http/edge-guard';
import { health } from './http/health';
import { EDGE_CODES, problem, problemFor } from './http/problem';
import { preflightHeaders, writeResponse } from './http/response-policy';
import { matchRoute, type ApiRequest, type ApiResponse, type Route, type RouteExposure } from './http/router';
import { illFormedText } from './http/well-formed-text';

installEdgeGuard();

/**
 * What a request may spend waiting on Firestore and Auth, in all and per call. Firestore's own
 * retry of a transaction adds its backoff (about a second) on top, so a stalled dependency is
 * a `503` within about five seconds.
 */
const REQUEST_DEADLINE: DeadlineBudget = { totalMs: 4_000, perCallMs: 4_000 };

let routes: Promise<readonly Route[]> | undefined;

/** The route table, loaded once, on the first request that is not a health check. */
function apiRoutes(): Promise<readonly Route[]> {
  routes ??= import('./http/all-routes').then((m) => m.API_ROUTES);
  return routes;
}

/** A route's exposure: its own, or private when it authenticates and public otherwise. */
function exposureOf(route: Route): RouteExposure {
  return route.exposure ?? (route.auth ? 'private' : 'public');
}

/** An answer and who may keep and read it (answers before a route is known are private). */
interface Dispatched {
  readonly response: ApiResponse;
  readonly exposure: RouteExposure;
}

const privately = (response: ApiResponse): Dispatched => ({ response, exposure: 'private' });

async function dispatch(req: Request): Promise<Dispatched> {
  if ((req as Request & { pathDecodeError?: boolean }).pathDecodeError === true) {
    return privately(
      problem(400, ERROR_CODES.invalidInput, 'The request path is not valid percent-encoding', {
        errors: [{ path: '(path)', message: 'every % must start an escape of UTF-8 bytes, such as %2F' }],
      }),
    );
  }
  // The health check is answered without loading the rest of the API (cold starts, uptime checks).
  if (req.method === 'GET' && req.path === '/v1/health') return { response: await health(instanceHealth), exposure: 'public' };
  const match = matchRoute(await apiRoutes(), req.method, req.path);
  if (match === null) return privately(problem(404, ERROR_CODES.notFound, `No route for ${req.method} ${req.path}`));
  if (match === 'method-not-allowed') return privately(problem(405, EDGE_CODES.methodNotAllowed, `${req.method} is not allowed on ${req.path}`));
  const { route, params } = match;
  const exposure = exposureOf(route);
  const hasBody = req.rawBody !== undefined && req.rawBody.length > 0;
  /** What the caller sent, checked only once they may call the route (a refusal says nothing about it). */
  const refusedInput = (): Dispatched | null => {
    if (route.body !== undefined && hasBody && !isJsonMediaType(mediaTypeOf(req))) {
      return { response: problem(415, EDGE_CODES.unsupportedMediaType, 'Request bodies are JSON (Content-Type: application/json)'), exposure };
    }
    const illFormed = illFormedText(req.query);
    if (illFormed.length > 0) {
      return { response: problem(400, ERROR_CODES.invalidInput, 'The query holds ill-formed text', { errors: illFormed }), exposure };
    }
    return null;
  };
  // The clients are built (the SDKs loaded) before the deadline starts: a cold start is not a stalled dependency.
  const s = await ports();
  return withDeadline(REQUEST_DEADLINE, async () => {
    try {
      const principal = route.auth ? await authenticate(s, req.headers.authorization) : null;
      if (route.auth && principal !== null) assertMayCall(principal, route.callers);
      const refused = refusedInput();
      if (refused !== null) return refused;
      const body: unknown = route.body !== undefined && hasBody ? req.body : undefined;
      const request: ApiRequest = { method: req.method, path: req.path, params, query: req.query, headers: req.headers, body, principal };
      return { response: await route.handle(request), exposure };
    } catch (error) {
      const failure = asDependencyFailure(error);
      if (failure === null) throw error;
      s.logger.warn('a dependency did not answer in time, answered 503', { dependency: failure.dependency, method: req.method, path: req.path });
      throw failure;
    }
  });
}

async function respond(req: Request, res: Response): Promise<void> {
  let dispatched: Dispatched;
  try {
    dispatched = await dispatch(req);
  } catch (error) {
    const { response: failure, unexpected } = problemFor(error);
    if (unexpected) {
      (readyPorts()?.logger ?? fallbackLogger).error('unexpected error in api', {
        method: req.method,
        path: req.path,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'non-error thrown',
      });
    }
    // The route is not known here: an error is kept and shared as privately as any answer.
    dispatched = privately(failure);
  }
  writeResponse(req, res, dispatched.response, { exposure: dispatched.exposure, cors: edgeSettings().cors });
}

/** A CORS preflight: allowed for the route's exposure (public routes to any origin, private ones to the configured). */
async function preflight(req: Request, res: Response): Promise<void> {
  const method = req.headers['access-control-request-method'];
  const match = typeof method === 'string' ? matchRoute(await apiRoutes(), method.toUpperCase(), req.path) : null;
  const exposure: RouteExposure = match !== null && match !== 'method-not-allowed' ? exposureOf(match.route) : 'private';
  res.set(preflightHeaders(req, exposure, edgeSettings().cors));
  res.status(204).end();
}

/** The registered handler (also mounted by the local host and the tests). */
export async function api(req: Request, res: Response): Promise<void> {
  if (req.method === 'OPTIONS') {
    await preflight(req, res);
    return;
  }
  await withTrace(instanceConfig().GOOGLE_CLOUD_PROJECT, req.headers, () => respond(req, res));
}

functions.http('api', api);
