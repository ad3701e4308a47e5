/** Routing rules: which of the candidate agents takes a ticket. Pure. */
import type { StaffPrincipal } from './access';

/** Least loaded first; ties go to the smaller uid, so that a redelivery picks the same agent. */
export function pickAgent(candidates: readonly StaffPrincipal[], load: ReadonlyMap<string, number>): StaffPrincipal | null {
  const sorted = [...candidates].sort((a, b) => (load.get(a.uid) ?? 0) - (load.get(b.uid) ?? 0) || (a.uid < b.uid ? -1 : 1));
  return sorted[0] ?? null;
}
