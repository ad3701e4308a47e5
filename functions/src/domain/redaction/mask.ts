/**
 * Masking: every character of a span becomes `*`, except whitespace (so lines and word
 * breaks survive and a masked text still reads as a message). Lengths never change, so
 * offsets into the original text stay valid in the masked one.
 */
import { CH, isDigit, isWhitespace, MASK_CHAR, MASK_CODE } from './chars';
import { REDACTION_ERROR_REASONS, RedactionSpanError } from './errors';
import { REDACTION_KINDS } from './kinds';
import type { Detection } from './candidates';

/** How many trailing digits of a card number stay visible, so a customer can tell cards apart. */
export const CARD_VISIBLE_DIGITS = 4;

function maskRange(text: string, start: number, end: number): string {
  let blank = true;
  for (let i = start; i < end && blank; i++) blank = !isWhitespace(text.charCodeAt(i));
  // Most spans are one token: one repeat instead of a character-by-character build.
  if (blank) return MASK_CHAR.repeat(end - start);
  let out = '';
  for (let i = start; i < end; i++) {
    out += isWhitespace(text.charCodeAt(i)) ? text[i] : MASK_CHAR;
  }
  return out;
}

/**
 * Masks `text[start, end)` in `units`, the text's UTF-16 code units as little-endian bytes:
 * every character but whitespace becomes `*`.
 */
function maskUnits(text: string, units: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    if (!isWhitespace(text.charCodeAt(i))) {
      units[2 * i] = MASK_CODE;
      units[2 * i + 1] = 0;
    }
  }
}

/**
 * Masks a card in `units` but its separators and its last four digits: `4111 1111 1111 1111`
 * becomes `**** **** **** 1111`, `4111-1111-1111-1111` becomes `****-****-****-1111` (dots
 * likewise).
 */
function maskCardUnits(text: string, units: Uint8Array, start: number, end: number): void {
  let visible = CARD_VISIBLE_DIGITS;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (isDigit(c) && visible > 0) visible--;
    else if (c !== CH.space && c !== CH.dash && c !== CH.dot) {
      units[2 * i] = MASK_CODE;
      units[2 * i + 1] = 0;
    }
  }
}

/**
 * Applies resolved findings (sorted, non-overlapping) to `text`. A card keeps its last
 * digits only when nothing but the card was found there (see `Detection.cardsAlone`).
 *
 * The masked text is written once, into a copy of the text's code units, rather than
 * concatenated from a slice and a mask per finding: a text dense with findings ("password is
 * password is …", a finding every dozen characters) spent more time building and
 * flattening that rope than detecting. UTF-16 both ways, so lone surrogates survive.
 */
export function applyFindings(text: string, { findings, cardsAlone }: Detection): string {
  if (findings.length === 0) return text;
  const units = Buffer.from(text, 'utf16le');
  for (const f of findings) {
    if (f.kind === REDACTION_KINDS.paymentCard && cardsAlone.has(f)) maskCardUnits(text, units, f.start, f.end);
    else maskUnits(text, units, f.start, f.end);
  }
  return units.toString('utf16le');
}

/**
 * Masks `text[start..end)` (UTF-16 code-unit offsets), for an agent's manual redaction.
 * Whitespace inside the span is kept, like every mask.
 *
 * @throws {RedactionSpanError} `REDACTION.SPAN_OUT_OF_RANGE` unless `start` and `end` are
 *   integers with `0 <= start < end <= text.length`.
 */
export function maskSpan(text: string, start: number, end: number): string {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
    throw new RedactionSpanError(
      REDACTION_ERROR_REASONS.spanOutOfRange,
      `The span [${start}, ${end}) is not a non-empty range inside a text of ${text.length} characters.`,
      'span',
    );
  }
  return text.slice(0, start) + maskRange(text, start, end) + text.slice(end);
}

/**
 * Masks every occurrence of `needle` in `text`, overlapping ones included ("aa" in "aaa"
 * masks all three characters), for an agent's manual redaction. Case-sensitive: the agent
 * selected these exact characters.
 *
 * @throws {RedactionSpanError} `REDACTION.EMPTY_NEEDLE` for an empty needle,
 *   `REDACTION.TEXT_NOT_FOUND` when it does not occur. The messages never repeat the
 *   needle, which is by definition sensitive.
 */
export function maskExact(text: string, needle: string): string {
  if (needle.length === 0) {
    throw new RedactionSpanError(REDACTION_ERROR_REASONS.emptyNeedle, 'The text to mask is empty.', 'text');
  }
  const parts: string[] = [];
  let copied = 0;
  let maskedTo = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    const from = Math.max(i, maskedTo);
    parts.push(text.slice(copied, from), maskRange(text, from, i + needle.length));
    copied = maskedTo = i + needle.length;
  }
  if (parts.length === 0) {
    throw new RedactionSpanError(
      REDACTION_ERROR_REASONS.textNotFound,
      'The text to mask does not occur in the message.',
      'text',
    );
  }
  parts.push(text.slice(copied));
  return parts.join('');
}
