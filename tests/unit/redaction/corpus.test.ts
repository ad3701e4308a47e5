import {
  REDACTION_KIND_ORDER,
  redactText,
  type Finding,
  type RedactionKind,
} from '../../../functions/src/domain/redaction';
import { DECOYS, POSITIVES, type Sample } from './corpus';

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
  const samples: Sample[] = [...POSITIVES, ...DECOYS.map((text) => ({ text, expected: [] }))];
  for (const sample of samples) {
    const expected = expectedSpans(sample);
    const { findings } = redactText(sample.text);
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

const pct = (num: number, den: number): string => (den === 0 ? '   n/a' : `${((100 * num) / den).toFixed(1).padStart(5)}%`);

describe('redaction corpus', () => {
  const { tallies, missed, spurious } = score();

  it('prints precision and recall per kind', () => {
    const rows = REDACTION_KIND_ORDER.map((kind) => {
      const t = tallies.get(kind) as Tally;
      return (
        `${kind.padEnd(28)} ${String(t.truePositives).padStart(3)} ${String(t.falsePositives).padStart(3)} ` +
        `${String(t.falseNegatives).padStart(3)}  ${pct(t.truePositives, t.truePositives + t.falsePositives)}  ` +
        `${pct(t.truePositives, t.truePositives + t.falseNegatives)}`
      );
    });
    console.log(
      [
        `redaction corpus: ${POSITIVES.length} positive samples, ${DECOYS.length} decoys`,
        `${'kind'.padEnd(28)}  TP  FP  FN  precision  recall`,
        ...rows,
      ].join('\n'),
    );
    expect(rows).toHaveLength(REDACTION_KIND_ORDER.length);
  });

  it('when a corpus value is sensitive, then every one of them is found with its exact span (recall 100%)', () => {
    expect(missed).toEqual([]);
  });

  it('when a text is a decoy, then nothing in it is masked, and nothing beyond the values is masked in the others', () => {
    expect(spurious).toEqual([]);
  });

  it('when a decoy is redacted, then its text is unchanged', () => {
    for (const text of DECOYS) expect(redactText(text).text).toBe(text);
  });
});
