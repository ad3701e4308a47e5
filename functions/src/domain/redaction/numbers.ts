/**
 * The numeric scanner: one pass over the text that finds every maximal run of digit groups
 * joined by single separators (space, dash, plus), then tests the group-aligned windows of
 * each run for cards, Swedish and Finnish identity numbers, and IBAN check digits.
 *
 * Why a hand-written scanner: a regex for "12–19 digits with optional separators" either
 * backtracks on long runs of digits and spaces or needs a second validation pass anyway.
 * Here each digit is read once, when its group is found: the group's Luhn sums are kept
 * with its offsets, so a card window grows by a whole group in O(1) and no digit is read
 * again per candidate start (the issuer prefix only for a window that passed Luhn). A
 * window grows from each group by at most five groups (19 digits in fours), so the work is
 * linear in the text whatever it contains.
 *
 * Windows are aligned on groups: a card is never cut out of the middle of a longer number
 * (`order 1234567890123456789012` is one 22-digit group, not a card), and the 10-digit form
 * of a Swedish number is never cut out of its own 12-digit form.
 */
import {
  CARD_EVIDENCE,
  CARD_MAX_DIGITS,
  CARD_MIN_DIGITS,
  canStartCard,
  cardEvidence,
  IIN_DIGITS,
  rangeCardCorroborated,
} from './cards';
import type { Candidates } from './candidates';
import { CH, isAsciiLetter, isDigit, isWordLike, MASK_CODE } from './chars';
import { ibanEndAt } from './iban';
import { REDACTION_KINDS } from './kinds';
import { fiCodeEndAt, seNumberValid } from './personal-ids';

function isDigitOrMask(c: number): boolean {
  return isDigit(c) || c === MASK_CODE;
}

/**
 * Whether a number may start at `s`. Not after a word character (`ID4111…`, the tail of a
 * token), not after `+` (`+358 40 …` is a phone number), not after a decimal point
 * (`3.4111…`).
 */
function leftOk(text: string, s: number): boolean {
  const c = text.charCodeAt(s - 1);
  if (isWordLike(c) || c === CH.plus) return false;
  return !((c === CH.dot || c === CH.comma) && isDigitOrMask(text.charCodeAt(s - 2)));
}

/** Whether a number may end at `e`: not glued to a word, not followed by decimals. */
function rightOk(text: string, e: number): boolean {
  const c = text.charCodeAt(e);
  if (isWordLike(c)) return false;
  return !((c === CH.dot || c === CH.comma) && isDigitOrMask(text.charCodeAt(e + 1)));
}

/** Digit groups are joined by a space, a dash, a dot (`4111.1111.1111.1111`) or a plus (Swedish ids). */
function isSeparator(c: number): boolean {
  return c === CH.space || c === CH.dash || c === CH.dot || c === CH.plus;
}

/**
 * Whether `[s, e)` is a whole run: no digit group joined to it on either side. A masked
 * group counts as digits, so that masking never makes a run whole (idempotence).
 */
function wholeRun(text: string, s: number, e: number): boolean {
  const joinedBefore = isSeparator(text.charCodeAt(s - 1)) && isDigitOrMask(text.charCodeAt(s - 2));
  return !joinedBefore && !(isSeparator(text.charCodeAt(e)) && isDigitOrMask(text.charCodeAt(e + 1)));
}

/**
 * Groups held at once. A window spans at most {@link CARD_MAX_DIGITS} groups, so groups are
 * processed in batches once that many later groups are known: memory stays constant on a
 * megabyte-long run, and nothing is allocated per group.
 */
const GROUP_BUFFER = 64;
const LOOKAHEAD = CARD_MAX_DIGITS;

/** Scratch state of one scan, allocated per call so the scanner stays re-entrant. */
interface Scan {
  readonly text: string;
  readonly out: Candidates;
  /** Start and end offsets of the buffered groups of the current run. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /**
   * Per group, its Luhn sums: `luhnEven` doubles the digits at even positions inside the
   * group (0, 2, …), `luhnOdd` those at odd positions; see {@link tryCards}.
   */
  readonly luhnEven: Int32Array;
  readonly luhnOdd: Int32Array;
  /** How many groups are buffered. */
  count: number;
  /** Whether buffered group 0 is the first group of its run. */
  runStart: boolean;
  /** The 10-digit form of a Swedish candidate. */
  readonly ten: Uint8Array;
}

