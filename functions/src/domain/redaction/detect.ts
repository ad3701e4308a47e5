/**
 * Detection: three linear passes over the text — the numeric scanner (`numbers.ts`), one
 * keyword/prefix scan for phrases and secret shapes, and the secret-word scan
 * (`secret-words.ts`) — then a deterministic resolution of overlapping candidates
 * (`candidates.ts`).
 */
import { Candidates, type Detection } from './candidates';
import { CH, isWordLike } from './chars';
import { scanContacts } from './contacts';
import { DEFAULT_REDACTION_POLICY, REDACTION_KINDS, type RedactionPolicy } from './kinds';
import { scanNumbers } from './numbers';
import { type ConnectorStyle, CONNECTOR_STYLES, scanPasswordValues, type Span } from './phrases';
import { scanSecretWords } from './secret-words';
import { authorizationValueAt, bearerValueAt, pemAt, SHAPE_PREFIXES, tokenStartOk } from './shapes';

/**
 * The trigger groups, in match priority: each is a case-insensitive alternation of
 * literals (which cannot backtrack), longer spellings first so that "password" is not read
 * as "pass" nor "salasanaksi" as "salasana". The capture group that matched gives the role
 * without re-testing the word: a password keyword's role is how its value is connected to
 * it. Secret words ("api key", "token", "avain", "nyckeln") are read by `secret-words.ts`,
 * which also finds their inflected and compound forms.
 */
type TriggerRole = ConnectorStyle | 'shape' | 'bearer' | 'authorization';

const TRIGGER_GROUPS: readonly { readonly pattern: string; readonly role: TriggerRole }[] = [
  {
    // "salasanaksi", "salasanakseni": "as the password", followed by the value.
    pattern: 'salasanak(?:seni|sesi|si)',
    role: CONNECTOR_STYLES.translative,
  },
  {
    pattern:
      'password|passwd|passphrase|passcode|pwd|pw|salasana(?:ni|si|mme|nne)?|l[öo]senord(?:et)?|' +
      'pin[ -]?(?:code|koodi|kod(?:en)?)|pin',
    role: CONNECTOR_STYLES.any,
  },
  {
    // Too common in prose to accept "is": only "pass: X" and "lösen: X" count.
    pattern: 'pass|l[öo]sen',
    role: CONNECTOR_STYLES.colonOnly,
  },
  { pattern: 'bearer', role: 'bearer' },
  { pattern: 'authorization', role: 'authorization' },
  {
    // Case-sensitive prefixes, re-checked exactly in SHAPE_PREFIXES; and PEM armour.
    pattern: 'AKIA|ASIA|AIza|gh[pousr]_|github_pat_|glpat-|xox[baprs]-|[sr]k_(?:live|test)_|eyJ|-----BEGIN ',
    role: 'shape',
  },
];

const TRIGGERS = new RegExp(TRIGGER_GROUPS.map((g) => `(${g.pattern})`).join('|'), 'gi');

/**
 * Whether a keyword at `[start, end)` stands on its own. `_`, `.` and `-` may precede it, so
 * configuration lines (`DB_PASSWORD=…`, `spring.datasource.password=…`, `x-api-key: …`) count.
 */
function keywordBoundaryOk(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  const gluedBefore = isWordLike(before) && before !== CH.underscore;
  return !gluedBefore && !isWordLike(text.charCodeAt(end));
}

const SHAPES = new Map(Object.entries(SHAPE_PREFIXES));
const PEM_BEGIN = '-----BEGIN ';

function scanTriggers(text: string, out: Candidates): void {
  const triggers = new RegExp(TRIGGERS);
  let m: RegExpExecArray | null;
  while ((m = triggers.exec(text)) !== null) {
    const start = m.index;
    const end = triggers.lastIndex;
    const first = text.charCodeAt(start);
    const before = text.charCodeAt(start - 1);
    if (isWordLike(before) && before !== CH.underscore && first !== CH.dash) {
      // Glued to the word before it: no keyword or shape may start here, nor anywhere
      // else in this word, so the scan resumes after the word ("eyJeyJeyJ…" is one step).
      // A PEM armour line starts with dashes and needs no boundary, so it is exempt.
      let e = end;
      for (let c = text.charCodeAt(e); isWordLike(c) && c !== CH.underscore; c = text.charCodeAt(++e));
      triggers.lastIndex = e;
      continue;
    }
    let group = 1;
    while (m[group] === undefined && group < TRIGGER_GROUPS.length) group++;
    const role = TRIGGER_GROUPS[group - 1]?.role;
    if (role === 'shape') {
      const span = shapeAt(text, start, m[0]);
      if (span !== null) out.add(REDACTION_KINDS.secret, span.start, span.end);
      continue;
    }
    if (role === undefined || !keywordBoundaryOk(text, start, end)) continue;
    if (role === 'bearer' || role === 'authorization') {
      const span = role === 'bearer' ? bearerValueAt(text, end) : authorizationValueAt(text, end);
      if (span !== null) out.add(REDACTION_KINDS.secret, span.start, span.end);
      continue;
    }
    scanPasswordValues(text, start, end, role, out);
  }
}

/** A secret recognised by its prefix `word` (matched case-insensitively) at `start`. */
function shapeAt(text: string, start: number, word: string): Span | null {
  if (word === PEM_BEGIN) return pemAt(text, start);
  const shape = SHAPES.get(word);
  return shape !== undefined && tokenStartOk(text, start) ? shape(text, start) : null;
}

/**
 * Finds sensitive data in `text`: the required kinds always, contact data as `policy` says.
 * Linear in the length of the text.
 */
export function detectSensitiveData(text: string, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): Detection {
  const candidates = new Candidates();
  if (policy.contactKinds.length > 0) scanContacts(text, policy.contactKinds, candidates);
  scanNumbers(text, candidates);
  scanTriggers(text, candidates);
  scanSecretWords(text, candidates);
  return candidates.resolve();
}
