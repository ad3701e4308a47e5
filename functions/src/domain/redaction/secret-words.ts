/**
 * Secrets named in prose: a high-entropy token that a secret word introduces, in English,
 * Finnish or Swedish, in any inflected form — "API-avaimemme on 9f8e…", "nyckeln vi använder
 * är Zm9v…", "hemligheten: …", "the token we were given is …".
 *
 * A secret word is a stem ("avai[mn]", "nyck[el|l]", "hemlighet", "salaisuu", "token",
 * "secret", "credential", "key") with whatever inflection or compound follows or precedes it
 * ("pääsyavaimemme", "åtkomstnyckeln"); English "key" must start its word, so "monkey" and
 * "keyboard" are not keys. The token it introduces is either the next word ("token X",
 * "API-avain X", "api_key=X") or, within the same sentence and at most
 * {@link MAX_WORDS_BETWEEN} words on, a word that follows a connector: a copula ("is", "on",
 * "är"), `:` or `=`. The token itself must look machine-made (see {@link isHighEntropyToken}),
 * so "the key is patience" and "avain on hukassa" stay, and an id or a hash that no secret
 * word introduces is never read at all.
 *
 * Every token in the window that qualifies is masked, not just the first: masking then leaves
 * the window's words and their boundaries as they were, so a second pass finds nothing new.
 */
import { isLetterOrDigit, isWhitespace, MASK_CODE } from './chars';
import type { Candidates } from './candidates';
import { REDACTION_KINDS } from './kinds';
import { plausibleValue, type Span } from './phrases';

/**
 * Stems, matched case-insensitively. The readings run over the whole text, so they skip the
 * `u` flag (slower in V8): every letter here is in the BMP and folds case without it.
 */
const SECRET_STEMS = /avai[mn]|salaisuu|nyckel|nyckl|hemlighet|token|secret|credential|key/gi;

/** Stems that must start their word; everything else may end a compound ("pääsyavain"). */
const WORD_START_STEMS = new Set(['key', 'credential']);
/** English stems take only a plural `s`; the others any inflection (Finnish and Swedish). */
const ENGLISH_STEMS = new Set(['key', 'credential', 'secret']);
/** The longest inflected or compound tail after a stem ("avaimillemmekin"). */
const MAX_SUFFIX = 14;
/** Words between the secret word and its connector ("nyckeln som vi använder är"). */
const MAX_WORDS_BETWEEN = 5;

/** Copulas and other words after which the value follows ("is", "on", "är", "="). */
const CONNECTORS: ReadonlySet<string> = new Set([
  'is', 'was', 'are', 'were', 'be', 'been', 'reads', 'equals', 'to',
  'on', 'oli', 'ovat', 'olivat', 'ollut', 'olisi', 'kuuluu',
  'är', 'var', 'blir', 'blev', 'varit', 'lyder', 'till',
  ':', '=', '-', '–', '—', '=>', '->',
]);

/** Words that may stand between the connector and the value ("on nyt X", "är fortfarande X"). */
const ADVERBS: ReadonlySet<string> = new Set([
  'now', 'still', 'currently', 'actually', 'just', 'simply', 'always',
  'nyt', 'edelleen', 'yhä', 'vieläkin', 'siis', 'nykyään', 'aina',
  'nu', 'fortfarande', 'alltså', 'numera', 'alltid',
]);

/** Words that continue a list of values ("the secrets are X and Y"). */
const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'or', 'ja', 'tai', 'sekä', 'och', 'eller', 'samt', '&']);

const LONGEST_LINK_WORD = Math.max(...[...CONNECTORS, ...ADVERBS, ...CONJUNCTIONS].map((w) => w.length));

/** Quotes and brackets that may wrap a token. */
const OPENERS = new Set([...'"\'`([{<“‘«„:='].map((c) => c.charCodeAt(0)));
const CLOSERS = new Set([...'.,;:!?)]}>"\'`”’»'].map((c) => c.charCodeAt(0)));
/** Punctuation after a word that ends the sentence and so the window. */
const SENTENCE_END = new Set([...'.!?;'].map((c) => c.charCodeAt(0)));

const MIN_TOKEN = 16;
const MAX_TOKEN = 512;

function isHexChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Base64 (`+`, `/`), base64url (`-`, `_`) and base62 characters. */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2b ||
    c === 0x2f ||
    c === 0x2d ||
    c === 0x5f
  );
}

/** 0 digit, 1 upper, 2 lower, 3 symbol of base64 (`+ / - _`). */
function charClass(c: number): number {
  if (c >= 0x30 && c <= 0x39) return 0;
  if (c >= 0x41 && c <= 0x5a) return 1;
  if (c >= 0x61 && c <= 0x7a) return 2;
  return 3;
}

