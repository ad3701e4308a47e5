/**
 * The headers every answer of the API carries, by route kind (`Route.exposure`), and the one
 * function that writes an `ApiResponse` to the wire.
 * - Every answer: `X-Content-Type-Options: nosniff`, `Strict-Transport-Security`; JSON answers
 *   also a `Content-Security-Policy` that lets a browser run and frame nothing from them.
 * - `private` answers (authenticated routes, and anything answered before a route is known):
 *   `Cache-Control: no-store` (tickets and originals must stay out of browser and proxy caches),
 *   and CORS only for the origins in `TUKI_CORS_ALLOWED_ORIGINS`, echoed with `Vary: Origin`.
 * - `public` answers (health, catalog, OpenAPI, status page, `/api/v2/*`): open to every origin
 *   (`Access-Control-Allow-Origin: *`); caching is the route's to declare in its own headers.
 * A route's own headers are written last, so a route may set its own `Cache-Control`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiResponse, RouteExposure } from './router';

/** What the policy needs from the configuration. */
export interface CorsSettings {
  readonly allowedOrigins: readonly string[];
}

/** Two years, the preload list's minimum: browsers keep to HTTPS for the API's host. */
const HSTS = 'max-age=63072000; includeSubDomains';
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";
const EXPOSED_HEADERS = 'Location, Idempotent-Replayed, Retry-After';
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';

function originOf(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  return typeof origin === 'string' ? origin : undefined;
}

/** The `Access-Control-Allow-Origin` for a request, or undefined when its origin may not read the answer. */
function allowedOrigin(req: IncomingMessage, exposure: RouteExposure, cors: CorsSettings): string | undefined {
  if (exposure === 'public') return '*';
  const origin = originOf(req);
  return origin !== undefined && cors.allowedOrigins.includes(origin) ? origin : undefined;
}

/** The headers of the policy for an answer (before the route's own). */
function policyHeaders(req: IncomingMessage, exposure: RouteExposure, cors: CorsSettings, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Strict-Transport-Security': HSTS,
  };
  if (contentType?.includes('json') === true) headers['Content-Security-Policy'] = JSON_CSP;
  if (exposure === 'private') {
    headers['Cache-Control'] = 'no-store';
    headers['Vary'] = 'Origin';
  }
  const origin = allowedOrigin(req, exposure, cors);
  if (origin !== undefined) {
    headers['Access-Control-Allow-Origin'] = origin;
    headers['Access-Control-Expose-Headers'] = EXPOSED_HEADERS;
  }
  return headers;
}

/** The headers of a CORS preflight answer for a route of that exposure (none of them for an origin that is not allowed). */
export function preflightHeaders(req: IncomingMessage, exposure: RouteExposure, cors: CorsSettings): Record<string, string> {
  const origin = allowedOrigin(req, exposure, cors);
  const common = { 'X-Content-Type-Options': 'nosniff', 'Strict-Transport-Security': HSTS, Vary: 'Origin' };
  if (origin === undefined) return common;
  return {
    ...common,
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '3600',
  };
}

/** How to write an answer: its exposure, and whether the connection must close after it. */
export interface WriteOptions {
  readonly exposure: RouteExposure;
  readonly cors: CorsSettings;
  /** Set when the request body was not read to its end: the connection cannot be reused. */
  readonly closeConnection?: boolean;
}

/**
 * Writes an answer with the policy's headers. Does nothing when an answer was already sent
 * (a request cut off for a slow body whose handler finishes later).
 */
export function writeResponse(req: IncomingMessage, res: ServerResponse, response: ApiResponse, options: WriteOptions): void {
  if (res.headersSent) return;
  const hasBody = response.body !== undefined || response.rawBody !== undefined;
  const contentType = hasBody ? `${response.contentType ?? 'application/json'}; charset=utf-8` : undefined;
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(policyHeaders(req, options.exposure, options.cors, contentType))) res.setHeader(name, value);
  if (response.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (options.closeConnection === true) res.setHeader('Connection', 'close');
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (contentType === undefined) {
    res.end();
    return;
  }
  const payload = response.rawBody ?? JSON.stringify(response.body);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}
