/**
 * A small router for the API function: method + path pattern (`/v1/tickets/:id`) to a handler.
 * The route table is also what the OpenAPI document is generated from.
 */
import type { z } from 'zod';
import type { Callers, Principal } from '../../domain/access';
import { isUsableId } from '../../domain/ids';

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  /** The authenticated caller; present on routes with `auth: true`. */
  readonly principal: Principal | null;
}

export interface ApiResponse {
  readonly status: number;
  readonly body?: unknown;
  /** A body sent as it is (HTML, Atom, pre-serialised JSON; bytes in the `Content-Encoding` its headers name) instead of `body` as JSON. */
  readonly rawBody?: string | Buffer;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * How a route module reaches its use cases' ports: handed over by the composition root
 * (`wiring.ts`, through `all-routes.ts`) and built on the first call, so that loading the route
 * table does not load the cloud SDKs.
 */
export type DepsProvider<D> = () => Promise<D>;

/** Who may keep and read a route's answers: see `exposure` on {@link Route}. */
export type RouteExposure = 'private' | 'public';

interface RouteBase {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly pattern: string;
  readonly summary: string;
  /** Who may call it, for the OpenAPI description. */
  readonly who: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly successStatus: number;
  /** Other success answers, for the OpenAPI description: status → what it means. */
  readonly alsoAnswers?: Readonly<Record<number, string>>;
  /**
   * Who may keep and read the answers: `private` (the default for routes with `auth`) are
   * `no-store` and shared only with the configured origins; `public` (the default without
   * `auth`: health, catalog, status page, `/api/v2/*`) may be cached as the route's own
   * headers say and are open to every origin. See `response-policy.ts`.
   */
  readonly exposure?: RouteExposure;
  readonly handle: (request: ApiRequest) => Promise<ApiResponse>;
}

/**
 * A route: public, or authenticated with the callers it admits. `api.ts` refuses any other
 * caller before the route reads the body, query or headers (a refused caller gets `403`, never a
 * validation error that would tell them how to shape their request).
 */
export type Route = (RouteBase & { readonly auth: false }) | (RouteBase & { readonly auth: true; readonly callers: Callers });

/** The authenticated caller of a route declared with `auth: true`. */
export function principalOf(request: ApiRequest): Principal {
  if (request.principal === null) throw new Error('route declared auth but has no principal');
  return request.principal;
}

/** A path parameter (validated as an id by `matchRoute`). */
export function param(request: ApiRequest, name: string): string {
  return request.params[name] ?? '';
}

export type RouteMatch = { readonly route: Route; readonly params: Record<string, string> };

/** The route for a method and path, `'method-not-allowed'` when only the method is wrong, or null. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch | 'method-not-allowed' | null {
  const segments = path.replace(/\/+$/, '').split('/');
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (params === null) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  return pathMatched ? 'method-not-allowed' : null;
}

/**
 * Path parameters are ids: anything else (an encoded `/`, bad escapes, ids Firestore reserves
 * such as `..` or `__proto__`) matches no route, a `404`.
 */
function decodeParam(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return isUsableId(value) ? value : null;
  } catch {
    return null;
  }
}

function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      const value = decodeParam(segment);
      if (value === null) return null;
      params[part.slice(1)] = value;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}