/**
 * Whether `text[start, end)` looks machine-made: 16–512 characters of hex, base64, base64url
 * or base62 (with up to two `=` of padding) holding both letters and digits, and — unless it
 * is all hex of one letter case — changing character class (digit, upper, lower, symbol)
 * the way random characters do: at least every third character in mixed case, every fifth
 * in one case. Words with numbers change class rarely ("version2release2026": 3 changes in
 * 19, "CustomerSupport2024": 5 in 19); a random token of 16 characters changes about 9 times
 * in mixed case and 6 times in one case.
 */
function isHighEntropyToken(text: string, start: number, end: number): boolean {
  let e = end;
  while (e > start && e > end - 2 && text.charCodeAt(e - 1) === 0x3d /* = */) e--;
  const length = e - start;
  if (length < MIN_TOKEN || length > MAX_TOKEN) return false;
  const seen = [false, false, false, false];
  let hex = true;
  let changes = 0;
  let previous = -1;
  for (let i = start; i < e; i++) {
    const c = text.charCodeAt(i);
    if (!isTokenChar(c)) return false;
    const cls = charClass(c);
    seen[cls] = true;
    if (previous !== -1 && cls !== previous) changes++;
    previous = cls;
    hex = hex && isHexChar(c);
  }
  const [digit, upper, lower] = seen;
  if (!digit || !(upper || lower)) return false;
  if (hex && !(upper && lower)) return true;
  const mixedCase = upper === true && lower === true;
  return changes >= (length - 1) * (mixedCase ? MIXED_CASE_CHANGES : ONE_CASE_CHANGES);
}

/** Share of neighbouring characters of different class a token needs (see above). */
const MIXED_CASE_CHANGES = 0.3;
const ONE_CASE_CHANGES = 0.2;

/**
 * Whether the value a secret word introduces is a secret: 16+ characters with letters and
 * digits, not a placeholder nor a URL; when it is made only of token characters (base64,
 * base62, hex), with their distribution too ({@link isHighEntropyToken}), so
 * "Customersupport2024" is a word while `Xy9.k~2Lm!pQ8#rT4vW` is a secret.
 */
function isKeywordSecretValue(text: string, v: Span): boolean {
  if (v.end - v.start < MIN_TOKEN) return false;
  let letter = false;
  let digit = false;
  let tokenChars = true;
  for (let i = v.start; i < v.end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digit = true;
    else if (isLetterOrDigit(c)) letter = true;
    // The mask counts as a token character: a partly masked value must not pass more easily
    // than it did before masking (idempotence).
    tokenChars = tokenChars && (isTokenChar(c) || c === 0x3d || c === MASK_CODE);
  }
  if (!letter || !digit || !plausibleValue(text, v.start, v.end, MIN_TOKEN)) return false;
  return !tokenChars || isHighEntropyToken(text, v.start, v.end);
}

/** A whitespace-separated chunk of text, as the window walks it. */
interface Chunk {
  readonly start: number;
  readonly end: number;
  /** Whether a line break lies between this chunk and the one before it. */
  readonly afterLineBreak: boolean;
  /** Whether the chunk holds a masked character. */
  readonly masked: boolean;
}

function nextChunk(text: string, from: number): Chunk | null {
  let p = from;
  let afterLineBreak = false;
  while (p < text.length && isWhitespace(text.charCodeAt(p))) {
    const c = text.charCodeAt(p);
    if (c === 0x0a || c === 0x0d) afterLineBreak = true;
    p++;
  }
  if (p >= text.length) return null;
  let e = p;
  let masked = false;
  for (let c = text.charCodeAt(e); e < text.length && !isWhitespace(c); c = text.charCodeAt(++e)) {
    if (c === MASK_CODE) masked = true;
  }
  return { start: p, end: e, afterLineBreak, masked };
}

