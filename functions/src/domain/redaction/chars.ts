/**
 * Character classes shared by the detectors, on UTF-16 code units (`charCodeAt`), so the
 * scanners never allocate per character.
 *
 * The mask character counts as a word character everywhere a detector tests a boundary:
 * masking then can only remove candidates, never create one, which is what makes
 * `redactText` idempotent (a second pass finds nothing the first pass did not mask).
 */

/** The character that replaces masked content. */
export const MASK_CHAR = '*';
export const MASK_CODE = 0x2a;

const CH = {
  tab: 0x09,
  lf: 0x0a,
  vt: 0x0b,
  ff: 0x0c,
  cr: 0x0d,
  space: 0x20,
  plus: 0x2b,
  comma: 0x2c,
  dash: 0x2d,
  dot: 0x2e,
  underscore: 0x5f,
  nbsp: 0xa0,
} as const;
export { CH };

/** `charCodeAt` returns NaN past either end; every predicate below is false for NaN. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isAsciiAlnum(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

/** Letters and digits beyond ASCII: memoised, because the Unicode-property test is a regex. */
const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;
const nonAsciiMemo = new Int8Array(0x10000);

function isNonAsciiWord(c: number): boolean {
  // Surrogates are emoji and rare scripts; treating them as non-word keeps the test local.
  if (c >= 0xd800 && c <= 0xdfff) return false;
  let v = nonAsciiMemo[c] ?? 0;
  if (v === 0) {
    v = NON_ASCII_WORD.test(String.fromCharCode(c)) ? 1 : -1;
    nonAsciiMemo[c] = v;
  }
  return v === 1;
}

/** Letter or digit in any script (ä, ö, å included). */
export function isLetterOrDigit(c: number): boolean {
  if (c < 0x80) return isAsciiAlnum(c);
  return isNonAsciiWord(c);
}

/**
 * A character that glues onto a token: letters, digits, `_` and the mask character. A value
 * is only detected when the characters just outside it are not word-like.
 */
export function isWordLike(c: number): boolean {
  if (c < 0x80) return isAsciiAlnum(c) || c === CH.underscore || c === MASK_CODE;
  return isNonAsciiWord(c);
}

/** Whitespace kept by masking, so that masked text keeps its lines and word breaks. */
export function isWhitespace(c: number): boolean {
  return (
    c === CH.space ||
    (c >= CH.tab && c <= CH.cr) ||
    c === CH.nbsp ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x3000 ||
    (c >= 0x2000 && c <= 0x200a)
  );
}

/** Characters of base64url (JWT segments, many API tokens). */
export function isBase64UrlChar(c: number): boolean {
  return isAsciiAlnum(c) || c === CH.dash || c === CH.underscore;
}
