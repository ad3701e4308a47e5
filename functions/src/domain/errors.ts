/**
 * Typed domain errors with stable codes. The HTTP edge maps each code to one status
 * (`entrypoints/http/problem.ts`); nothing else decides a status.
 */

export const ERROR_CODES = {
  invalidInput: 'REQUEST.INVALID',
  unauthenticated: 'AUTH.UNAUTHENTICATED',
  forbidden: 'AUTH.FORBIDDEN',
  notFound: 'RESOURCE.NOT_FOUND',
  idempotencyConflict: 'IDEMPOTENCY.CONFLICT',
  illegalTransition: 'TICKET.ILLEGAL_TRANSITION',
  conflict: 'RESOURCE.CONFLICT',
  payloadTooLarge: 'REQUEST.TOO_LARGE',
  channelUnavailable: 'CATALOG.CHANNEL_UNAVAILABLE',
  channelClosed: 'CATALOG.CHANNEL_CLOSED',
  rateLimited: 'REQUEST.RATE_LIMITED',
  csatNotResolved: 'CSAT.TICKET_NOT_RESOLVED',
  csatAlreadyAnswered: 'CSAT.ALREADY_ANSWERED',
  csatWindowClosed: 'CSAT.WINDOW_CLOSED',
  dependencyUnavailable: 'SERVICE.UNAVAILABLE',
  unknownOrganisation: 'INTAKE.UNKNOWN_ORGANISATION',
  customerNotInOrganisation: 'INTAKE.CUSTOMER_NOT_IN_ORGANISATION',
  sealingRefused: 'ORIGINALS.SEALING_REFUSED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** One invalid field: a JSON path (`description`, `targets.0.severity`) and what is wrong. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A failure the caller can act on. `details` are extra problem+json members. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class InvalidInputError extends DomainError {
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
  ) {
    super(ERROR_CODES.invalidInput, message, { errors });
    this.name = 'InvalidInputError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(ERROR_CODES.notFound, `${what} was not found`);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(ERROR_CODES.forbidden, message);
    this.name = 'ForbiddenError';
  }
}

/** The services tuki depends on, as the health check and `503` answers name them. */
export type Dependency = 'firestore' | 'pubsub' | 'auth';

/** Dependencies of the backup jobs alone (no request waits on them, so health does not probe them). */
export type BackupDependency = 'storage';

/**
 * A dependency did not answer within the deadline (or refused the connection): a `503` the
 * caller may retry. Whatever the request was writing was committed whole or not at all.
 */
export class DependencyUnavailableError extends DomainError {
  constructor(readonly dependency: Dependency | BackupDependency) {
    super(ERROR_CODES.dependencyUnavailable, `${dependency} did not answer in time; please retry shortly`, { dependency });
    this.name = 'DependencyUnavailableError';
  }
}
