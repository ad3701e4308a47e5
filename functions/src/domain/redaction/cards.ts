/**
 * Payment card numbers: an issuer prefix (IIN) in a range that ISO/IEC 7812 allocates to
 * payment cards, a length of 12–19 digits, and a valid Luhn digit. Luhn alone is weak: one
 * random number in ten passes it, and order numbers are random numbers. So a number is a
 * card on one of two kinds of evidence:
 *
 * - **brand**: its prefix and length are those a card scheme issues (the table below).
 *   Masked wherever it stands, whatever precedes it.
 * - **range**: its first digit is a major industry identifier that ISO/IEC 7812 gives to
 *   payment cards (1 airlines, 2 airlines and financial, 3 travel and entertainment, 4–5
 *   banking, 6 merchandising and banking) but no scheme in the table issues that prefix at
 *   that length — a brand this table does not know yet. Masked only with corroboration (see
 *   {@link rangeCardCorroborated}): a card word before it, or the printed grouping of a
 *   card with no reference word ("order", "lasku", "faktura") before it.
 */
import { isLetterOrDigit, MASK_CODE } from './chars';

interface CardScheme {
  readonly name: string;
  /** Inclusive prefix ranges, compared on as many leading digits as the bounds have. */
  readonly prefixes: readonly (readonly [string, string])[];
  readonly minLength: number;
  readonly maxLength: number;
  /** Lengths between min and max that the scheme does not issue. */
  readonly lengths?: readonly number[];
}

/**
 * Card schemes by IIN range, as published by the schemes. Maestro's broad 50/56–69 ranges
 * come last so the narrower schemes document their own lengths first; a number is a brand
 * card if ANY scheme accepts it.
 */
const CARD_SCHEMES: readonly CardScheme[] = [
  // MII 1: airlines. UATP (Universal Air Travel Plan) cards are 15 digits starting with 1.
  { name: 'uatp', prefixes: [['1', '1']], minLength: 15, maxLength: 15 },
  // Russia's national system (GPN) issues under 1946 as well as under MII 5 and 6.
  { name: 'gpn', prefixes: [['1946', '1946']], minLength: 16, maxLength: 19, lengths: [16, 18, 19] },
  { name: 'mir', prefixes: [['2200', '2204']], minLength: 16, maxLength: 19 },
  { name: 'borica', prefixes: [['2205', '2205']], minLength: 16, maxLength: 16 },
  {
    name: 'mastercard',
    prefixes: [
      ['51', '55'],
      ['2221', '2720'],
    ],
    minLength: 16,
    maxLength: 16,
  },
  {
    name: 'amex',
    prefixes: [
      ['34', '34'],
      ['37', '37'],
    ],
    minLength: 15,
    maxLength: 15,
  },
  { name: 'china-t-union', prefixes: [['31', '31']], minLength: 19, maxLength: 19 },
  { name: 'jcb', prefixes: [['3528', '3589']], minLength: 16, maxLength: 19 },
  {
    name: 'diners',
    prefixes: [
      ['300', '305'],
      ['3095', '3095'],
      ['36', '36'],
      ['38', '39'],
    ],
    minLength: 14,
    maxLength: 19,
  },
  { name: 'visa', prefixes: [['4', '4']], minLength: 13, maxLength: 19, lengths: [13, 16, 19] },
  {
    name: 'verve',
    prefixes: [
      ['506099', '506198'],
      ['650002', '650027'],
    ],
    minLength: 16,
    maxLength: 19,
    lengths: [16, 18, 19],
  },
  {
    name: 'discover',
    prefixes: [
      ['6011', '6011'],
      ['644', '649'],
      ['65', '65'],
      ['622126', '622925'],
    ],
    minLength: 16,
    maxLength: 19,
  },
  {
    name: 'rupay',
    prefixes: [
      ['60', '60'],
      ['65', '65'],
      ['81', '82'],
      ['508', '508'],
    ],
    minLength: 16,
    maxLength: 16,
  },
  { name: 'unionpay', prefixes: [['62', '62']], minLength: 16, maxLength: 19 },
  {
    name: 'maestro',
    prefixes: [
      ['50', '50'],
      ['56', '69'],
    ],
    minLength: 12,
    maxLength: 19,
  },
];

/** The shortest and longest card numbers (ISO/IEC 7812: up to 19 digits). */
export const CARD_MIN_DIGITS = 12;
export const CARD_MAX_DIGITS = 19;

/** A prefix range on the first `IIN_DIGITS` digits: `floor(iin / divisor)` in `[lo, hi]`. */
interface PrefixRange {
  readonly lo: number;
  readonly hi: number;
  readonly divisor: number;
}

interface CompiledScheme {
  readonly ranges: readonly PrefixRange[];
  readonly accepts: (length: number) => boolean;
}

/** Issuer identification numbers have six digits; every prefix above is at most that long. */
export const IIN_DIGITS = 6;

/** The table above with numeric bounds, computed once: the check runs per candidate window. */
const COMPILED: readonly CompiledScheme[] = CARD_SCHEMES.map((s) => ({
  ranges: s.prefixes.map(([lo, hi]) => ({
    lo: Number(lo),
    hi: Number(hi),
    divisor: 10 ** (IIN_DIGITS - lo.length),
  })),
  accepts: (length: number) =>
    length >= s.minLength && length <= s.maxLength && (s.lengths === undefined || s.lengths.includes(length)),
}));

