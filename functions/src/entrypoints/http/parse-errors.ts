/**
 * The Functions Framework parses JSON bodies before a function runs and, on malformed JSON,
 * lets Express answer with an HTML page: the function never sees the request. The same goes
 * for a path that is not valid percent-encoding (`/v1/tickets/%E0`): Express's router fails to
 * decode it and answers 400 in HTML. The framework offers no hook for either, so this module
 * wraps the framework's own `body-parser` JSON middleware (the same module instance the
 * framework uses, resolved from its location), which runs for every request before the
 * function's route is matched:
 * - a body parse failure is recorded on the request as `bodyParseError` (a body over 64 KiB as
 *   `bodyTooLarge`, without reading it);
 * - an undecodable path is recorded as `pathDecodeError`, and the request goes on with every
 *   `%` of its path escaped, so that the route matches;
 * and the request goes on to the function, which answers with problem+json. Everything else
 * about parsing is unchanged. It must be loaded before the framework builds its server
 * (function modules are).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
interface BodyParserModule {
  json: ((options?: unknown) => Middleware) & { tukiWrapped?: boolean };
}
type AppHandle = ((this: unknown, req: IncomingMessage, res: ServerResponse, callback?: unknown) => void) & { tukiWrapped?: boolean };
interface ExpressModule {
  application: { handle: AppHandle };
}

const PARSE_ERROR_TYPES = new Set(['entity.parse.failed', 'entity.verify.failed', 'charset.unsupported', 'encoding.unsupported']);

/**
 * JSON bodies above this are not read at all (the framework's own limit is 1 GiB): the request
 * goes on with `bodyTooLarge` set, and the API answers `413`.
 */
export const JSON_BODY_LIMIT = '64kb';

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

export function captureParseErrors(): void {
  captureUndecodablePaths();
  captureBodyParseErrors();
}

/** Express apps check every request's path first (an app copies `handle` when it is created). */
function captureUndecodablePaths(): void {
  const express = frameworkModule<ExpressModule>('express');
  const original = express.application.handle;
  if (original.tukiWrapped === true) return;
  const handle: AppHandle = function (this: unknown, req, res, callback) {
    captureUndecodablePath(req);
    original.call(this, req, res, callback);
  };
  express.application.handle = Object.assign(handle, { tukiWrapped: true });
}

function captureBodyParseErrors(): void {
  const bodyParser = frameworkModule<BodyParserModule>('body-parser');
  if (bodyParser.json.tukiWrapped === true) return;
  const original = bodyParser.json;
  const wrapped = (options?: unknown): Middleware => {
    const middleware = original({ ...(options as object), limit: JSON_BODY_LIMIT });
    return (req, res, next) => {
      middleware(req, res, (error?: unknown) => {
        const type = (error as { type?: unknown } | undefined)?.type;
        if (type === 'entity.too.large') {
          (req as IncomingMessage & { bodyTooLarge?: boolean }).bodyTooLarge = true;
          next();
          return;
        }
        if (typeof type === 'string' && PARSE_ERROR_TYPES.has(type)) {
          (req as IncomingMessage & { bodyParseError?: string }).bodyParseError = (error as Error).message;
          next();
          return;
        }
        next(error);
      });
    };
  };
  bodyParser.json = Object.assign(wrapped, { tukiWrapped: true });
}
