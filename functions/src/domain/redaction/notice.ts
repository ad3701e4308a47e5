/**
 * What the customer is told when something was hidden from their message: how many of
 * what, and why they should not share it. Plain data in, text out; the caller decides
 * where the notice is shown.
 */
import { REDACTION_KIND_ORDER, REDACTION_KINDS, type Finding, type RedactionKind } from './kinds';

/** How many findings of one kind. */
export interface FindingCount {
  readonly kind: RedactionKind;
  readonly count: number;
}

/**
 * Counts findings per kind, in {@link REDACTION_KIND_ORDER}; kinds with no finding are left
 * out. The order does not depend on the order of the findings.
 */
export function summarizeFindings(findings: readonly Pick<Finding, 'kind'>[]): FindingCount[] {
  const counts = new Map<RedactionKind, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return REDACTION_KIND_ORDER.flatMap((kind) => {
    const count = counts.get(kind) ?? 0;
    return count > 0 ? [{ kind, count }] : [];
  });
}

/** Languages a notice can be written in. */
export const NOTICE_LANGUAGES = ['en', 'fi', 'sv'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

interface Phrasebook {
  /** "1 payment card number" / "2 payment card numbers", per kind. */
  readonly counted: Readonly<Record<RedactionKind, (n: number) => string>>;
  readonly and: string;
  /** A prohibition lists alternatives: "never share X or Y". */
  readonly or: string;
  readonly hid: (list: string) => string;
  /** Credentials (cards, passwords, secrets): staff never ask for them. */
  readonly credentials: Readonly<Partial<Record<RedactionKind, string>>>;
  readonly neverShare: (list: string) => string;
  /** Identity and account numbers: not needed in free text. */
  readonly identifiers: Readonly<Partial<Record<RedactionKind, string>>>;
  readonly notNeeded: (list: string) => string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const PHRASEBOOKS: Readonly<Record<NoticeLanguage, Phrasebook>> = {
  en: {
    counted: {
      [REDACTION_KINDS.paymentCard]: (n) => plural(n, 'payment card number', 'payment card numbers'),
      [REDACTION_KINDS.iban]: (n) => plural(n, 'bank account number (IBAN)', 'bank account numbers (IBAN)'),
      [REDACTION_KINDS.fiPersonalIdentityCode]: (n) =>
        plural(n, 'Finnish personal identity code', 'Finnish personal identity codes'),
      [REDACTION_KINDS.sePersonalIdentityNumber]: (n) =>
        plural(n, 'Swedish personal identity number', 'Swedish personal identity numbers'),
      [REDACTION_KINDS.password]: (n) => plural(n, 'password', 'passwords'),
      [REDACTION_KINDS.secret]: (n) => plural(n, 'access key or token', 'access keys or tokens'),
      [REDACTION_KINDS.email]: (n) => plural(n, 'email address', 'email addresses'),
      [REDACTION_KINDS.phoneNumber]: (n) => plural(n, 'phone number', 'phone numbers'),
    },
    and: 'and',
    or: 'or',
    hid: (list) => `We hid ${list} from your message.`,
    credentials: {
      [REDACTION_KINDS.password]: 'passwords',
      [REDACTION_KINDS.paymentCard]: 'card numbers',
      [REDACTION_KINDS.secret]: 'access keys',
    },
    neverShare: (list) =>
      `Never share ${list} in a support ticket: support staff will never ask for them.`,
    identifiers: {
      [REDACTION_KINDS.fiPersonalIdentityCode]: 'personal identity codes',
      [REDACTION_KINDS.sePersonalIdentityNumber]: 'personal identity codes',
      [REDACTION_KINDS.iban]: 'bank account numbers',
    },
    notNeeded: (list) =>
      `Please leave ${list} out of your messages; if we ever need one, we will ask for it through a secure channel.`,
  },
  fi: {
    // Finnish: the accusative singular after 1, the partitive singular after other numbers.
    counted: {
      [REDACTION_KINDS.paymentCard]: (n) => plural(n, 'maksukortin numeron', 'maksukortin numeroa'),
      [REDACTION_KINDS.iban]: (n) => plural(n, 'tilinumeron (IBAN)', 'tilinumeroa (IBAN)'),
      [REDACTION_KINDS.fiPersonalIdentityCode]: (n) => plural(n, 'henkilötunnuksen', 'henkilötunnusta'),
      [REDACTION_KINDS.sePersonalIdentityNumber]: (n) =>
        plural(n, 'ruotsalaisen henkilönumeron', 'ruotsalaista henkilönumeroa'),
      [REDACTION_KINDS.password]: (n) => plural(n, 'salasanan', 'salasanaa'),
      [REDACTION_KINDS.secret]: (n) => plural(n, 'pääsyavaimen tai tunnisteen', 'pääsyavainta tai tunnistetta'),
      [REDACTION_KINDS.email]: (n) => plural(n, 'sähköpostiosoitteen', 'sähköpostiosoitetta'),
      [REDACTION_KINDS.phoneNumber]: (n) => plural(n, 'puhelinnumeron', 'puhelinnumeroa'),
    },
    and: 'ja',
    or: 'tai',
    hid: (list) => `Piilotimme viestistäsi ${list}.`,
    credentials: {
      [REDACTION_KINDS.password]: 'salasanoja',
      [REDACTION_KINDS.paymentCard]: 'korttinumeroita',
      [REDACTION_KINDS.secret]: 'pääsyavaimia',
    },
    neverShare: (list) => `Älä koskaan jaa ${list} tukipyynnössä: tukihenkilöstö ei koskaan kysy niitä.`,
    identifiers: {
      [REDACTION_KINDS.fiPersonalIdentityCode]: 'henkilötunnuksia',
      [REDACTION_KINDS.sePersonalIdentityNumber]: 'henkilötunnuksia',
      [REDACTION_KINDS.iban]: 'tilinumeroita',
    },
    notNeeded: (list) =>
      `Älä kirjoita viesteihin ${list}; jos tarvitsemme niitä, pyydämme ne turvallista kanavaa pitkin.`,
  },
  sv: {
    counted: {
      [REDACTION_KINDS.paymentCard]: (n) => plural(n, 'betalkortsnummer', 'betalkortsnummer'),
      [REDACTION_KINDS.iban]: (n) => plural(n, 'kontonummer (IBAN)', 'kontonummer (IBAN)'),
      [REDACTION_KINDS.fiPersonalIdentityCode]: (n) =>
        plural(n, 'finsk personbeteckning', 'finska personbeteckningar'),
      [REDACTION_KINDS.sePersonalIdentityNumber]: (n) => plural(n, 'personnummer', 'personnummer'),
      [REDACTION_KINDS.password]: (n) => plural(n, 'lösenord', 'lösenord'),
      [REDACTION_KINDS.secret]: (n) => plural(n, 'åtkomstnyckel eller token', 'åtkomstnycklar eller tokens'),
      [REDACTION_KINDS.email]: (n) => plural(n, 'e-postadress', 'e-postadresser'),
      [REDACTION_KINDS.phoneNumber]: (n) => plural(n, 'telefonnummer', 'telefonnummer'),
    },
    and: 'och',
    or: 'eller',
    hid: (list) => `Vi dolde ${list} i ditt meddelande.`,
    credentials: {
      [REDACTION_KINDS.password]: 'lösenord',
      [REDACTION_KINDS.paymentCard]: 'kortnummer',
      [REDACTION_KINDS.secret]: 'åtkomstnycklar',
    },
    neverShare: (list) => `Dela aldrig ${list} i ett supportärende: supportpersonalen ber aldrig om dem.`,
    identifiers: {
      [REDACTION_KINDS.fiPersonalIdentityCode]: 'personnummer',
      [REDACTION_KINDS.sePersonalIdentityNumber]: 'personnummer',
      [REDACTION_KINDS.iban]: 'kontonummer',
    },
    notNeeded: (list) =>
      `Skriv inte ${list} i dina meddelanden; behöver vi dem ber vi om dem via en säker kanal.`,
  },
};

/** "a", "a and b", "a, b and c". */
function joinList(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1] ?? ''}`;
}

/** The distinct phrases of `book` for the kinds in `summary`, in summary order. */
function phrasesFor(
  summary: readonly FindingCount[],
  book: Readonly<Partial<Record<RedactionKind, string>>>,
): string[] {
  const phrases: string[] = [];
  for (const { kind } of summary) {
    const phrase = book[kind];
    if (phrase !== undefined && !phrases.includes(phrase)) phrases.push(phrase);
  }
  return phrases;
}

/**
 * A short notice for the customer: what was hidden, and why not to share it, e.g. "We hid
 * 1 payment card number and 1 password from your message. Never share card numbers or
 * passwords in a support ticket: support staff will never ask for them."
 *
 * @param summary - from {@link summarizeFindings}
 * @param language - the ticket's language; English when omitted
 * @returns the notice, or `null` when nothing was hidden (no notice to show)
 */
export function redactionNotice(
  summary: readonly FindingCount[],
  language: NoticeLanguage = 'en',
): string | null {
  const shown = summary.filter((s) => s.count > 0);
  if (shown.length === 0) return null;
  const book = PHRASEBOOKS[language];
  const sentences = [book.hid(joinList(shown.map((s) => book.counted[s.kind](s.count)), book.and))];
  const credentials = phrasesFor(shown, book.credentials);
  if (credentials.length > 0) sentences.push(book.neverShare(joinList(credentials, book.or)));
  const identifiers = phrasesFor(shown, book.identifiers);
  if (identifiers.length > 0) sentences.push(book.notNeeded(joinList(identifiers, book.and)));
  return sentences.join(' ');
}

