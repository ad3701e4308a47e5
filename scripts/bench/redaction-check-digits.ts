/**
 * Check-digit helpers for the redaction corpus (Luhn, IBAN mod 97, Finnish and Swedish identity
 * codes), written independently of the production code, so a shared bug in a checksum cannot
 * make both sides agree.
 */
/** The Luhn check digit that completes `partial`. */
export function luhnDigit(partial: string): string {
  let sum = 0;
  const digits = [...partial].reverse().map(Number);
  digits.forEach((d, i) => {
    // The check digit will sit to the right, so the rightmost partial digit is doubled.
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  });
  return String((10 - (sum % 10)) % 10);
}

/** A card number: `prefix` + `body` padded to `length - 1` digits + Luhn digit. */
export function card(prefix: string, length: number, body = '1234567890123456789'): string {
  const partial = (prefix + body).slice(0, length - 1);
  return partial + luhnDigit(partial);
}

/** Groups a digit string: `[4, 4, 4, 4]` → "4111 1111 1111 1111". */
export function group(digits: string, sizes: number[], sep = ' '): string {
  const out: string[] = [];
  let at = 0;
  for (const size of sizes) {
    out.push(digits.slice(at, at + size));
    at += size;
  }
  return out.join(sep);
}

function mod97(numeric: string): number {
  let r = 0;
  for (const ch of numeric) r = (r * 10 + Number(ch)) % 97;
  return r;
}

function toNumeric(s: string): string {
  return [...s.toUpperCase()].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join('');
}

/** An IBAN with correct check digits for `country` and `bban`, compact and upper-case. */
export function iban(country: string, bban: string): string {
  const check = 98 - mod97(toNumeric(bban + country + '00'));
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Groups an IBAN in fours, the printed form. */
export function ibanPrinted(compact: string): string {
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

const FI_CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';

/** A Finnish personal identity code for `ddmmyy`, century sign and individual number. */
export function fiCode(ddmmyy: string, sign: string, individual: string): string {
  return `${ddmmyy}${sign}${individual}${FI_CHECK[Number(ddmmyy + individual) % 31]}`;
}

/** A Swedish personal identity number: `yymmdd` + 3 digits + Luhn digit over the ten. */
export function seNumber(yymmdd: string, serial: string): string {
  return yymmdd + serial + luhnDigit(yymmdd + serial);
}
