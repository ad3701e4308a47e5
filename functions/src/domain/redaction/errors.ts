/**
 * Errors of manual redaction. They are invalid input to the HTTP edge (the caller sent a span
 * or a text that does not fit the message), so they extend {@link InvalidInputError}; the
 * redaction-specific `reason` says which rule was broken.
 */
import { InvalidInputError } from '../errors';

/** Why a manual redaction was refused. */
export const REDACTION_ERROR_REASONS = {
  /** `start`/`end` are not integers with `0 <= start < end <= text.length`. */
  spanOutOfRange: 'REDACTION.SPAN_OUT_OF_RANGE',
  /** The text to mask does not occur in the message. */
  textNotFound: 'REDACTION.TEXT_NOT_FOUND',
  /** The text to mask is empty: masking "nothing everywhere" is certainly a caller bug. */
  emptyNeedle: 'REDACTION.EMPTY_NEEDLE',
} as const;

/** One of {@link REDACTION_ERROR_REASONS}. */
export type RedactionErrorReason =
  (typeof REDACTION_ERROR_REASONS)[keyof typeof REDACTION_ERROR_REASONS];

/** A manual redaction (by span or by exact text) that cannot be applied to the message. */
export class RedactionSpanError extends InvalidInputError {
  constructor(
    readonly reason: RedactionErrorReason,
    message: string,
    field: string,
  ) {
    super(message, [{ path: field, message }]);
    this.name = 'RedactionSpanError';
  }
}
