/**
 * Secrets recognised by their shape: cloud access keys, personal access tokens, JWTs,
 * bearer credentials and PEM private keys. Each detector starts at a prefix found by the
 * trigger scan (`detect.ts`), requires a token boundary before it, and reads one maximal
 * run of its own character class — so no run is read by more than one detector start, and
 * the work stays linear even on "eyJeyJeyJ…".
 */
import { CH, isAsciiAlnum, isBase64UrlChar, isDigit, isWordLike, MASK_CODE } from './chars';
import type { Span } from './phrases';

type CharClass = (c: number) => boolean;

function isUpperAlnum(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a);
}

function isAlnumUnderscore(c: number): boolean {
  return isAsciiAlnum(c) || c === CH.underscore;
}

function isAlnumDash(c: number): boolean {
  return isAsciiAlnum(c) || c === CH.dash;
}

/** RFC 6750 `b64token`: the characters a bearer token may contain, before `=` padding. */
function isB64Token(c: number): boolean {
  return (
    isAsciiAlnum(c) ||
    c === CH.dash ||
    c === CH.dot ||
    c === CH.underscore ||
    c === 0x7e /* ~ */ ||
    c === CH.plus ||
    c === 0x2f /* / */
  );
}

/** The end of the maximal run of `cls` starting at `i`. */
function runEnd(text: string, i: number, cls: CharClass): number {
  let e = i;
  while (cls(text.charCodeAt(e))) e++;
  return e;
}

/** Whether a token may start at `i`: not glued to a word, a masked span or a dash. */
export function tokenStartOk(text: string, i: number): boolean {
  const c = text.charCodeAt(i - 1);
  return !isWordLike(c) && c !== CH.dash;
}

/** Whether a token may end at `e`: the next character does not continue a word or a mask. */
function tokenEndOk(text: string, e: number): boolean {
  return !isWordLike(text.charCodeAt(e));
}

/**
 * A prefix followed by a run of `cls` of `min`–`max` characters. The run is maximal, so a
 * longer run is rejected rather than cut (a 40-character "AKIA…" is not an access key).
 */
function prefixed(
  text: string,
  start: number,
  prefixLength: number,
  cls: CharClass,
  min: number,
  max: number,
): Span | null {
  const bodyStart = start + prefixLength;
  const end = runEnd(text, bodyStart, cls);
  const len = end - bodyStart;
  if (len < min || len > max || !tokenEndOk(text, end)) return null;
  return { start, end };
}

/**
 * Detectors keyed by their exact, case-sensitive prefix. Token lengths follow the issuers'
 * published formats, with room above where issuers have grown them before.
 */
export const SHAPE_PREFIXES: Readonly<Record<string, (text: string, start: number) => Span | null>> = {
  // AWS access key ids: long-term (AKIA) and temporary STS (ASIA) keys.
  AKIA: (t, s) => prefixed(t, s, 4, isUpperAlnum, 16, 16),
  ASIA: (t, s) => prefixed(t, s, 4, isUpperAlnum, 16, 16),
  // Google API keys.
  AIza: (t, s) => prefixed(t, s, 4, isBase64UrlChar, 35, 35),
  // GitHub tokens: personal (ghp), OAuth (gho), user-to-server (ghu), server (ghs), refresh (ghr).
  ghp_: (t, s) => prefixed(t, s, 4, isAsciiAlnum, 36, 255),
  gho_: (t, s) => prefixed(t, s, 4, isAsciiAlnum, 36, 255),
  ghu_: (t, s) => prefixed(t, s, 4, isAsciiAlnum, 36, 255),
  ghs_: (t, s) => prefixed(t, s, 4, isAsciiAlnum, 36, 255),
  ghr_: (t, s) => prefixed(t, s, 4, isAsciiAlnum, 36, 255),
  github_pat_: (t, s) => prefixed(t, s, 11, isAlnumUnderscore, 22, 255),
  'glpat-': (t, s) => prefixed(t, s, 6, isBase64UrlChar, 20, 255),
  // Slack bot, app, user, refresh and legacy tokens.
  'xoxb-': (t, s) => prefixed(t, s, 5, isAlnumDash, 10, 255),
  'xoxa-': (t, s) => prefixed(t, s, 5, isAlnumDash, 10, 255),
  'xoxp-': (t, s) => prefixed(t, s, 5, isAlnumDash, 10, 255),
  'xoxr-': (t, s) => prefixed(t, s, 5, isAlnumDash, 10, 255),
  'xoxs-': (t, s) => prefixed(t, s, 5, isAlnumDash, 10, 255),
  // Stripe secret and restricted keys.
  sk_live_: (t, s) => prefixed(t, s, 8, isAsciiAlnum, 16, 255),
  sk_test_: (t, s) => prefixed(t, s, 8, isAsciiAlnum, 16, 255),
  rk_live_: (t, s) => prefixed(t, s, 8, isAsciiAlnum, 16, 255),
  rk_test_: (t, s) => prefixed(t, s, 8, isAsciiAlnum, 16, 255),
  eyJ: jwtAt,
};

