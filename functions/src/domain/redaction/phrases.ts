/**
 * Credentials given in prose: "my password is X", "salasana: X", "lösenordet är X",
 * "api key = X". The keyword is found by the trigger scan (`detect.ts`); this module reads
 * what follows it — a connector, then the value — and decides whether the value is a
 * credential or an ordinary word ("the password is wrong").
 *
 * Every pattern here is anchored at the end of the keyword (sticky) or runs on a bounded
 * slice, and every repetition is bounded, so the work per keyword is constant and
 * "password password password …" stays linear.
 */
import { CH, isLetterOrDigit, isWhitespace, MASK_CODE } from './chars';
import type { Candidates } from './candidates';
import { REDACTION_KINDS } from './kinds';

const SP = '[ \\t]';
const GAP = `${SP}{1,8}`;

function alternation(words: readonly string[]): string {
  // Longest first, so "is now" is not cut short by "is"; spaces match any short gap.
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/ /g, GAP))
    .join('|');
}

/** "is", "on", "är" and friends: the copula that introduces the value. */
const VERBS = alternation([
  'is',
  'was',
  'will be',
  'would be',
  'has been',
  'had been',
  'on',
  'oli',
  'olisi',
  'on ollut',
  'är',
  'var',
  'blir',
  'blev',
  'har varit',
]);

/** Words between the copula and the value that do not end the phrase ("is now X"). */
const ADVERBS = alternation([
  'now',
  'still',
  'currently',
  'actually',
  'just',
  'simply',
  'temporarily',
  'nyt',
  'edelleen',
  'yhä',
  'vieläkin',
  'siis',
  'nykyään',
  'tällä hetkellä',
  'väliaikaisesti',
  'nu',
  'fortfarande',
  'alltså',
  'numera',
  'tillfälligt',
]);

/** "changed to X" after the keyword or after the copula. */
const CHANGES = alternation([
  'changed to',
  'set to',
  'reset to',
  'updated to',
  'ändrat till',
  'ändrats till',
  'ändrades till',
  'bytt till',
  'byttes till',
  'satt till',
]);

/**
 * "the password for my account is X": a preposition opens up to three words. Not "on": it
 * is the Finnish copula, and "salasana on X ja tunnus on Y" must not read Y as the value.
 */
const PREPOSITIONS = alternation(['for', 'to', 'of', 'at', 'in', 'till', 'för', 'på', 'i', 'av']);

const COLON = `${SP}{0,3}[:=]${SP}{0,8}(?:\\r?\\n${SP}{0,8})?`;
const COPULA = `${GAP}(?:${VERBS})(?:${GAP}(?:${ADVERBS}))?(?:${GAP}(?:${CHANGES}))?(?:${SP}{0,3}:${SP}{0,8}|${GAP})`;
const CHANGED = `${GAP}(?:${CHANGES})${GAP}`;

// The readings run once per keyword, so they skip the `u` flag (slower in V8): every letter
// in them is in the BMP and folds case without it (`/är/i` matches "ÄR").

/** "password: X", "pass=X": the only reading accepted after ambiguous keywords. */
const COLON_READING = new RegExp(COLON, 'iy');
/** "password: X", "password is X", "password changed to X" (also after a prepositional phrase). */
const DIRECT_READING = new RegExp(`(?:${COLON}|${COPULA}|${CHANGED})`, 'iy');
/** A preposition right after the keyword. */
const PREPOSITION = new RegExp(`${GAP}(?:${PREPOSITIONS})`, 'iy');
/** Most words a prepositional phrase may hold before the copula ("for my work account"). */
const MAX_PHRASE_WORDS = 3;
const MAX_WORD = 40;
const MAX_GAP = 8;

/** Characters that end a word of a prepositional phrase: sentence punctuation, quotes, `=`, the mask. */
const PHRASE_WORD_STOPS = '.,;:=!?*"\'`“”‘’()[]{}<>';
/** 1 for ASCII characters that may be in a phrase word: the test runs per character. */
const ASCII_PHRASE_WORD = Uint8Array.from({ length: 0x80 }, (_, c) =>
  c > 0x20 && c !== 0x7f && !PHRASE_WORD_STOPS.includes(String.fromCharCode(c)) ? 1 : 0,
);
const NON_ASCII_PHRASE_WORD_STOPS = new Set(
  [...PHRASE_WORD_STOPS].map((c) => c.charCodeAt(0)).filter((c) => c >= 0x80),
);

