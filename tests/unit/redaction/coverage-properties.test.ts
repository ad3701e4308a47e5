/**
 * Property tests for the coverage of issue 12: a card of every range ISO/IEC 7812 allocates
 * to payment cards, and a high-entropy secret after a secret word in English, Finnish or
 * Swedish in inflected forms. The ranges are listed here from the schemes' publications,
 * apart from the production table, so that a range missing there fails here.
 */
import fc from 'fast-check';
import { redactText } from '../../../functions/src/domain/redaction';
import { card, group, luhnDigit } from './corpus';

/** [first prefix, last prefix, issued lengths] per brand range. */
const BRAND_RANGES: readonly (readonly [string, string, readonly number[]])[] = [
  ['1', '1', [15]], // UATP
  ['1946', '1946', [16, 18, 19]], // GPN
  ['2200', '2204', [16, 17, 18, 19]], // Mir
  ['2205', '2205', [16]], // BORICA
  ['2221', '2720', [16]], // Mastercard 2-series
  ['300', '305', [14, 15, 16, 17, 18, 19]], // Diners Club
  ['3095', '3095', [14, 16, 19]],
  ['31', '31', [19]], // China T-Union
  ['34', '34', [15]], // American Express
  ['36', '36', [14, 19]],
  ['37', '37', [15]],
  ['3528', '3589', [16, 17, 18, 19]], // JCB
  ['38', '39', [14, 16, 19]],
  ['4', '4', [13, 16, 19]], // Visa
  ['50', '50', [12, 16, 19]], // Maestro, Dankort
  ['506099', '506198', [16, 18, 19]], // Verve
  ['508', '508', [16]], // RuPay
  ['51', '55', [16]], // Mastercard
  ['56', '59', [12, 13, 16, 19]], // Maestro
  ['60', '60', [16]], // RuPay
  ['6011', '6011', [16, 19]], // Discover
  ['62', '62', [16, 17, 18, 19]], // UnionPay
  ['622126', '622925', [16, 19]], // Discover (UnionPay co-brand)
  ['644', '649', [16, 19]], // Discover
  ['65', '65', [16, 19]], // Discover, RuPay
  ['650002', '650027', [16, 18, 19]], // Verve
  ['66', '69', [12, 16, 19]], // Maestro
  ['81', '82', [16]], // RuPay
];

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A prefix inside `[lo, hi]` (same number of digits). */
function prefixIn(lo: string, hi: string): fc.Arbitrary<string> {
  return fc.integer({ min: Number(lo), max: Number(hi) }).map((n) => String(n).padStart(lo.length, '0'));
}

const SEPARATORS = [' ', '-', '.'] as const;

/** Prints `number` plain or in fours with one of the separators people type. */
const printed = (number: string, style: number): string => {
  if (style === 0) return number;
  const sizes = [4, 4, 4, 4, 4].slice(0, Math.ceil(number.length / 4));
  return group(number, sizes, SEPARATORS[(style - 1) % SEPARATORS.length]);
};

const brandCard = fc
  .tuple(fc.constantFrom(...BRAND_RANGES), fc.nat(), digits(19), fc.integer({ min: 0, max: 3 }))
  .chain(([[lo, hi, lengths], pick, body, style]) =>
    prefixIn(lo, hi).map((prefix) => {
      const length = lengths[pick % lengths.length] ?? 16;
      return { number: card(prefix, length, body), style };
    }),
  );

/** Card words of the three languages, inflected; any payment-card industry number after them is a card. */
const CARD_CONTEXTS = ['card number', 'my card', 'kortti', 'korttini numero on', 'luottokortilla', 'kortet', 'mitt kreditkort', 'betalkortet är'];

const rangeCard = fc.tuple(
  fc.integer({ min: 1, max: 6 }),
  fc.integer({ min: 12, max: 19 }),
  digits(19),
  fc.constantFrom(...CARD_CONTEXTS),
);

const NEUTRAL_BEFORE = ['Hello,', 'Hei,', 'Hej,', 'paid with', 'maksoin', 'betalade med', '(', 'x'];
const neutral = fc.constantFrom(...NEUTRAL_BEFORE);

function cardFound(text: string, value: string): boolean {
  const start = text.indexOf(value);
  const result = redactText(text);
  const masked = result.findings.some((f) => f.kind === 'payment_card' && f.start <= start && f.end >= start + value.length);
  return masked && !result.text.includes(value);
}

