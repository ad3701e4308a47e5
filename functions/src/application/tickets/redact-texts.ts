/** Redacting the texts a person writes into a ticket, keeping the originals for sealing. */
import { summarizeFindings } from '../../domain/redaction';
import type { RedactionCount } from '../../domain/ticket';
import type { OriginalInput } from '../originals/seal-originals';
import type { TextRedaction } from '../redaction/free-text-redactor';

/**
 * Redacts several texts with `redact` (the ticket organisation's, from the
 * `FreeTextRedactor`) and adds up what was hidden; `originals` lists the texts in which
 * something was hidden, as they were, for sealing.
 */
export function redactAll(
  redact: TextRedaction,
  texts: readonly Omit<OriginalInput, 'messageId'>[],
  messageId: string | null = null,
): { texts: string[]; redactions: RedactionCount[]; originals: OriginalInput[] } {
  const results = texts.map((t) => redact(t.text));
  return {
    texts: results.map((r) => r.text),
    redactions: summarizeFindings(results.flatMap((r) => r.findings)),
    originals: texts.filter((_, i) => (results[i]?.findings.length ?? 0) > 0).map((t) => ({ ...t, messageId })),
  };
}
