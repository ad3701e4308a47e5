import {
  REDACTION_KIND_ORDER,
  redactText,
  STRICTEST_REDACTION_POLICY,
  type Finding,
  type RedactionKind,
  type RedactionPolicy,
} from '../../../functions/src/domain/redaction';
import { CONTACT_DECOYS, CONTACT_POSITIVES, DECOYS, POSITIVES, type Sample } from './corpus';

interface Tally {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Expected spans of a sample, located by position (each value is searched after the last). */
function expectedSpans(sample: Sample): Finding[] {
  let from = 0;
  return sample.expected.map(({ kind, value }) => {
    const start = sample.text.indexOf(value, from);
    if (start < 0) throw new Error(`corpus error: ${JSON.stringify(value)} not in its text`);
    from = start + value.length;
    return { kind, start, end: start + value.length };
  });
}

const same = (a: Finding, b: Finding): boolean =>
  a.kind === b.kind && a.start === b.start && a.end === b.end;

function score(): { tallies: Map<RedactionKind, Tally>; missed: string[]; spurious: string[] } {
  const tallies = new Map<RedactionKind, Tally>(
    REDACTION_KIND_ORDER.map((k) => [k, { truePositives: 0, falsePositives: 0, falseNegatives: 0 }]),
  );
  const tally = (k: RedactionKind): Tally => tallies.get(k) as Tally;
  const missed: string[] = [];
  const spurious: string[] = [];
  // Contact data is masked only where an organisation turns it on: its samples are scored
  // with every kind on, the others with the default policy.
  const samples: [Sample, RedactionPolicy | undefined][] = [
    ...[...POSITIVES, ...DECOYS.map((text) => ({ text, expected: [] }))].map((s): [Sample, undefined] => [s, undefined]),
    ...[...CONTACT_POSITIVES, ...CONTACT_DECOYS.map((text) => ({ text, expected: [] }))].map((s): [Sample, RedactionPolicy] => [s, STRICTEST_REDACTION_POLICY]),
  ];
  for (const [sample, policy] of samples) {
    const expected = expectedSpans(sample);
    const { findings } = redactText(sample.text, policy);
    for (const x of expected) {
      if (findings.some((f) => same(f, x))) tally(x.kind).truePositives++;
      else {
        tally(x.kind).falseNegatives++;
        missed.push(`${x.kind}: ${JSON.stringify(sample.text)}`);
      }
    }
    for (const f of findings) {
      if (!expected.some((x) => same(f, x))) {
        tally(f.kind).falsePositives++;
        spurious.push(`${f.kind} ${JSON.stringify(sample.text.slice(f.start, f.end))} in ${JSON.stringify(sample.text)}`);
      }
    }
  }
  return { tallies, missed, spurious };
}

/** The floor every kind must reach: a value missed is a leak, a false mask hides what the agent needs. */
const MIN_RECALL = 0.99;
const MIN_PRECISION = 0.98;
const MIN_SAMPLES_PER_KIND = 5;

/** Precision and recall of a tally; a kind with nothing found or nothing expected scores 0. */
function rates(t: Tally): { precision: number; recall: number } {
  const found = t.truePositives + t.falsePositives;
  const expected = t.truePositives + t.falseNegatives;
  return { precision: found === 0 ? 0 : t.truePositives / found, recall: expected === 0 ? 0 : t.truePositives / expected };
}

const pct = (rate: number): string => `${(100 * rate).toFixed(1).padStart(5)}%`;

describe('redaction corpus', () => {
  const { tallies, missed, spurious } = score();

  it('every kind reaches its recall and precision thresholds, on enough samples for the figures to mean something', () => {
    const figures = REDACTION_KIND_ORDER.map((kind) => {
      const t = tallies.get(kind) as Tally;
      return { kind, samples: t.truePositives + t.falseNegatives, ...rates(t) };
    });
    console.log(
      [
        `redaction corpus: ${POSITIVES.length} positive samples, ${DECOYS.length} decoys`,
        `${'kind'.padEnd(28)} samples  precision  recall`,
        ...figures.map((f) => `${f.kind.padEnd(28)} ${String(f.samples).padStart(7)}  ${pct(f.precision)}   ${pct(f.recall)}`),
      ].join('\n'),
    );
    const belowThreshold = figures.filter((f) => f.samples < MIN_SAMPLES_PER_KIND || f.recall < MIN_RECALL || f.precision < MIN_PRECISION);
    expect(belowThreshold).toEqual([]);
  });

  it('when a corpus value is sensitive, then every one of them is found with its exact span (recall 100%)', () => {
    expect(missed).toEqual([]);
  });

  it('when a text is a decoy, then nothing in it is masked, and nothing beyond the values is masked in the others', () => {
    expect(spurious).toEqual([]);
  });

  it('when a decoy is redacted, then its text is unchanged', () => {
    for (const text of DECOYS) expect(redactText(text).text).toBe(text);
    for (const text of CONTACT_DECOYS) expect(redactText(text, STRICTEST_REDACTION_POLICY).text).toBe(text);
  });
});
