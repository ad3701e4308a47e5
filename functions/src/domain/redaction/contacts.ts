/**
 * Contact data, masked when an organisation's policy asks for it: email addresses, and phone
 * numbers of Finland, Sweden and international (`+`) forms, found and validated with
 * libphonenumber-js (its metadata knows each country's number plans; a pattern would not).
 */
import type { CountryCode } from 'libphonenumber-js';
import type { Candidates } from './candidates';
import { isAsciiAlnum, isWordLike, MASK_CODE } from './chars';
import { REDACTION_KINDS, type ContactKind } from './kinds';

const AT = 0x40;
const DOT = 0x2e;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalChar(c: number): boolean {
  return isAsciiAlnum(c) || c === DOT || c === 0x5f || c === 0x25 || c === 0x2b || c === 0x2d;
}

function isDomainChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x2d || c === DOT;
}

/**
 * Email addresses: read outwards from each `@` (so the work is bounded per `@`, whatever
 * the text): a local part of up to 64 characters, a domain of dot-separated labels ending in
 * a top-level domain of two or more letters.
 */
function scanEmails(text: string, out: Candidates): void {
  // Where the last address found ends: the next one's local part starts after it, as it does once the
  // first is masked ("anna@example.fi.+anna@example.fi" is two addresses in both passes).
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > lastEnd && at - s < MAX_LOCAL && isLocalChar(text.charCodeAt(s - 1))) s--;
    while (s < at && text.charCodeAt(s) === DOT) s++;
    if (s === at || isWordLike(text.charCodeAt(s - 1)) || text.charCodeAt(s - 1) === AT) continue;
    let e = at + 1;
    while (e < text.length && e - at <= MAX_DOMAIN && isDomainChar(text.charCodeAt(e))) e++;
    // Glued to a word or a mask ("example.fi.****"): masking must not make an address appear.
    if (isWordLike(text.charCodeAt(e))) continue;
    // A trailing dot ends the sentence; a trailing dash means the run was something else
    // ("example.fi-040…"), and cutting it off would make a second pass find an address.
    while (e > at + 1 && text.charCodeAt(e - 1) === DOT) e--;
    if (text.charCodeAt(e - 1) === 0x2d) continue;
    const domain = text.slice(at + 1, e);
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$/.test(domain)) continue;
    if (isWordLike(text.charCodeAt(e)) || text.charCodeAt(e) === AT) continue;
    out.add(REDACTION_KINDS.email, s, e);
    lastEnd = e;
  }
}

type PhoneLibrary = typeof import('libphonenumber-js');
let phoneLibrary: PhoneLibrary | undefined;

/**
 * libphonenumber-js, loaded on the first text that could hold a phone number: its metadata
 * costs about 40 ms to load, and every function's logger redacts, so importing it up front
 * would add that to every cold start (health checks and most events never scan a phone number).
 */
function phoneNumbers(): PhoneLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  phoneLibrary ??= require('libphonenumber-js') as PhoneLibrary;
  return phoneLibrary;
}

/** National numbers are read as Finnish and as Swedish; `+` numbers as themselves. */
const PHONE_COUNTRIES: readonly CountryCode[] = ['FI', 'SE'];
/** Dates that a number plan would accept as digits: `2026-11-28`, `28.11.2026`, `01/12/26`. */
const DATE_LIKE = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})$/;

/**
 * Phone numbers: what libphonenumber-js finds and validates, written the way people write a
 * phone number — international with `+` (or `00`), or national with the trunk prefix `0`
 * (`040 123 4567`, `070-123 45 67`, `09 1234 5678`). Bare digit strings without either
 * (order numbers, versions, dates) are left alone.
 */
function scanPhones(text: string, out: Candidates): void {
  // Nothing to find without digits: the library's scan is the costly part.
  if (!/\d{3}/.test(text)) return;
  // The library reads a number in its context, so a number it passed over next to one it found
  // can show once that one is masked: read again with the found ones masked until nothing new
  // shows (a second redaction pass finds nothing the first left).
  let reading = text;
  for (let round = 0; round < MAX_PHONE_ROUNDS; round++) {
    const found = phonesIn(reading);
    if (found.length === 0) return;
    for (const [start, end] of found) out.add(REDACTION_KINDS.phoneNumber, start, end);
    reading = found.reduce((masked, [start, end]) => masked.slice(0, start) + '*'.repeat(end - start) + masked.slice(end), reading);
  }
}

/** Readings of one text with the phone numbers found so far masked; more rounds found nothing new in the corpus and property tests. */
const MAX_PHONE_ROUNDS = 3;

/** The phone numbers the library finds in `text` for any of the countries, as `[start, end)`. */
function phonesIn(text: string): [number, number][] {
  const found: [number, number][] = [];
  for (const country of PHONE_COUNTRIES) {
    for (const phone of phoneNumbers().findPhoneNumbersInText(text, { defaultCountry: country })) {
      const raw = text.slice(phone.startsAt, phone.endsAt);
      const written = raw.replace(/^\(/, '');
      if (!/^(?:\+|00|0)/.test(written) || DATE_LIKE.test(raw) || masksNear(text, phone.startsAt, phone.endsAt)) continue;
      if (!phone.number.isValid()) continue;
      found.push([phone.startsAt, phone.endsAt]);
    }
  }
  return found;
}

/** How far around a number the library's reading looks at its neighbours. */
const PHONE_MARGIN = 3;

/**
 * Whether a masked character stands within {@link PHONE_MARGIN} of `[start, end)`. The
 * library reads a number in its context (digits next to it make it another number), so a
 * number next to a mask is left alone: otherwise masking a card glued to a phone number
 * would let a second pass find the phone number that the first did not.
 */
function masksNear(text: string, start: number, end: number): boolean {
  for (let i = Math.max(0, start - PHONE_MARGIN); i < Math.min(text.length, end + PHONE_MARGIN); i++) {
    if (text.charCodeAt(i) === MASK_CODE) return true;
  }
  return false;
}

/** Appends the contact data of the `kinds` asked for to `out` (unsorted, possibly overlapping). */
export function scanContacts(text: string, kinds: readonly ContactKind[], out: Candidates): void {
  if (kinds.includes(REDACTION_KINDS.email)) scanEmails(text, out);
  if (kinds.includes(REDACTION_KINDS.phoneNumber)) scanPhones(text, out);
}
