/**
 * Nordic personal identity numbers: the Finnish henkilötunnus and the Swedish personnummer
 * and samordningsnummer. Both carry a birth date that must exist and a check character.
 */
import { isWordLike } from './chars';
import { dateExists, FI_CHECK_CHARS, luhnValid } from './checksums';

/**
 * Century of a Finnish code by its separator. Since 2023 `Y X W V U` also mean the 1900s and
 * `B C D E F` the 2000s, so that a day's codes do not run out; `+` is the 1800s.
 */
const FI_CENTURY: Readonly<Record<string, number>> = {
  '+': 1800,
  '-': 1900,
  Y: 1900,
  X: 1900,
  W: 1900,
  V: 1900,
  U: 1900,
  A: 2000,
  B: 2000,
  C: 2000,
  D: 2000,
  E: 2000,
  F: 2000,
};

function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 0x30;
  // NaN and non-digits both fail the range test.
  return d >= 0 && d <= 9 ? d : -1;
}

/** The value of `width` digits at `i`, or -1 if any of them is not a digit. */
function numberAt(text: string, i: number, width: number): number {
  let v = 0;
  for (let k = 0; k < width; k++) {
    const d = digitAt(text, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The end of a Finnish personal identity code `DDMMYYCNNNK` whose six date digits start at
 * `start`, or -1. The caller has checked the six digits and the boundary before them.
 * Lower-case separators and check characters are accepted: people type them.
 */
export function fiCodeEndAt(text: string, start: number): number {
  const century = FI_CENTURY[(text[start + 6] ?? '').toUpperCase()];
  if (century === undefined) return -1;
  const individual = numberAt(text, start + 7, 3);
  if (individual < 0) return -1;
  const check = (text[start + 10] ?? '').toUpperCase();
  if (check === '' || isWordLike(text.charCodeAt(start + 11))) return -1;
  const day = numberAt(text, start, 2);
  const month = numberAt(text, start + 2, 2);
  const year = century + numberAt(text, start + 4, 2);
  if (!dateExists(year, month, day)) return -1;
  const n = numberAt(text, start, 6) * 1000 + individual;
  return FI_CHECK_CHARS[n % 31] === check ? start + 11 : -1;
}

/**
 * Whether ten digits `YYMMDDNNNK` are a Swedish personal identity number for one of the
 * candidate birth `years`. The 10-digit form does not say the century (only `+` says "100
 * years or older", relative to today, which pure code does not know), so the caller passes
 * every century the notation allows and the date must exist in one of them. Days 61–91 are
 * samordningsnummer (coordination numbers: day + 60).
 */
export function seNumberValid(ten: ArrayLike<number>, years: readonly number[]): boolean {
  const month = (ten[2] ?? 0) * 10 + (ten[3] ?? 0);
  let day = (ten[4] ?? 0) * 10 + (ten[5] ?? 0);
  if (day > 60) day -= 60;
  if (!years.some((y) => dateExists(y, month, day))) return false;
  return luhnValid(ten, 10);
}
