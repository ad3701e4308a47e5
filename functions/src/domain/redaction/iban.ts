/**
 * IBANs (ISO 13616): country code, two check digits, a national BBAN; the length is fixed
 * per country and the whole passes mod 97. Written compact (`FI2112345600000785`) or in
 * groups of four separated by single spaces (`FI21 1234 5600 0007 85`), in any letter case.
 */
import { CH, isAsciiAlnum, isWordLike } from './chars';

/** IBAN length per country, from the SWIFT IBAN registry. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29,
  BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29,
  ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28,
  HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20,
  LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19,
  MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29,
  PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24,
  SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
  YE: 30,
};

/** {@link IBAN_LENGTHS} keyed by the two upper-case character codes: no string per lookup. */
const IBAN_LENGTH_BY_CODE = new Map(
  Object.entries(IBAN_LENGTHS).map(([cc, n]) => [(cc.charCodeAt(0) << 8) | cc.charCodeAt(1), n]),
);

/** Value of an IBAN character for mod 97: digits 0–9, letters (any case) 10–35. */
function ibanValue(c: number): number {
  if (c <= 0x39) return c - 0x30;
  return (c | 0x20) - 0x61 + 10;
}

/**
 * The end offset of a valid IBAN that starts at `start` (its country code), or -1.
 *
 * The caller has already checked that `start` begins a word. Two forms are accepted:
 * compact, or the printed form with a single space after every fourth character (a mix is
 * not an IBAN as anyone writes it). The character after the IBAN must not continue the
 * word, so an IBAN is never cut out of a longer token. The form fixes where the IBAN must
 * end, so most look-alikes are rejected before their characters are read; nothing is
 * allocated, because the scanner calls this for every "two letters and two digits" it meets.
 */
export function ibanEndAt(text: string, start: number): number {
  const length = IBAN_LENGTH_BY_CODE.get(((text.charCodeAt(start) & ~0x20) << 8) | (text.charCodeAt(start + 1) & ~0x20));
  if (length === undefined) return -1;
  const grouped = text.charCodeAt(start + 4) === CH.space;
  const end = grouped ? start + length + Math.floor((length - 1) / 4) : start + length;
  if (isWordLike(text.charCodeAt(end))) return -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const space = grouped && (i - start) % 5 === 4;
    if (space ? c !== CH.space : !isAsciiAlnum(c)) return -1;
  }
  // ISO 7064 mod 97-10 over BBAN + country + check digits (the first four move to the end).
  let r = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let k = start, seen = 0; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === CH.space) continue;
      const inHead = seen < 4;
      seen++;
      if (inHead !== (pass === 1)) continue;
      const v = ibanValue(c);
      r = (v < 10 ? r * 10 + v : r * 100 + v) % 97;
    }
  }
  return r === 1 ? end : -1;
}
