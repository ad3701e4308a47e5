/**
 * Manual redaction: staff mask what automatic redaction missed, by exact text or by offsets.
 * Pure; the masking itself is `maskExact` / `maskSpan` of `redaction/`.
 */
import { maskExact, maskSpan } from './redaction';

/** What to mask: every occurrence of `text`, or the span `start`..`end`. */
export interface MaskSelection {
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly text?: string | undefined;
}

/** `current` with the selection masked. */
export function applyMask(current: string, selection: MaskSelection): string {
  if (selection.text !== undefined) return maskExact(current, selection.text);
  return maskSpan(current, selection.start ?? 0, selection.end ?? 0);
}

/**
 * Masks of the same text combine: a character hidden by either stays hidden. Applied to the
 * text as stored at commit time, so two concurrent redactions never un-hide each other's.
 * A text of another length (changed meanwhile) is left as it is.
 */
export function combineMasks(current: string, masked: string): string {
  if (current.length !== masked.length) return current;
  let out = '';
  for (let i = 0; i < current.length; i++) out += masked[i] === '*' ? '*' : current[i];
  return out;
}

/** How many characters differ between the text before and after masking. */
export function countMasked(before: string, after: string): number {
  let count = 0;
  for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) count++;
  return count;
}
