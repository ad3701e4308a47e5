/**
 * Recall and precision per kind on the labelled corpus, tuki's redaction side by side with
 * the npm library `redact-pii` (its offline, pattern-based redactor: the regular expressions
 * of its `SyncRedactor`; not Google DLP), which a user would otherwise pick.
 */
import * as patterns from 'redact-pii/lib/built-ins/simple-regexp-patterns';
import { REDACTION_KIND_ORDER, redactText, STRICTEST_REDACTION_POLICY, type RedactionKind, type RedactionPolicy } from '../../functions/src/domain/redaction';
import { CONTACT_DECOYS, CONTACT_POSITIVES, DECOYS, POSITIVES, type Sample } from './redaction-corpus';

interface Span {
  readonly kind: RedactionKind;
  readonly start: number;
  readonly end: number;
}

/** redact-pii's patterns for the kinds tuki knows; the kinds it has no pattern for score n/a. */
const REDACT_PII: Partial<Record<RedactionKind, RegExp[]>> = {
  payment_card: [patterns.creditCardNumber],
  email: [patterns.emailAddress],
  phone_number: [patterns.phoneNumber],
  password: [patterns.password],
  secret: [patterns.password, patterns.credentials],
};

function redactPiiSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const [kind, list] of Object.entries(REDACT_PII) as [RedactionKind, RegExp[]][]) {
    for (const pattern of list) {
      for (const m of text.matchAll(new RegExp(pattern.source, pattern.flags))) spans.push({ kind, start: m.index, end: m.index + m[0].length });
    }
  }
  return spans;
}

function expectedSpans(sample: Sample): Span[] {
  let from = 0;
  return sample.expected.map(({ kind, value }) => {
    const start = sample.text.indexOf(value, from);
    from = start + value.length;
    return { kind, start, end: start + value.length };
  });
}

const overlaps = (a: Span, b: Span): boolean => a.kind === b.kind && a.start < b.end && b.start < a.end;

/** Per kind: [true positives, false positives, false negatives]; a found span counts when it overlaps an expected one of its kind. */
function score(find: (text: string, policy: RedactionPolicy | undefined) => Span[]): Map<RedactionKind, [number, number, number]> {
  const tallies = new Map<RedactionKind, [number, number, number]>(REDACTION_KIND_ORDER.map((k) => [k, [0, 0, 0]]));
  const samples: [Sample, RedactionPolicy | undefined][] = [
    ...[...POSITIVES, ...DECOYS.map((text) => ({ text, expected: [] }))].map((s): [Sample, undefined] => [s, undefined]),
    ...[...CONTACT_POSITIVES, ...CONTACT_DECOYS.map((text) => ({ text, expected: [] }))].map((s): [Sample, RedactionPolicy] => [s, STRICTEST_REDACTION_POLICY]),
  ];
  for (const [sample, policy] of samples) {
    const expected = expectedSpans(sample);
    const found = find(sample.text, policy);
    for (const x of expected) (tallies.get(x.kind) as [number, number, number])[found.some((f) => overlaps(f, x)) ? 0 : 2]++;
    for (const f of found) if (!expected.some((x) => overlaps(f, x))) (tallies.get(f.kind) as [number, number, number])[1]++;
  }
  return tallies;
}

const pct = (num: number, den: number): string => (den === 0 ? '   n/a' : `${((100 * num) / den).toFixed(1).padStart(5)}%`);

/** Logs the side-by-side table and returns `<tool>_<kind>_recall` / `_precision` (percent; -1 for n/a). */
export function compareWithRedactPii(log: (line: string) => void): Record<string, number> {
  const tuki = score((text, policy) => redactText(text, policy).findings);
  // redact-pii has no per-organisation choice: its patterns always run.
  const pii = score((text) => redactPiiSpans(text));
  const results: Record<string, number> = {};
  log(`redaction: corpus of ${POSITIVES.length + CONTACT_POSITIVES.length} positive samples, ${DECOYS.length + CONTACT_DECOYS.length} decoys (a finding counts when it overlaps an expected value of its kind)`);
  log(`redaction:   ${'kind'.padEnd(28)} tuki recall  precision   redact-pii recall  precision`);
  for (const kind of REDACTION_KIND_ORDER) {
    const row = [tuki.get(kind), pii.get(kind)].map((t) => t as [number, number, number]);
    const cells = row.map(([tp, fp, fn], i) => {
      const tool = i === 0 ? 'tuki' : 'redact_pii';
      const supported = i === 0 || REDACT_PII[kind] !== undefined;
      results[`${tool}_${kind}_recall`] = supported && tp + fn > 0 ? (100 * tp) / (tp + fn) : -1;
      results[`${tool}_${kind}_precision`] = supported && tp + fp > 0 ? (100 * tp) / (tp + fp) : -1;
      return supported ? `${pct(tp, tp + fn)}     ${pct(tp, tp + fp)}` : '   n/a        n/a';
    });
    log(`redaction:   ${kind.padEnd(28)} ${cells[0] ?? ''}          ${cells[1] ?? ''}`);
  }
  return results;
}
