/**
 * Check digits and calendar checks. Every detector validates a candidate with one of these,
 * so a pattern alone never masks anything.
 */

/**
 * Luhn (mod 10) over `digits[0..length)`, the check digit last. Used by payment cards and
 * by Swedish personal identity numbers.
 */
export function luhnValid(digits: ArrayLike<number>, length: number = digits.length): boolean {
  let sum = 0;
  // Walk from the check digit leftwards: every second digit is doubled.
  for (let i = length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits[i] ?? 0;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Days in a Gregorian month; `month` is 1–12. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether `year-month-day` exists on the Gregorian calendar. */
export function dateExists(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The check characters of the Finnish personal identity code, indexed by the mod-31 remainder. */
export const FI_CHECK_CHARS = '0123456789ABCDEFHJKLMNPRSTUVWXY';
