/**
 * Automatic redaction of a message: detect, then mask.
 */
import { detectSensitiveData } from './detect';
import { DEFAULT_REDACTION_POLICY, type Finding, type RedactionPolicy } from './kinds';
import { applyFindings } from './mask';

/** A masked text and what was masked in it. */
export interface RedactionResult {
  /** The input with every finding masked; the same length as the input. */
  readonly text: string;
  /** What was masked, sorted by `start`, non-overlapping, offsets into the input. */
  readonly findings: Finding[];
}

/**
 * Masks payment card numbers, IBANs, Finnish and Swedish personal identity numbers,
 * passwords given in prose, and secrets (access keys, tokens, bearer credentials, JWTs,
 * private keys) in `text`; and the contact data (email addresses, phone numbers) that
 * `policy` turns on (none by default).
 *
 * Use cases do not call this directly: every free text passes through the application's
 * `FreeTextRedactor`, which knows each organisation's policy.
 *
 * Every masked character becomes `*` except whitespace; a card keeps its separators and its
 * last four digits (`**** **** **** 1111`). The result has the input's length, so finding
 * offsets are valid in both. Redacting a redacted text changes nothing and finds nothing.
 * Time is linear in the length of the text, whatever it contains.
 */
export function redactText(text: string, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): RedactionResult {
  const detection = detectSensitiveData(text, policy);
  return { text: applyFindings(text, detection), findings: detection.findings };
}