function isPhraseWordChar(c: number): boolean {
  if (c < 0x80) return ASCII_PHRASE_WORD[c] === 1;
  return !Number.isNaN(c) && !isWhitespace(c) && !NON_ASCII_PHRASE_WORD_STOPS.has(c);
}

/** Whether the `word.length` characters before `end` are `word`, case-insensitively (ASCII). */
function endsWithWord(text: string, end: number, word: string): boolean {
  if (isPhraseWordChar(text.charCodeAt(end - word.length - 1))) return false;
  for (let i = 0; i < word.length; i++) {
    if ((text.charCodeAt(end - word.length + i) | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

function isSpaceOrTab(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** The end of a gap of 1–8 spaces or tabs at `p`, or -1. */
function gapEnd(text: string, p: number): number {
  let q = p;
  while (q - p < MAX_GAP && isSpaceOrTab(text.charCodeAt(q))) q++;
  return q === p || isSpaceOrTab(text.charCodeAt(q)) ? -1 : q;
}

/**
 * "… password to X" and "… lösenord till X" count only after a verb of changing within the
 * two words before the keyword: "I changed my password to X", "jag bytte lösenord till X".
 * Without it "my password to log in" would read as a value. Tested on a bounded slice, so
 * the cost per keyword is constant.
 */
const CHANGE_BEFORE =
  /(?:chang(?:e|ed|ing)|set(?:ting)?|reset(?:ting)?|updat(?:e|ed|ing)|ändra(?:de|t)?|byt(?:a|te|t)?|sätt(?:a|er)?|satte)(?:[ \t]+[\p{L}']{1,20}){0,2}[ \t]+$/iu;
const CHANGE_LOOKBACK = 60;

/**
 * After the Finnish translative ("vaihdoin salasanaksi X", "salasanaksi on asetettu X") the
 * value follows the keyword directly, or after a copula and a participle.
 */
const TRANSLATIVE_CONNECTOR = new RegExp(
  `${GAP}(?:(?:on|oli)${GAP})?(?:(?:vaihdettu|asetettu|muutettu|annettu|vaihdettiin|asetettiin|muutettiin)${GAP})?`,
  'iuy',
);

/** How a keyword may be followed by its value. */
export const CONNECTOR_STYLES = {
  /** Colon, equals, copula ("is", "on", "är"), "changed to". */
  any: 'any',
  /** Colon or equals only: the keyword is too common in prose ("pass", "lösen"). */
  colonOnly: 'colon_only',
  /** The Finnish translative: the value follows directly. */
  translative: 'translative',
} as const;
export type ConnectorStyle = (typeof CONNECTOR_STYLES)[keyof typeof CONNECTOR_STYLES];

/** Where the sticky `reading` ends when it matches at `at`, or -1; `test`, so no match array is built. */
function readAt(reading: RegExp, text: string, at: number): number {
  reading.lastIndex = at;
  return reading.test(text) ? reading.lastIndex : -1;
}

/**
 * Appends to `out` every password that the keyword at `[start, end)` introduces: the value
 * at each position where one may start, one per reading of the words that follow. All
 * readings count, not the first that matches, because masking can break one reading (its
 * words become `*`) and expose another: a value that only a later reading finds must
 * already be found in the first pass, or a second redaction would find something new. Two
 * readings that reach the same value give the same span, which the resolver merges.
 */
export function scanPasswordValues(
  text: string,
  start: number,
  end: number,
  style: ConnectorStyle,
  out: Candidates,
): void {
  if (style === CONNECTOR_STYLES.translative) {
    pushPassword(text, readAt(TRANSLATIVE_CONNECTOR, text, end), out);
    return;
  }
  if (style === CONNECTOR_STYLES.colonOnly) {
    pushPassword(text, readAt(COLON_READING, text, end), out);
    return;
  }
  pushPassword(text, readAt(DIRECT_READING, text, end), out);
  // "password for my account is X": a preposition, then one to three words, each of which
  // may be followed by the connector. Each word is a whole token (no punctuation, no mask
  // character), so each count of words is exactly one reading.
  let p = readAt(PREPOSITION, text, end);
  if (p < 0) return;
  if (endsWithWord(text, p, 'to') || endsWithWord(text, p, 'till')) {
    const q = gapEnd(text, p);
    if (q >= 0 && CHANGE_BEFORE.test(text.slice(Math.max(0, start - CHANGE_LOOKBACK), start))) {
      pushPassword(text, q, out);
    }
  }
  for (let words = 0; words < MAX_PHRASE_WORDS; words++) {
    const q = gapEnd(text, p);
    if (q < 0) return;
    let w = q;
    while (w - q < MAX_WORD && isPhraseWordChar(text.charCodeAt(w))) w++;
    if (w === q || isPhraseWordChar(text.charCodeAt(w))) return;
    p = w;
    pushPassword(text, readAt(DIRECT_READING, text, p), out);
  }
}

/** Appends the value starting at `at` (none when -1) to `out` when it is a password. */
function pushPassword(text: string, at: number, out: Candidates): void {
  if (at < 0) return;
  const end = valueEnd(text, at);
  const start = valueStart(text, at);
  if (end >= 0 && plausibleValue(text, start, end, MIN_PASSWORD)) out.add(REDACTION_KINDS.password, start, end);
}

/** Values shorter than this are read as words, not passwords. */
const MIN_PASSWORD = 3;

/** Closing quote for each opening quote a value may be wrapped in (code units). */
const QUOTES: ReadonlyMap<number, number> = new Map(
  [
    ['"', '"'],
    ["'", "'"],
    ['`', '`'],
    ['“', '”'],
    ['”', '”'],
    ['‘', '’'],
    ['’', '’'],
    ['«', '»'],
    ['»', '»'],
    ['„', '“'],
  ].map(([open, close]) => [(open ?? '').charCodeAt(0), (close ?? '').charCodeAt(0)]),
);

/** The quote that closes `c`, or -1 when `c` opens no quote; ASCII without a map lookup. */
function closingQuote(c: number): number {
  if (c < 0x80) return c === 0x22 || c === 0x27 || c === 0x60 ? c : -1;
  return QUOTES.get(c) ?? -1;
}

/** Longest value read after a keyword: longer tokens are pasted data, not a typed password. */
const MAX_VALUE = 256;
/** Longest quoted value: quotes may hold spaces ("my password is 'correct horse'"). */
const MAX_QUOTED = 64;

/** Sentence punctuation that ends a value rather than belonging to it. */
const TRAILING = new Set([...'.,;:?)]}>"\'`”’»'].map((c) => c.charCodeAt(0)));
const ASCII_TRAILING = Uint8Array.from({ length: 0x80 }, (_, c) => (TRAILING.has(c) ? 1 : 0));

function isTrailing(c: number): boolean {
  return c < 0x80 ? ASCII_TRAILING[c] === 1 : TRAILING.has(c);
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Where the value read at `p` ends: a quoted string on the same line (the value starts
 * after the quote), or the next token without trailing sentence punctuation (after an
 * unclosed quote too). -1 when there is nothing credible to mask. Only the end is returned,
 * and the start is {@link valueStart}: a text dense with findings reads a value every dozen
 * characters, and a span object per value was a tenth of its garbage.
 */
function valueEnd(text: string, p: number): number {
  const n = text.length;
  const close = closingQuote(text.charCodeAt(p));
  if (close !== -1) {
    const limit = Math.min(n, p + 1 + MAX_QUOTED);
    for (let q = p + 1; q < limit; q++) {
      const c = text.charCodeAt(q);
      if (c === CH.lf || c === CH.cr) break;
      if (c === close) return q > p + 1 ? q : -1;
    }
    // An unclosed quote: the token after it is still the value.
    p++;
  }
  let e = p;
  while (e < n && !isWhitespace(text.charCodeAt(e))) {
    if (e - p >= MAX_VALUE) return -1;
    e++;
  }
  while (e > p && isTrailing(text.charCodeAt(e - 1))) e--;
  return e > p ? e : -1;
}

/** Where the value read at `p` starts: after its opening quote, if any. */
function valueStart(text: string, p: number): number {
  return closingQuote(text.charCodeAt(p)) === -1 ? p : p + 1;
}

/**
 * Words that follow "password is" / "salasana on" / "lösenordet är" in complaints rather
 * than in disclosures ("the password is wrong", "salasana on vanhentunut"), and a few
 * placeholders. Compared lower-case, after trailing punctuation is removed.
 */
const STOP_WORDS: ReadonlySet<string> = new Set([
  // English
  'wrong', 'incorrect', 'invalid', 'expired', 'expiring', 'not', 'no', 'correct', 'right',
  'missing', 'lost', 'forgotten', 'forgot', 'required', 'needed', 'mandatory', 'optional',
  'too', 'being', 'reset', 'changed', 'change', 'changing', 'blocked', 'locked', 'the', 'a',
  'an', 'my', 'your', 'his', 'her', 'their', 'our', 'its', 'it', 'this', 'that', 'these',
  'those', 'empty', 'blank', 'same', 'different', 'weak', 'strong', 'ok', 'okay', 'fine',
  'broken', 'also', 'hidden', 'stored', 'saved', 'sent', 'shown', 'visible', 'rejected',
  'accepted', 'working', 'valid', 'unknown', 'secure', 'insecure', 'long', 'short', 'there',
  'here', 'in', 'at', 'on', 'for', 'to', 'and', 'or', 'but', 'what', 'which', 'how', 'when',
  'where', 'why', 'who', 'updated', 'set', 'none', 'null', 'nil', 'n/a', 'na', 'tbd', 'true',
  'false', 'yes', 'see', 'below', 'above', 'attached', 'enclosed', 'case-sensitive',
  'sensitive', 'now', 'still', 'just', 'only', 'very', 'so', 'really', 'definitely',
  'probably', 'asking', 'requested', 'disabled', 'enabled', 'active', 'inactive', 'temporary',
  'new', 'old', 'generated', 'encrypted', 'masked', 'redacted', 'removed', 'deleted',
  'unchanged', 'protected', 'less', 'more', 'all', 'any', 'something', 'nothing', 'anything',
  'everything', 'please', 'thanks', 'i', 'we', 'you', 'he', 'she', 'they', 'me', 'us', 'them',
  'him', 'should', 'must', 'will', 'would', 'can', 'could', 'did', 'does', 'do', 'has',
  'have', 'had', 'is', 'was', 'be', 'been', 'about', 'like', 'with', 'without',
  'never', 'always', 'again', 'incorrectly', 'lowercase', 'uppercase', 'characters',
  // after "changed my password to": purposes, not values ("… to log in")
  'log', 'sign', 'access', 'get', 'make', 'use', 'login', 'continue', 'proceed', 'something',
  // Finnish
  'väärä', 'väärin', 'virheellinen', 'vanhentunut', 'vanha', 'uusi', 'unohtunut',
  'unohdettu', 'hukassa', 'kadonnut', 'ei', 'oikea', 'oikein', 'sama', 'eri', 'liian',
  'lukittu', 'lukossa', 'vaihdettu', 'muutettu', 'muuttunut', 'jo', 'tyhjä', 'mennyt',
  'tuntematon', 'pakollinen', 'heikko', 'vahva', 'nyt', 'edelleen', 'yhä', 'se', 'tämä',
  'tuo', 'mikä', 'kuten', 'ja', 'tai', 'mutta', 'umpeutunut', 'hyvä', 'huono', 'salainen',
  'kunnossa', 'toimiva', 'voimassa', 'lukkiutunut', 'estetty', 'käytössä', 'sellainen',
  'minulla', 'minun', 'sinun', 'hänen', 'meidän', 'teidän', 'heidän', 'niin', 'vielä',
  'vaikea', 'helppo', 'pitkä', 'lyhyt', 'lähetetty', 'tallennettu', 'poistettu',
  'piilotettu', 'hukattu', 'vaihtunut', 'nollattu', 'annettu', 'kelvoton', 'kelpaa',
  'vähintään', 'käy', 'pitää', 'tulee', 'täytyy', 'kannattaa', 'valitaan', 'valita', 'jokin',
  'jotain', 'vain', 'kelvollinen',
  // Swedish
  'fel', 'felaktigt', 'felaktig', 'ogiltigt', 'ogiltig', 'utgånget', 'utgången', 'utgått',
  'inte', 'ej', 'glömt', 'glömd', 'rätt', 'korrekt', 'samma', 'annat', 'för', 'låst',
  'spärrat', 'spärrad', 'tomt', 'tom', 'nytt', 'nya', 'gammalt', 'gamla', 'bytt', 'ändrat',
  'nu', 'fortfarande', 'redan', 'svagt', 'starkt', 'det', 'den', 'som', 'och', 'eller',
  'men', 'borta', 'okänt', 'obligatoriskt', 'giltigt', 'aktivt', 'mitt', 'ditt', 'hans',
  'hennes', 'vårt', 'ert', 'deras', 'ett', 'en', 'också', 'bara', 'väldigt', 'så',
  'skickat', 'sparat', 'borttaget', 'dolt', 'tillfälligt', 'krypterat', 'återställt',
  'förlorat', 'slut',
]);

/**
 * A code unit as `toLowerCase` folds it, for ASCII and Latin-1; -1 beyond, where folding
 * can change a word's length ("İ") and the value is compared the slow way.
 */
function foldedCode(c: number): number {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)) return c + 0x20;
  return c < 0x100 ? c : -1;
}

/** Folds one more code unit into a word hash (FNV-1a over the folded code units). */
function hashStep(hash: number, folded: number): number {
  return Math.imul(hash ^ folded, 0x01000193);
}
const HASH_SEED = 0x811c9dc5 | 0;

/**
 * One flag per value of a hash's low 16 bits, set for every stop word's hash: a value whose
 * flag is clear is no stop word, decided without slicing and lower-casing it (and without a
 * `Set` lookup, which cost as much again). Text dense with findings ("password is password
 * is …") reads a value every dozen characters. About 300 of 65 536 flags are set, so an
 * ordinary value rarely takes the slow way.
 */
const STOP_WORD_FLAGS = new Uint8Array(0x10000);
for (const w of STOP_WORDS) {
  STOP_WORD_FLAGS[[...w].reduce((h, c) => hashStep(h, foldedCode(c.charCodeAt(0))), HASH_SEED) & 0xffff] = 1;
}

/** ASCII-case-insensitive: no character beyond ASCII lower-cases to one of "http". */
function startsWithHttp(text: string, start: number, end: number): boolean {
  const scheme = (text.charCodeAt(start + 4) | 0x20) === 0x73 /* s */ ? 'https://' : 'http://';
  if (end - start < scheme.length) return false;
  for (let i = 0; i < scheme.length; i++) {
    const c = text.charCodeAt(start + i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== scheme.charCodeAt(i)) return false;
  }
  return true;
}

/** Common checks for any credential value `text[start, end)`: not a placeholder, not already masked, not a URL. */
export function plausibleValue(text: string, start: number, end: number, minLength: number): boolean {
  if (end - start < minLength) return false;
  let alnum = false;
  let masked = true;
  let hash = HASH_SEED;
  let foldable = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== MASK_CODE && !isWhitespace(c)) masked = false;
    if (isLetterOrDigit(c)) alnum = true;
    const folded = foldedCode(c);
    if (folded < 0) foldable = false;
    else hash = hashStep(hash, folded);
  }
  // An already masked value is not a second finding: that keeps redaction idempotent.
  if (masked || !alnum || startsWithHttp(text, start, end)) return false;
  if (foldable && STOP_WORD_FLAGS[hash & 0xffff] === 0) return true;
  return !STOP_WORDS.has(text.slice(start, end).toLowerCase());
}