/** Appends every numeric candidate in `text` to `out` (unsorted, possibly overlapping). */
export function scanNumbers(text: string, out: Candidates): void {
  const scan: Scan = {
    text,
    out,
    starts: new Int32Array(GROUP_BUFFER),
    ends: new Int32Array(GROUP_BUFFER),
    luhnEven: new Int32Array(GROUP_BUFFER),
    luhnOdd: new Int32Array(GROUP_BUFFER),
    count: 0,
    runStart: true,
    ten: new Uint8Array(10),
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isDigit(text.charCodeAt(i))) {
      i++;
      continue;
    }
    scan.count = 0;
    scan.runStart = true;
    let s = i;
    for (;;) {
      if (scan.count === GROUP_BUFFER) processGroups(scan, GROUP_BUFFER - LOOKAHEAD);
      const e = readGroup(scan, s);
      // Only a single separator joins groups: "1  2" or "1--2" ends the run.
      if (isSeparator(text.charCodeAt(e)) && isDigit(text.charCodeAt(e + 1))) {
        s = e + 1;
      } else {
        i = e;
        break;
      }
    }
    processGroups(scan, scan.count);
  }
}

/** `2d` with its digits summed (`2·7 = 14 → 5`): the Luhn value of a doubled digit. */
const LUHN_DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9] as const;

/**
 * Buffers the digit group starting at `s` with its Luhn sums, reading each of its digits
 * once; returns where the group ends.
 */
function readGroup(scan: Scan, s: number): number {
  const { text } = scan;
  let luhnEven = 0;
  let luhnOdd = 0;
  let e = s;
  for (let c = text.charCodeAt(e); isDigit(c); c = text.charCodeAt(++e)) {
    const d = c - 0x30;
    const doubled = LUHN_DOUBLED[d] ?? 0;
    if (((e - s) & 1) === 0) {
      luhnEven += doubled;
      luhnOdd += d;
    } else {
      luhnEven += d;
      luhnOdd += doubled;
    }
  }
  const g = scan.count++;
  scan.starts[g] = s;
  scan.ends[g] = e;
  scan.luhnEven[g] = luhnEven;
  scan.luhnOdd[g] = luhnOdd;
  return e;
}

/** Tests the windows starting at the first `upto` buffered groups, then drops those groups. */
function processGroups(scan: Scan, upto: number): void {
  const { text, starts, ends } = scan;
  for (let k = 0; k < upto; k++) {
    const s = starts[k] ?? 0;
    const len = (ends[k] ?? 0) - s;
    // Only a run's first group can follow letters directly (separators precede the others).
    if (k === 0 && scan.runStart && len >= 2) tryIban(scan, s);
    if (!leftOk(text, s)) continue;
    if (len === 6) tryFinnish(scan, s);
    trySwedish(scan, k);
    tryCards(scan, k);
  }
  starts.copyWithin(0, upto, scan.count);
  ends.copyWithin(0, upto, scan.count);
  scan.luhnEven.copyWithin(0, upto, scan.count);
  scan.luhnOdd.copyWithin(0, upto, scan.count);
  scan.count -= upto;
  scan.runStart = false;
}

/** IBAN check digits follow the two letters of a country code that start a word. */
function tryIban(scan: Scan, s: number): void {
  const { text } = scan;
  if (
    s < 2 ||
    !isAsciiLetter(text.charCodeAt(s - 1)) ||
    !isAsciiLetter(text.charCodeAt(s - 2)) ||
    isWordLike(text.charCodeAt(s - 3))
  ) {
    return;
  }
  const end = ibanEndAt(text, s - 2);
  if (end >= 0) scan.out.add(REDACTION_KINDS.iban, s - 2, end);
}

