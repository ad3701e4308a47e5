import { Candidates } from '../../../functions/src/domain/redaction/candidates';
import { REDACTION_KINDS, type Finding, type RedactionKind } from '../../../functions/src/domain/redaction';

function resolved(...candidates: [RedactionKind, number, number][]): {
  findings: Finding[];
  cardsAlone: Finding[];
} {
  const c = new Candidates();
  for (const [kind, start, end] of candidates) c.add(kind, start, end);
  const { findings, cardsAlone } = c.resolve();
  return { findings, cardsAlone: [...cardsAlone] };
}

describe('candidate resolution', () => {
  it('when scanners add candidates out of text order, then the findings come sorted by start', () => {
    const { findings } = resolved(
      [REDACTION_KINDS.paymentCard, 40, 56],
      [REDACTION_KINDS.password, 10, 18],
      [REDACTION_KINDS.iban, 0, 5],
    );
    expect(findings.map((f) => f.start)).toEqual([0, 10, 40]);
  });

  it('when candidates overlap, then one finding spans their union and the longest names it', () => {
    const { findings } = resolved([REDACTION_KINDS.password, 10, 20], [REDACTION_KINDS.secret, 15, 40]);
    expect(findings).toEqual([{ kind: REDACTION_KINDS.secret, start: 10, end: 40 }]);
  });

  it('when overlapping candidates are as long, then the more specific kind names the finding', () => {
    const { findings } = resolved([REDACTION_KINDS.password, 5, 21], [REDACTION_KINDS.paymentCard, 5, 21]);
    expect(findings).toEqual([{ kind: REDACTION_KINDS.paymentCard, start: 5, end: 21 }]);
  });

  it('when a card overlaps only shorter card windows, then it may keep its last digits; beside a password, not', () => {
    const alone = resolved([REDACTION_KINDS.paymentCard, 0, 19], [REDACTION_KINDS.paymentCard, 0, 16]);
    expect(alone.cardsAlone).toEqual(alone.findings);
    const shared = resolved([REDACTION_KINDS.paymentCard, 0, 16], [REDACTION_KINDS.password, 0, 16]);
    expect(shared.findings).toEqual([{ kind: REDACTION_KINDS.paymentCard, start: 0, end: 16 }]);
    expect(shared.cardsAlone).toEqual([]);
  });

  it('when more candidates are added than the first capacity holds, then none is lost', () => {
    const c = new Candidates();
    for (let i = 0; i < 1000; i++) c.add(REDACTION_KINDS.password, 10 * i, 10 * i + 5);
    const { findings } = c.resolve();
    expect(findings).toHaveLength(1000);
    expect(findings[999]).toEqual({ kind: REDACTION_KINDS.password, start: 9990, end: 9995 });
  });
});
