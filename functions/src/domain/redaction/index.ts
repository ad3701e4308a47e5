/**
 * Redaction: finds sensitive data in free text and masks it before the text is stored in
 * the clear, published, logged or indexed. Pure: no I/O, no clock, no randomness.
 *
 * @packageDocumentation
 */
export {
  CONTACT_KINDS,
  DEFAULT_REDACTION_POLICY,
  REDACTION_KINDS,
  REDACTION_KIND_ORDER,
  STRICTEST_REDACTION_POLICY,
  type ContactKind,
  type Finding,
  type RedactionKind,
  type RedactionPolicy,
} from './kinds';
export { redactText, type RedactionResult } from './redact';
export { maskExact, maskSpan, CARD_VISIBLE_DIGITS } from './mask';
export {
  NOTICE_LANGUAGES,
  redactionNotice,
  summarizeFindings,
  type FindingCount,
  type NoticeLanguage,
} from './notice';
export {
  REDACTION_ERROR_REASONS,
  RedactionSpanError,
  type RedactionErrorReason,
} from './errors';
export { MASK_CHAR } from './chars';
