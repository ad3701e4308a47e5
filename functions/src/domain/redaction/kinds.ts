/**
 * What the redactor looks for, and what it reports back.
 */

/**
 * The kinds of sensitive data that redaction masks: all but the contact kinds always, the
 * contact kinds ({@link CONTACT_KINDS}) when an organisation's policy turns them on.
 */
export const REDACTION_KINDS = {
  paymentCard: 'payment_card',
  iban: 'iban',
  fiPersonalIdentityCode: 'fi_personal_identity_code',
  sePersonalIdentityNumber: 'se_personal_identity_number',
  password: 'password',
  secret: 'secret',
  email: 'email',
  phoneNumber: 'phone_number',
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
  REDACTION_KINDS.email,
  REDACTION_KINDS.phoneNumber,
];

/**
 * Contact data: personal data, but often what support needs to reach a customer, so masked
 * only for organisations that ask for it (`PUT /v1/admin/redaction-policy/{orgId}`).
 */
export const CONTACT_KINDS = [REDACTION_KINDS.email, REDACTION_KINDS.phoneNumber] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** Which optional kinds a redaction masks besides the required ones. */
export interface RedactionPolicy {
  readonly contactKinds: readonly ContactKind[];
}

/** Every organisation's policy until an admin sets one: contact data stays readable. */
export const DEFAULT_REDACTION_POLICY: RedactionPolicy = { contactKinds: [] };

/** Every kind masked: for texts that may be shown to anyone. */
export const STRICTEST_REDACTION_POLICY: RedactionPolicy = { contactKinds: CONTACT_KINDS };

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