/** The token inside `[start, end)` without wrapping quotes, brackets and punctuation. */
function tokenIn(text: string, start: number, end: number): Span {
  let s = start;
  let e = end;
  while (s < e && OPENERS.has(text.charCodeAt(s))) s++;
  while (e > s && CLOSERS.has(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

function isConnector(text: string, chunk: Chunk, word: string): boolean {
  const last = text.charCodeAt(chunk.end - 1);
  return last === 0x3a /* : */ || last === 0x3d /* = */ || CONNECTORS.has(word);
}

/**
 * The end of the secret word whose stem `stem` was matched at `[start, stemEnd)`, or -1 when
 * the match is not a secret word (glued where it must start a word, an English stem with a
 * tail that is not a plural, a tail too long to be an inflection).
 */
function secretWordEnd(text: string, start: number, stemEnd: number, stem: string): number {
  const before = text.charCodeAt(start - 1);
  if (WORD_START_STEMS.has(stem) && isLetterOrDigit(before)) {
    // "apikey", "secretkey", "accesskey": the stems glued to a word that names a key.
    const word = text.slice(Math.max(0, start - 6), start).toLowerCase();
    if (!/(?:api|access|secret|private|signing|master)$/.test(word)) return -1;
  }
  let e = stemEnd;
  while (e - stemEnd <= MAX_SUFFIX && isLetterOrDigit(text.charCodeAt(e))) e++;
  const tail = e - stemEnd;
  if (tail > MAX_SUFFIX) return -1;
  if (ENGLISH_STEMS.has(stem) && tail > 0) {
    const suffix = text.slice(stemEnd, e).toLowerCase();
    if (suffix !== 's' && !(stem === 'secret' && /^(?:key|keys|s)$/.test(suffix))) return -1;
  }
  return e;
}

/**
 * Appends to `out` every token that the secret word ending at `wordEnd` introduces: the
 * rest of its own chunk after `:` or `=` ("api_key=X"), the next chunk, and any chunk after
 * a connector within {@link MAX_WORDS_BETWEEN} words of the same sentence.
 *
 * The window ends at the chunk that holds the next secret word (starting at `nextWord`),
 * which reads on with a window of its own: so a text full of secret words costs a chunk
 * per word, not a window per word. It also ends at a chunk with masked characters, which
 * may have held a sentence end or a secret word before masking: a second pass then never
 * reads further than the first, and finds nothing new.
 */
function introducedTokens(text: string, wordEnd: number, nextWord: number, out: Candidates): void {
  const push = (s: number, e: number): boolean => {
    const t = tokenIn(text, s, e);
    if (t.end <= t.start || !isKeywordSecretValue(text, t)) return false;
    out.add(REDACTION_KINDS.secret, t.start, t.end);
    return true;
  };
  // "api_key=X", "token:X": the value glued to the keyword's own chunk.
  let p = wordEnd;
  while (p < text.length && !isWhitespace(text.charCodeAt(p))) p++;
  if (p > wordEnd) {
    let q = wordEnd;
    while (q < p && text.charCodeAt(q) !== 0x3a && text.charCodeAt(q) !== 0x3d) q++;
    if (q < p) push(q + 1, p);
    if ((SENTENCE_END.has(text.charCodeAt(p - 1)) && q === p) || nextWord < p) return;
  }
  const ownChunkEndsWithColon = p > wordEnd && (text.charCodeAt(p - 1) === 0x3a || text.charCodeAt(p - 1) === 0x3d);
  // First the window's chunks, by position only; most windows hold no chunk long enough
  // to be a token, and are left without reading a word.
  const chunks: Chunk[] = [];
  let long = false;
  for (let n = 0; n <= MAX_WORDS_BETWEEN + 1; n++) {
    const chunk = nextChunk(text, p);
    // A line break ends the window, except right after "key:" ("API key:\nX").
    if (chunk === null || (chunk.afterLineBreak && !(n === 0 && ownChunkEndsWithColon))) break;
    chunks.push(chunk);
    long = long || chunk.end - chunk.start >= MIN_TOKEN;
    if (SENTENCE_END.has(text.charCodeAt(chunk.end - 1)) || chunk.masked || nextWord < chunk.end) break;
    p = chunk.end;
  }
  if (!long) return;
  // Whether the chunk at hand follows a connector, perhaps through adverbs ("on nyt X"), or
  // continues a list of tokens ("X and Y", "X, Y").
  let connected = false;
  let afterToken = false;
  chunks.forEach((chunk, n) => {
    const token = (n === 0 || connected) && push(chunk.start, chunk.end);
    // Connectors, adverbs and conjunctions are short: longer chunks are never sliced.
    const word = chunk.end - chunk.start <= LONGEST_LINK_WORD ? text.slice(chunk.start, chunk.end).toLowerCase() : '';
    connected =
      isConnector(text, chunk, word) ||
      (connected && ADVERBS.has(word)) ||
      (afterToken && CONJUNCTIONS.has(word)) ||
      (token && text.charCodeAt(chunk.end - 1) === 0x2c /* , */);
    afterToken = token;
  });
}

/**
 * Appends every secret that a secret word introduces in `text` to `out`. Each stem match
 * is followed by its word's tail, and the scan resumes after that word, so a text of
 * repeated stems is read once; the secret words are listed first so that each window knows
 * where the next one starts.
 */
export function scanSecretWords(text: string, out: Candidates): void {
  const stems = new RegExp(SECRET_STEMS);
  const words: Span[] = [];
  let m: RegExpExecArray | null;
  while ((m = stems.exec(text)) !== null) {
    const start = m.index;
    const wordEnd = secretWordEnd(text, start, stems.lastIndex, m[0].toLowerCase());
    if (wordEnd < 0) {
      let e = stems.lastIndex;
      while (isLetterOrDigit(text.charCodeAt(e)) || text.charCodeAt(e) === MASK_CODE) e++;
      stems.lastIndex = e;
      continue;
    }
    words.push({ start, end: wordEnd });
    stems.lastIndex = wordEnd;
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as Span;
    introducedTokens(text, word.end, words[i + 1]?.start ?? Number.POSITIVE_INFINITY, out);
  }
}
