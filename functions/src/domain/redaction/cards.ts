/**
 * Payment card numbers: an issuer prefix (IIN) that a card scheme actually uses, a length
 * that scheme issues, and a valid Luhn digit. The prefix and length rules matter as much as
 * Luhn: one random number in ten passes Luhn, and order numbers are random numbers.
 */

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
 * Card schemes by IIN range (ISO/IEC 7812 as published by the schemes). Maestro's broad
 * 50/56–69 ranges come last so the narrower schemes document their own lengths first;
 * a number is a card if ANY scheme accepts it.
 */
const CARD_SCHEMES: readonly CardScheme[] = [
  { name: 'visa', prefixes: [['4', '4']], minLength: 13, maxLength: 19, lengths: [13, 16, 19] },
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
  { name: 'unionpay', prefixes: [['62', '62']], minLength: 16, maxLength: 19 },
  { name: 'mir', prefixes: [['2200', '2204']], minLength: 16, maxLength: 19 },
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

/** The shortest and longest card numbers any scheme issues. */
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

/**
 * Whether a number of `length` digits that starts with the six digits `iin` belongs to a
 * scheme that issues that length. The Luhn check is the scanner's: it keeps the sum
 * incrementally while it grows a window, so it tests Luhn first (nine in ten fail) and the
 * scheme table only after.
 */
export function cardSchemeAccepts(iin: number, length: number): boolean {
  for (const scheme of COMPILED) {
    if (!scheme.accepts(length)) continue;
    for (const r of scheme.ranges) {
      const p = Math.floor(iin / r.divisor);
      if (p >= r.lo && p <= r.hi) return true;
    }
  }
  return false;
}

/** Whether a card number can start with this digit (the scanner skips other groups at once). */
export function canStartCard(firstDigit: number): boolean {
  return firstDigit >= 2 && firstDigit <= 6;
}