/**
 * A JWT (JWS compact form): three base64url segments joined by dots, the header starting
 * `eyJ` (base64 of `{"`). The signature may be empty (unsigned tokens are still bearer
 * credentials).
 */
function jwtAt(text: string, start: number): Span | null {
  const headerEnd = runEnd(text, start, isBase64UrlChar);
  if (headerEnd - start < 10 || text.charCodeAt(headerEnd) !== CH.dot) return null;
  const payloadEnd = runEnd(text, headerEnd + 1, isBase64UrlChar);
  if (payloadEnd === headerEnd + 1 || text.charCodeAt(payloadEnd) !== CH.dot) return null;
  const end = runEnd(text, payloadEnd + 1, isBase64UrlChar);
  if (text.charCodeAt(end) === MASK_CODE || isWordLike(text.charCodeAt(end))) return null;
  return { start, end };
}

/**
 * The credential after `Bearer `: a b64token with optional `=` padding, 8+ characters with a
 * letter and a digit, so that prose ("a Bearer token", "Bearer authentication") is left alone.
 * Only the token is masked; the scheme word stays readable.
 */
export function bearerValueAt(text: string, keywordEnd: number): Span | null {
  let p = keywordEnd;
  const gapEnd = Math.min(text.length, p + 4);
  while (p < gapEnd && (text.charCodeAt(p) === CH.space || text.charCodeAt(p) === 0x09)) p++;
  if (p === keywordEnd) return null;
  return credentialAt(text, p, true);
}

/**
 * A b64token credential at `p`, 8+ characters. Where the context is prose-prone ("Bearer")
 * it must also mix letters and digits; after `Authorization: Basic` base64 of a short
 * `user:password` may have no digit at all, and the header itself is context enough.
 */
function credentialAt(text: string, p: number, requireDigit: boolean): Span | null {
  let end = runEnd(text, p, isB64Token);
  while (text.charCodeAt(end) === 0x3d /* = */) end++;
  if (end - p < 8 || !tokenEndOk(text, end)) return null;
  let letter = false;
  let digit = false;
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) digit = true;
    else if (isAsciiAlnum(c)) letter = true;
  }
  return letter && (digit || !requireDigit) ? { start: p, end } : null;
}

const AUTHORIZATION_SCHEME = /[ \t]{0,3}:[ \t]{0,8}(?:basic|token|digest|apikey)[ \t]{1,4}/iy;

/**
 * `Authorization: Basic <credentials>` (and `Token`, `Digest`, `ApiKey` schemes). `Bearer`
 * after `Authorization:` is found by its own keyword.
 */