describe('card coverage properties', () => {
  it('when a Luhn-valid number of any brand range and issued length is printed plain or in fours with spaces, dashes or dots, then it is masked', () => {
    fc.assert(
      fc.property(brandCard, neutral, ({ number, style }, before) => {
        const value = printed(number, style);
        expect(cardFound(`${before} ${value} ok`, value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a Luhn-valid number of a payment-card industry (MII 1–6) of 12–19 digits follows a card word, then it is masked', () => {
    fc.assert(
      fc.property(rangeCard, ([mii, length, body, context]) => {
        const value = card(String(mii), length, body);
        expect(cardFound(`${context} ${value} ok`, value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('when a payment-card industry number of 16 digits is printed in fours on its own, then it is masked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), digits(19), fc.integer({ min: 1, max: 3 }), (mii, body, style) => {
        const value = printed(card(String(mii), 16, body), style);
        expect(cardFound(`Hello, ${value} ok`, value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('when the Luhn digit of any such number is wrong, then nothing is masked, after a card word too', () => {
    fc.assert(
      fc.property(brandCard, rangeCard, fc.integer({ min: 1, max: 9 }), ({ number }, [mii, length, body, context], delta) => {
        for (const good of [number, card(String(mii), length, body)]) {
          const wrong = String((Number(luhnDigit(good.slice(0, -1))) + delta) % 10);
          const broken = good.slice(0, -1) + wrong;
          // A 12-digit string can be a Swedish identity number; no card may be reported.
          expect(redactText(`${context} ${broken} ok`).findings.filter((f) => f.kind === 'payment_card')).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('when an order or invoice number outside the brand ranges is Luhn-valid, then it is kept, plain or grouped', () => {
    const REFERENCES = ['order', 'tilausnumero', 'ordernummer', 'invoice', 'lasku', 'faktura', 'viite', 'ref'];
    fc.assert(
      fc.property(fc.constantFrom('12', '13', '28', '29', '33', '7', '9'), digits(19), fc.constantFrom(...REFERENCES), fc.integer({ min: 0, max: 3 }), (prefix, body, word, style) => {
        const value = printed(card(prefix, 16, body), style);
        expect(redactText(`${word} ${value} ok`).findings).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

const HEX = [...'0123456789abcdef'];
const B62 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const B64 = [...B62, '+', '/'];

const chars = (alphabet: readonly string[], min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((c) => c.join(''));

/** Random tokens as issuers make them: hex, base62, base64 with padding. */
const token = fc
  .oneof(
    chars(HEX, 16, 64),
    chars(B62, 16, 64),
    chars(B64, 18, 60).map((s) => `${s}==`),
  )
  // A random string may, rarely, have no digit or no letter at all: not a token of this kind.
  .filter((t) => /\d/.test(t) && /[a-z]/i.test(t))
  // One in a few hundred random strings changes character class as seldom as words do.
  .filter((t) => classChanges(t) >= (t.replace(/=+$/, '').length - 1) * (/[a-z]/.test(t) && /[A-Z]/.test(t) ? 0.3 : 0.2));

function classChanges(t: string): number {
  const cls = (c: string): number => (/\d/.test(c) ? 0 : /[A-Z]/.test(c) ? 1 : /[a-z]/.test(c) ? 2 : 3);
  const body = t.replace(/=+$/, '');
  let n = 0;
  for (let i = 1; i < body.length; i++) if (cls(body[i] ?? '') !== cls(body[i - 1] ?? '')) n++;
  return n;
}

/** Secret words in inflected forms, each with a connector that introduces the token. */
const SECRET_PHRASES = [
  'api key: ', 'The API key is ', 'our secret is now ', 'the tokens are ', 'client_secret=', 'token ', 'access key = ',
  'API-avain ', 'API-avaimemme on ', 'avaimeni: ', 'pääsyavaimen arvo on ', 'salaisuus on ', 'salaisuutemme on nyt ', 'tokenimme on ', 'käytämme avainta ',
  'API-nyckeln: ', 'nyckeln vi använder är ', 'åtkomstnyckeln är ', 'hemligheten är ', 'hemligheterna är ', 'vår token är ', 'tokenet: ',
];

describe('secret-word coverage properties', () => {
  it('when a high-entropy token follows a secret word in any of the three languages, then it is masked as a secret', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_PHRASES), token, neutral, (phrase, value, before) => {
        const text = `${before} ${phrase}${value} ok`;
        const start = text.indexOf(value);
        const result = redactText(text);
        expect(result.findings).toContainEqual({ kind: 'secret', start, end: start + value.length });
        expect(result.text).not.toContain(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('when a high-entropy token or hash follows no secret word, then it is kept', () => {
    const CONTEXTS = ['commit ', 'request id ', 'tunniste ', 'ärende ', 'build ', 'SHA-256: ', 'tiiviste on ', 'hash är '];
    fc.assert(
      fc.property(fc.constantFrom(...CONTEXTS), fc.oneof(chars(HEX, 16, 64), chars(B62, 16, 64)), (context, value) => {
        // A random hex string is, one time in 97, a valid IBAN of a country whose code is hex (AD, BE…).
        expect(redactText(`${context}${value} ok`).findings.filter((f) => f.kind === 'secret')).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('when a secret word introduces an ordinary word or a word with a number, then nothing is masked', () => {
    const WORDS = ['internationalization', 'asiakastukipalvelu', 'kundtjänstärendet', 'Customersupport2024', 'salasana2024kissa', 'version2release2026', 'hukassa', 'tålamod'];
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_PHRASES.filter((p) => !/pass|salasana/i.test(p))), fc.constantFrom(...WORDS), (phrase, word) => {
        expect(redactText(`${phrase}${word} ok`).findings.filter((f) => f.start >= phrase.length)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
