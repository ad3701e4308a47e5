/**
 * What the redactor looks for, and what it reports back.
 */

/** The kinds of sensitive data that are masked automatically. */
export const REDACTION_KINDS = {
  paymentCard: 'payment_card',
  iban: 'iban',
  fiPersonalIdentityCode: 'fi_personal_identity_code',
  sePersonalIdentityNumber: 'se_personal_identity_number',
  password: 'password',
  secret: 'secret',
} as const;

/** One of {@link REDACTION_KINDS}. */
export type RedactionKind = (typeof REDACTION_KINDS)[keyof typeof REDACTION_KINDS];

/**
 * Every kind, in the order summaries and notices list them: money first, then identity,
 * then credentials. Fixed so that a notice reads the same for the same findings.
 */
export const REDACTION_KIND_ORDER: readonly RedactionKind[] = [
  REDACTION_KINDS.paymentCard,
  REDACTION_KINDS.iban,
  REDACTION_KINDS.fiPersonalIdentityCode,
  REDACTION_KINDS.sePersonalIdentityNumber,
  REDACTION_KINDS.password,
  REDACTION_KINDS.secret,
];

/**
 * One masked span. Offsets are UTF-16 code-unit indices into the ORIGINAL text
 * (`start` inclusive, `end` exclusive); masking keeps the length, so they are valid in the
 * masked text too.
 */
export interface Finding {
  readonly kind: RedactionKind;
  readonly start: number;
  readonly end: number;
}