export function authorizationValueAt(text: string, keywordEnd: number): Span | null {
  AUTHORIZATION_SCHEME.lastIndex = keywordEnd;
  if (AUTHORIZATION_SCHEME.exec(text) === null) return null;
  return credentialAt(text, AUTHORIZATION_SCHEME.lastIndex, false);
}

const PEM_BEGIN_LABEL = /[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const PEM_END_LABEL = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;

function isBase64Char(c: number): boolean {
  return isAsciiAlnum(c) || c === CH.plus || c === 0x2f || c === 0x3d;
}

/**
 * Characters between the armour lines of a complete block: base64, whitespace (keys pasted
 * through chat often arrive on one line) and the `Proc-Type`/`DEK-Info` headers.
 */
function isPemBodyChar(c: number): boolean {
  return (
    isBase64Char(c) ||
    c === CH.space ||
    c === 0x09 ||
    c === CH.lf ||
    c === CH.cr ||
    c === 0x3a /* : */ ||
    c === CH.comma ||
    c === CH.dash
  );
}

function isLineBreak(c: number): boolean {
  return c === CH.lf || c === CH.cr;
}

/**
 * The end of the body of a truncated key, or -1 if it has none. The rest of the BEGIN line
 * may hold base64 words (a key pasted on one line, 16+ characters each but the last), then
 * whole lines of base64, blank lines and `Proc-Type:`/`DEK-Info:` headers. Stricter than a
 * complete block, because without an END line the next line of prose must not be swallowed.
 */
function truncatedBodyEnd(text: string, from: number): number {
  const n = text.length;
  let end = -1;
  let p = from;
  for (;;) {
    const word = p;
    while (isBase64Char(text.charCodeAt(p))) p++;
    const c = text.charCodeAt(p);
    const atEol = p >= n || isLineBreak(c);
    if (p === word || (p - word < 16 && !atEol) || (!atEol && c !== CH.space && c !== 0x09)) break;
    end = p;
    if (atEol) break;
    p++;
  }
  if (end < 0 && from < n && !isLineBreak(text.charCodeAt(from))) return -1;
  p = end < 0 ? from : end;
  for (;;) {
    if (p >= n || !isLineBreak(text.charCodeAt(p))) return end;
    if (text.charCodeAt(p) === CH.cr && text.charCodeAt(p + 1) === CH.lf) p++;
    p++;
    const lineStart = p;
    while (isBase64Char(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) === 0x3a /* : */ && /^(?:Proc-Type|DEK-Info)$/i.test(text.slice(lineStart, p))) {
      while (p < n && !isLineBreak(text.charCodeAt(p))) p++;
    }
    if (p < n && !isLineBreak(text.charCodeAt(p))) return end;
    if (p > lineStart) end = p;
  }
}

/**
 * A PEM private key whose `-----BEGIN ` starts at `start`. The whole block is masked,
 * armour lines included: the label says little, but masking the block as one span means a
 * second pass sees no `BEGIN … PRIVATE KEY` line and reports nothing (idempotence). A key
 * cut off before its END line (a truncated paste) is masked to the end of its base64; an
 * armour line with no key after it is not a finding.
 */
export function pemAt(text: string, start: number): Span | null {
  PEM_BEGIN_LABEL.lastIndex = start + '-----BEGIN '.length;
  if (PEM_BEGIN_LABEL.exec(text) === null) return null;
  const labelEnd = PEM_BEGIN_LABEL.lastIndex;
  // The body ends at the next armour line ("-----"), so each body is read once.
  let p = labelEnd;
  while (!text.startsWith('-----', p) && isPemBodyChar(text.charCodeAt(p))) p++;
  PEM_END_LABEL.lastIndex = p;
  if (PEM_END_LABEL.exec(text) !== null) return { start, end: PEM_END_LABEL.lastIndex };
  let from = labelEnd;
  while (text.charCodeAt(from) === CH.space || text.charCodeAt(from) === 0x09) from++;
  const end = truncatedBodyEnd(text, from);
  return end > labelEnd ? { start, end } : null;
}
