/**
 * The Functions Framework parses JSON bodies before a function runs and, on malformed JSON,
 * lets Express answer with an HTML page: the function never sees the request. The framework
 * offers no hook for this, so this module wraps the framework's own `body-parser` JSON
 * middleware (the same module instance the framework uses, resolved from its location) so
 * that a parse failure is recorded on the request as `bodyParseError` (a body over 64 KiB as
 * `bodyTooLarge`, without reading it) and the request goes on
 * to the function, which answers with problem+json. Everything else about parsing is unchanged.
 * It must be loaded before the framework builds its server (function modules are).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
interface BodyParserModule {
  json: ((options?: unknown) => Middleware) & { tukiWrapped?: boolean };
}

const PARSE_ERROR_TYPES = new Set(['entity.parse.failed', 'entity.verify.failed', 'charset.unsupported', 'encoding.unsupported']);

/**
 * JSON bodies above this are not read at all (the framework's own limit is 1 GiB): the request
 * goes on with `bodyTooLarge` set, and the API answers `413`.
 */
export const JSON_BODY_LIMIT = '64kb';

function frameworkBodyParser(): BodyParserModule {
  const framework = require.resolve('@google-cloud/functions-framework');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('body-parser', { paths: [framework] })) as BodyParserModule;
}

export function captureBodyParseErrors(): void {
  const bodyParser = frameworkBodyParser();
  if (bodyParser.json.tukiWrapped === true) return;
  const original = bodyParser.json;
  const wrapped = (options?: unknown): Middleware => {
    const middleware = original({ ...(options as object), limit: JSON_BODY_LIMIT });
    return (req, res, next) =>
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
  bodyParser.json = Object.assign(wrapped, { tukiWrapped: true });
}
