/**
 * What the scanners find, before overlaps are resolved, and the resolution: overlapping
 * candidates merge into one finding whose span is their union, named by the winning
 * candidate.
 *
 * Candidates are kept as offsets and kind codes in typed arrays that grow by doubling, not
 * as an object each: a text dense with findings ("password is password is …", 87 000 per MB) spent more
 * time allocating, pushing and promoting those objects than finding them. Only the resolved
 * findings become objects, in an array allocated once.
 */
import { REDACTION_KIND_ORDER, REDACTION_KINDS, type Finding, type RedactionKind } from './kinds';

const INITIAL_CAPACITY = 16;

/**
 * When candidates overlap, the longest names the finding; on equal length the more
 * specific kind does: a validated shape or checksum beats a password phrase, and a card
 * beats an identity number only by being listed first here.
 */
const SPECIFICITY: Readonly<Record<RedactionKind, number>> = {
  [REDACTION_KINDS.secret]: 8,
  [REDACTION_KINDS.email]: 7,
  [REDACTION_KINDS.phoneNumber]: 6,
  [REDACTION_KINDS.paymentCard]: 5,
  [REDACTION_KINDS.iban]: 4,
  [REDACTION_KINDS.fiPersonalIdentityCode]: 3,
  [REDACTION_KINDS.sePersonalIdentityNumber]: 2,
  [REDACTION_KINDS.password]: 1,
};

/** A candidate's kind is kept as its index in this list, in a byte array. */
const KINDS: readonly RedactionKind[] = REDACTION_KIND_ORDER;
const CODES = Object.fromEntries(KINDS.map((kind, code) => [kind, code])) as Readonly<Record<RedactionKind, number>>;
const SPECIFICITY_BY_CODE = Uint8Array.from(KINDS, (kind) => SPECIFICITY[kind]);
const CARD = CODES[REDACTION_KINDS.paymentCard];

/** Findings, and which of them are cards that may keep their last digits visible. */
export interface Detection {
  /** Non-overlapping, sorted by `start`. */
  readonly findings: Finding[];
  /**
   * Cards that span their finding entirely, with every candidate merged into them a card
   * too (shorter card windows of the same digits). Only these keep their last digits: a
   * value of another kind that overlapped the card (a password that IS the card number, a
   * token reaching past it) could own those digits.
   */
  readonly cardsAlone: ReadonlySet<Finding>;
}

/** Candidate findings of one text, in the order the scanners add them (unsorted, possibly overlapping). */
export class Candidates {
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private codes = new Uint8Array(0);
  private count = 0;

  /** Adds the candidate `[start, end)` of `kind`. */
  add(kind: RedactionKind, start: number, end: number): void {
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.codes[this.count] = CODES[kind];
    this.count++;
  }

  private grow(): void {
    const capacity = Math.max(INITIAL_CAPACITY, 2 * this.count);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    const codes = new Uint8Array(capacity);
    starts.set(this.starts);
    ends.set(this.ends);
    codes.set(this.codes);
    this.starts = starts;
    this.ends = ends;
    this.codes = codes;
  }

  /** Whether candidate `a` names a merged finding rather than candidate `b`. */
  private beats(a: number, b: number): boolean {
    const la = (this.ends[a] ?? 0) - (this.starts[a] ?? 0);
    const lb = (this.ends[b] ?? 0) - (this.starts[b] ?? 0);
    if (la !== lb) return la > lb;
    return (SPECIFICITY_BY_CODE[this.codes[a] ?? 0] ?? 0) > (SPECIFICITY_BY_CODE[this.codes[b] ?? 0] ?? 0);
  }

  /** The candidates' indices by `start`, longer first on a tie; `null` when they are in that order already. */
  private order(): Int32Array | null {
    const { starts, ends, count } = this;
    let sorted = true;
    for (let i = 1; i < count && sorted; i++) sorted = (starts[i - 1] ?? 0) <= (starts[i] ?? 0);
    if (sorted) return null;
    return Int32Array.from({ length: count }, (_, i) => i).sort(
      (a, b) => (starts[a] ?? 0) - (starts[b] ?? 0) || (ends[b] ?? 0) - (ends[a] ?? 0),
    );
  }

  /**
   * The findings: overlapping candidates merged into one whose span is their union, named
   * by the winning candidate. A union rather than "winner only": the loser's characters
   * would otherwise stay in clear, and a second pass would find the loser (not idempotent).
   */
  resolve(): Detection {
    const { starts, ends, codes, count } = this;
    const order = this.order();
    const at = (i: number): number => (order === null ? i : (order[i] ?? 0));
    // At most one finding per candidate: allocated once, cut to length at the end.
    const findings = new Array<Finding>(count);
    const cardsAlone = new Set<Finding>();
    let found = 0;
    let i = 0;
    while (i < count) {
      let best = at(i);
      const start = starts[best] ?? 0;
      let end = ends[best] ?? 0;
      let allCards = codes[best] === CARD;
      for (i++; i < count; i++) {
        const c = at(i);
        if ((starts[c] ?? 0) >= end) break;
        end = Math.max(end, ends[c] ?? 0);
        if (this.beats(c, best)) best = c;
        allCards = allCards && codes[c] === CARD;
      }
      const finding: Finding = { kind: KINDS[codes[best] ?? 0] as RedactionKind, start, end };
      findings[found++] = finding;
      if (allCards && starts[best] === start && ends[best] === end) cardsAlone.add(finding);
    }
    findings.length = found;
    return { findings, cardsAlone };
  }
}
