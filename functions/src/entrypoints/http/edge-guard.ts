/**
 * The edge in front of the Functions Framework. The framework's Express app parses every body
 * with its own parsers (1 GiB limits, reading on without a time bound) and answers their
 * failures, and undecodable paths (`/v1/tickets/%E0`), with Express's HTML error page, stack
 * trace included outside `NODE_ENV=production`. The framework offers no hook, so this module
 * wraps Express's `application.handle` (the very module instance the framework uses, resolved
 * from its location; an app copies `handle` when it is created, so this must load before the
 * framework builds its server — function modules are), and for every request:
 * - reads the body within the limits of `body-reader.ts` first, answering its refusals (`408`,
 *   `413`, `415`, `400`) as problem+json, so the framework's parsers never read a byte;
 * - marks a path that is not valid percent-encoding (`pathDecodeError`; the API answers `400`)
 *   and lets it on with every `%` escaped, so that a route matches;
 * - gives Express a final handler that answers whatever error reaches it as problem+json,
 *   without message, stack or path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fallbackLogger, instanceConfig, readyPorts } from '../../wiring';
import { readBody, type BodyLimits } from './body-reader';
import { EDGE_CODES, problem } from './problem';
import { writeResponse, type CorsSettings } from './response-policy';

type AppHandle = ((this: unknown, req: IncomingMessage, res: ServerResponse, callback?: (error?: unknown) => void) => void) & {
  tukiWrapped?: boolean;
};
interface ExpressModule {
  application: { handle: AppHandle };
}

/** Request bodies above this are refused with `413` (the framework's own limit is 1 GiB). */
export const MAX_BODY_BYTES = 64 * 1024;

/** What the edge reads from the configuration, once per instance. */
export interface EdgeSettings {
  readonly limits: BodyLimits;
  readonly cors: CorsSettings;
}

let settings: EdgeSettings | undefined;

/** The edge's limits and CORS origins from the instance's configuration. */
export function edgeSettings(): EdgeSettings {
  if (settings === undefined) {
    const config = instanceConfig();
    settings = {
      limits: { maxBytes: MAX_BODY_BYTES, readTimeoutMs: config.TUKI_BODY_READ_TIMEOUT_MS },
      cors: { allowedOrigins: config.TUKI_CORS_ALLOWED_ORIGINS },
    };
  }
  return settings;
}

/** A module as the framework resolves it (so the very instance it uses). */
function frameworkModule<T>(name: string): T {
  const framework = require.resolve('@google-cloud/functions-framework');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve(name, { paths: [framework] })) as T;
}

/** Marks a request whose path is not valid percent-encoding, and makes its path decodable. */
function captureUndecodablePath(req: IncomingMessage & { pathDecodeError?: boolean }): void {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.includes('%')) return;
  try {
    decodeURIComponent(path);
  } catch {
    req.pathDecodeError = true;
    req.url = path.replaceAll('%', '%25') + (queryAt === -1 ? '' : url.slice(queryAt));
  }
}

/** Reads the body; false when the edge has answered the request itself. */
async function admitBody(req: IncomingMessage & { rawBody?: Buffer; body?: unknown }, res: ServerResponse): Promise<boolean> {
  const { limits, cors } = edgeSettings();
  const read = await readBody(req, limits);
  if (read.kind === 'refused') {
    writeResponse(req, res, read.response, { exposure: 'private', cors, closeConnection: read.closeConnection });
    return false;
  }
  if (read.kind === 'read') {
    req.rawBody = read.raw;
    req.body = read.json;
  }
  return true;
}

/** The status an error that reached Express's end carries: its own 4xx, else 500. */
function statusOf(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | undefined)?.status ?? (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
}

/** Express's final handler, in problem+json: what no middleware answered (the framework's ignored routes answer themselves). */
function finalHandler(req: IncomingMessage, res: ServerResponse): (error?: unknown) => void {
  return (error?: unknown) => {
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    const status = error === undefined ? 404 : statusOf(error);
    if (status === 500) {
      (readyPorts()?.logger ?? fallbackLogger).error('unexpected error before the function ran', {
        method: req.method,
        error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'non-error thrown',
      });
    }
    const response =
      status === 500
        ? problem(500, EDGE_CODES.internal, 'Something went wrong on our side; it has been logged.')
        : problem(status, EDGE_CODES.rejected, 'The request was refused before it reached the API');
    writeResponse(req, res, response, { exposure: 'private', cors: edgeSettings().cors, closeConnection: !req.complete });
  };
}

/** Installs the edge on Express (once per process). */
export function installEdgeGuard(): void {
  const express = frameworkModule<ExpressModule>('express');
  const original = express.application.handle;
  if (original.tukiWrapped === true) return;
  const handle: AppHandle = function (this: unknown, req, res, callback) {
    captureUndecodablePath(req);
    const done = callback ?? finalHandler(req, res);
    admitBody(req, res).then((admitted) => {
      if (admitted) original.call(this, req, res, done);
    }, done);
  };
  express.application.handle = Object.assign(handle, { tukiWrapped: true });
}