function tryFinnish(scan: Scan, s: number): void {
  const end = fiCodeEndAt(scan.text, s);
  if (end >= 0 && rightOk(scan.text, end)) {
    scan.out.add(REDACTION_KINDS.fiPersonalIdentityCode, s, end);
  }
}

/** Reads `width` digits at `from` into `ten` at `at`. */
function readDigits(ten: Uint8Array, text: string, from: number, width: number, at: number): void {
  for (let k = 0; k < width; k++) ten[at + k] = text.charCodeAt(from + k) - 0x30;
}

/**
 * Swedish numbers: `YYMMDDNNNN`, `YYMMDD-NNNN`, `YYMMDD+NNNN` (a hundred or older),
 * `YYYYMMDDNNNN`, `YYYYMMDD-NNNN`. The check digit covers the 10-digit form.
 */
function trySwedish(scan: Scan, k: number): void {
  const { text, starts, ends, ten } = scan;
  const s = starts[k] ?? 0;
  const e = ends[k] ?? 0;
  const len = e - s;
  let end = -1;
  let years: readonly number[] = [];
  if ((len === 10 || len === 12) && rightOk(text, e)) {
    if (len === 10) {
      readDigits(ten, text, s, 10, 0);
      const yy = (ten[0] ?? 0) * 10 + (ten[1] ?? 0);
      years = [1900 + yy, 2000 + yy];
    } else {
      readDigits(ten, text, s + 2, 10, 0);
      years = [Number(text.slice(s, s + 4))];
    }
    end = e;
  } else if ((len === 6 || len === 8) && k + 1 < scan.count) {
    const t = starts[k + 1] ?? 0;
    const u = ends[k + 1] ?? 0;
    const sep = text.charCodeAt(e);
    if (u - t !== 4 || !rightOk(text, u)) return;
    if (len === 6 && (sep === CH.dash || sep === CH.plus)) {
      readDigits(ten, text, s, 6, 0);
      const yy = (ten[0] ?? 0) * 10 + (ten[1] ?? 0);
      years = sep === CH.plus ? [1800 + yy, 1900 + yy] : [1900 + yy, 2000 + yy];
    } else if (len === 8 && sep === CH.dash) {
      readDigits(ten, text, s + 2, 6, 0);
      years = [Number(text.slice(s, s + 4))];
    } else {
      return;
    }
    readDigits(ten, text, t, 4, 6);
    end = u;
  } else {
    return;
  }
  // A 12-digit form names its century; anything outside 1800–2099 is not a birth year.
  if (years.length === 1 && ((years[0] ?? 0) < 1800 || (years[0] ?? 0) > 2099)) return;
  if (seNumberValid(ten, years)) {
    scan.out.add(REDACTION_KINDS.sePersonalIdentityNumber, s, end);
  }
}

/**
 * Whether `text[at, at + 4)` may be a group of four digits on its own. Masked characters
 * count as digits inside and as boundaries outside, so that whatever was a group of four
 * before masking still is one after (masking only removes candidates).
 */
function fourGroupAt(text: string, at: number): boolean {
  for (let p = at; p < at + 4; p++) if (!isDigitOrMask(text.charCodeAt(p))) return false;
  return !isDigit(text.charCodeAt(at - 1)) && !isDigit(text.charCodeAt(at + 4));
}

/**
 * Whether a grouped window `[s, e)` with separator `sep` is cut out of a longer run of
 * fours: a card is printed on its own, so `1206 5000 0000 0005` holds no 12-digit card
 * `5000 0000 0005`. A group of another length may stand next to it ("ref 123 4111 …", a
 * CVV after it), and so may a group of four that belongs to something joined otherwise
 * (the year of `28.11.2026`).
 */
function cutFromFours(text: string, s: number, e: number, sep: number): boolean {
  const joinedOtherwise = (c: number, digit: number): boolean => isSeparator(c) && c !== sep && isDigit(digit);
  const left =
    text.charCodeAt(s - 1) === sep &&
    fourGroupAt(text, s - 5) &&
    !joinedOtherwise(text.charCodeAt(s - 6), text.charCodeAt(s - 7));
  const right =
    text.charCodeAt(e) === sep &&
    fourGroupAt(text, e + 1) &&
    !joinedOtherwise(text.charCodeAt(e + 5), text.charCodeAt(e + 6));
  return left || right;
}

