/**
 * Errors as `application/problem+json` (RFC 9457). The one place where an error code becomes
 * an HTTP status; unknown errors become a `500` without internal message or stack.
 */
import { z } from 'zod';
import { DomainError, ERROR_CODES, InvalidInputError, type ErrorCode, type FieldError } from '../../domain/errors';
import type { ApiResponse } from './router';

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  [ERROR_CODES.invalidInput]: 400,
  [ERROR_CODES.unauthenticated]: 401,
  [ERROR_CODES.forbidden]: 403,
  [ERROR_CODES.notFound]: 404,
  [ERROR_CODES.idempotencyConflict]: 409,
  [ERROR_CODES.illegalTransition]: 409,
  [ERROR_CODES.conflict]: 409,
  [ERROR_CODES.payloadTooLarge]: 413,
  [ERROR_CODES.channelUnavailable]: 422,
  [ERROR_CODES.channelClosed]: 422,
  [ERROR_CODES.rateLimited]: 429,
  [ERROR_CODES.csatNotResolved]: 409,
  [ERROR_CODES.csatAlreadyAnswered]: 409,
  [ERROR_CODES.csatWindowClosed]: 422,
  [ERROR_CODES.dependencyUnavailable]: 503,
  [ERROR_CODES.unknownOrganisation]: 422,
  [ERROR_CODES.customerNotInOrganisation]: 422,
  [ERROR_CODES.sealingRefused]: 422,
};

/** Codes of refusals that the HTTP edge makes before any use case runs. */
export const EDGE_CODES = {
  methodNotAllowed: 'REQUEST.METHOD_NOT_ALLOWED',
  timeout: 'REQUEST.TIMEOUT',
  unsupportedMediaType: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  rejected: 'REQUEST.REJECTED',
  internal: 'INTERNAL',
} as const;

/** Seconds a client is asked to wait before retrying a `503` (a stalled dependency usually recovers within this). */
const RETRY_AFTER_SECONDS = 5;

const TITLES: Readonly<Record<number, string>> = {
  400: 'Invalid input',
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Business rule refused the request',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service temporarily unavailable',
};

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem+json response. */
export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ApiResponse {
  return {
    status,
    contentType: PROBLEM_CONTENT_TYPE,
    // Extension members first: a detail named like an RFC 9457 member (a ticket's `status`)
    // must not overwrite it.
    body: {
      ...extra,
      type: `urn:tuki:problem:${code.toLowerCase()}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
    },
  };
}

/** zod issues as field errors with dotted paths; unknown keys get one error each. */
function fieldErrors(error: z.ZodError, prefix: string[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...base, key].join('.'), message: 'is not a known field' }));
    }
    return [{ path: base.join('.') || '(body)', message: issue.message }];
  });
}

/** Parses `value` with `schema`, or throws a `400` that lists every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix: string[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidInputError(`The ${what} is invalid`, fieldErrors(result.error, prefix));
  return result.data;
}

/** The response for any error thrown by a handler. */
export function problemFor(error: unknown): { response: ApiResponse; unexpected: boolean } {
  if (error instanceof DomainError) {
    const status = STATUS_BY_CODE[error.code];
    const response = problem(status, error.code, error.message, { ...error.details });
    return { response: status === 503 ? { ...response, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } } : response, unexpected: false };
  }
  return { response: problem(500, EDGE_CODES.internal, 'Something went wrong on our side; it has been logged.'), unexpected: true };
}