/** How strongly a Luhn-valid number's prefix and length say "card". */
export const CARD_EVIDENCE = {
  /** A scheme issues this prefix at this length. */
  brand: 'brand',
  /** A payment-card industry (MII 1–6), but no scheme in the table: needs corroboration. */
  range: 'range',
} as const;
export type CardEvidence = (typeof CARD_EVIDENCE)[keyof typeof CARD_EVIDENCE];

/**
 * The evidence that a Luhn-valid number of `length` digits starting with the six digits
 * `iin` is a card, or `null` when it cannot be one. The Luhn check is the scanner's: it
 * keeps the sum incrementally while it grows a window, so it tests Luhn first (nine in ten
 * fail) and the scheme table only after.
 */
export function cardEvidence(iin: number, length: number): CardEvidence | null {
  if (length < CARD_MIN_DIGITS || length > CARD_MAX_DIGITS) return null;
  for (const scheme of COMPILED) {
    if (!scheme.accepts(length)) continue;
    for (const r of scheme.ranges) {
      const p = Math.floor(iin / r.divisor);
      if (p >= r.lo && p <= r.hi) return CARD_EVIDENCE.brand;
    }
  }
  const mii = Math.floor(iin / 10 ** (IIN_DIGITS - 1));
  return mii >= 1 && mii <= 6 ? CARD_EVIDENCE.range : null;
}

/**
 * Whether a card number can start with this digit (the scanner skips other groups at
 * once): the major industry identifiers that ISO/IEC 7812 gives to payment cards, 1–6, and
 * 8, where RuPay issues cards under 81 and 82 (brand evidence only).
 */
export function canStartCard(firstDigit: number): boolean {
  return (firstDigit >= 1 && firstDigit <= 6) || firstDigit === 8;
}

/**
 * Words that say a number is a card, as substrings of a word so that compounds count
 * ("luottokorttini", "kortnumret", "creditcard"). "kort" is also Swedish for "short": a
 * short-range number after it still needs Luhn and a payment-card prefix.
 */
const CARD_WORDS = ['card', 'kort', 'visa', 'mastercard', 'maestro', 'amex', 'uatp', 'diners', 'jcb', 'unionpay', 'discover', 'rupay', 'debit', 'credit', 'luotto'];
/** Word starts that say a number is something else: orders, invoices, references, phones. */
const REFERENCE_PREFIXES = [
  'order', 'invoice', 'referen', 'booking', 'tracking', 'ticket', 'customer', 'account', 'phone', 'mobile',
  'tilaus', 'lasku', 'viite', 'varaus', 'seuranta', 'lähetys', 'tiketti', 'asiakas', 'puhelin', 'numero',
  'faktura', 'beställning', 'bokning', 'spårning', 'sändning', 'ärende', 'kundnummer', 'telefon', 'mobil', 'nummer',
];
/** Short reference words, matched whole: as prefixes they would match "now", "telling", "cases". */
const REFERENCE_WORDS = new Set(['ref', 'nr', 'no', 'nro', 'tel', 'puh', 'gsm', 'case', 'id']);
/** How far back the context reaches: a few words, so the cost per candidate is constant. */
const CONTEXT_CHARS = 40;
const CONTEXT_WORDS = 3;

function isContextWordChar(c: number): boolean {
  return isLetterOrDigit(c) || c === MASK_CODE;
}

/**
 * What the last few words before `start` say: `card` if any is a card word ("korttini
 * numero on"), else `reference` if any is a reference word, else `null`. A word with masked
 * characters counts as a reference word: it may have been one before masking, and masking
 * must only ever remove candidates (a second pass finds nothing new).
 */
function contextBefore(text: string, start: number): 'card' | 'reference' | null {
  let p = start;
  let reference = false;
  const limit = Math.max(0, start - CONTEXT_CHARS);
  for (let words = 0; words < CONTEXT_WORDS && p > limit; words++) {
    while (p > limit && !isContextWordChar(text.charCodeAt(p - 1))) p--;
    const end = p;
    while (p > limit && isContextWordChar(text.charCodeAt(p - 1))) p--;
    if (p === end) break;
    const word = text.slice(p, end).toLowerCase();
    if (word.includes('*')) reference = true;
    else if (CARD_WORDS.some((w) => word.includes(w))) return 'card';
    else if (REFERENCE_WORDS.has(word) || REFERENCE_PREFIXES.some((w) => word.startsWith(w))) reference = true;
  }
  return reference ? 'reference' : null;
}

/**
 * Whether a range-evidence number at `[start, end)` is corroborated as a card: a card word
 * in the three words before it, or — with no reference word there — the printed grouping
 * of a card (`grouped`: two or more groups joined by one separator, in fours or 4-6-5/4-6-4)
 * standing alone, not cut out of a longer run of groups.
 */
export function rangeCardCorroborated(text: string, start: number, grouped: boolean, wholeRun: boolean): boolean {
  const context = contextBefore(text, start);
  if (context === 'card') return true;
  return context === null && grouped && wholeRun;
}