/**
 * The issuer prefix of a window starting at `s`: its first {@link IIN_DIGITS} digits, read
 * across separators. Read only for a window that passed Luhn, one in ten.
 */
function iinAt(text: string, s: number): number {
  let iin = 0;
  for (let p = s, digits = 0; digits < IIN_DIGITS; p++) {
    const c = text.charCodeAt(p);
    if (!isDigit(c)) continue;
    iin = iin * 10 + c - 0x30;
    digits++;
  }
  return iin;
}

/**
 * Cards: windows of whole groups starting at group `k`, 12–19 digits, one separator kind
 * (space, dash or dot),
 * printed the way cards are: ungrouped, in fours with a shorter last group
 * (`4111 1111 1111 1111`, `6759 6498 2643 8453 113`), or Amex/Diners 4-6-5 / 4-6-4.
 * The shape rule is what keeps phone numbers (`040 123 4567`) and dates out.
 *
 * The window's Luhn sum is kept for both parities (which digits are doubled depends on its
 * final length) from the groups' own sums: a group that starts at an even offset in the
 * window keeps its parities, one at an odd offset swaps them. Growing a window by a group
 * and testing it cost O(1), and the cheap tests (length, shape, Luhn: nine in ten fail) come
 * before those that read the text around the window.
 */
function tryCards(scan: Scan, k: number): void {
  const { text, starts, ends, luhnEven, luhnOdd } = scan;
  const s = starts[k] ?? 0;
  if (!canStartCard(text.charCodeAt(s) - 0x30)) return;
  const firstLen = (ends[k] ?? 0) - s;
  const secondLen = k + 1 < scan.count ? (ends[k + 1] ?? 0) - (starts[k + 1] ?? 0) : 0;
  let count = 0;
  // The window's Luhn sums with the digits at even / odd positions from its left doubled.
  let evenDoubled = 0;
  let oddDoubled = 0;
  let sep = -1;
  let allFours = true;
  for (let j = k; j < scan.count; j++) {
    const a = starts[j] ?? 0;
    const b = ends[j] ?? 0;
    const len = b - a;
    if (count + len > CARD_MAX_DIGITS) return;
    if (j > k) {
      const c = text.charCodeAt(a - 1);
      if (c === CH.plus) return;
      if (sep === -1) sep = c;
      else if (c !== sep) return;
    }
    if ((count & 1) === 0) {
      evenDoubled += luhnEven[j] ?? 0;
      oddDoubled += luhnOdd[j] ?? 0;
    } else {
      evenDoubled += luhnOdd[j] ?? 0;
      oddDoubled += luhnEven[j] ?? 0;
    }
    count += len;
    const groups = j - k + 1;
    const shapeOk =
      groups === 1 ||
      (allFours && len <= 4) ||
      (groups === 3 && firstLen === 4 && secondLen === 6 && (len === 5 || len === 4));
    // The check digit (last) is never doubled, so with an even length the even positions
    // from the left are doubled, with an odd length the odd ones.
    const luhn = (count & 1) === 0 ? evenDoubled : oddDoubled;
    if (
      count >= CARD_MIN_DIGITS &&
      shapeOk &&
      luhn % 10 === 0 &&
      rightOk(text, b) &&
      (groups === 1 || !cutFromFours(text, s, b, sep))
    ) {
      const evidence = cardEvidence(iinAt(text, s), count);
      if (
        evidence === CARD_EVIDENCE.brand ||
        (evidence === CARD_EVIDENCE.range && rangeCardCorroborated(text, s, groups > 1, wholeRun(text, s, b)))
      ) {
        scan.out.add(REDACTION_KINDS.paymentCard, s, b);
      }
    }
    allFours = allFours && len === 4;
    // Past three groups only the fours shape can still match.
    if (!allFours && groups >= 3) return;
  }
}
