/** `GET /v1/tickets/{id}/originals?reason=…`: the unredacted originals, for privacy officers, audited. */
import type { Principal } from '../../domain/access';
import type { OriginalSource } from '../records';
import { iso } from '../../domain/instant';
import { assertPrivacyOfficer, type PrivacyDeps } from './privacy-officer';

export interface OriginalText {
  readonly id: string;
  readonly source: OriginalSource;
  readonly messageId: string | null;
  readonly text: string;
  readonly createdAt: string;
}

/** `GET /v1/tickets/{id}/originals`: privacy officers only; every read is audited first. */
export async function readOriginals(
  deps: PrivacyDeps,
  principal: Principal,
  ticketId: string,
  reason: string,
): Promise<{ ticketId: string; originals: OriginalText[]; keyDestroyedAt: string | null; auditId: string }> {
  assertPrivacyOfficer(principal, await deps.tickets.get(ticketId));
  const at = iso(deps.clock.now());
  const auditId = deps.ids.newId();
  await deps.originals.audit({ id: auditId, action: 'originals.read', ticketId, by: principal.uid, at, reason: deps.redactor.forEveryone(reason).text });
  const [wrapped, sealed, keyDestroyedAt] = await Promise.all([
    deps.originals.wrappedKey(ticketId),
    deps.originals.list(ticketId),
    deps.originals.destroyedAt(ticketId),
  ]);
  if (wrapped === null) return { ticketId, originals: [], keyDestroyedAt, auditId };
  const key = await deps.vault.unwrap(wrapped);
  const originals = sealed.map((s) => ({
    id: s.id,
    source: s.source,
    messageId: s.messageId,
    text: deps.vault.open(key, s.sealed),
    createdAt: s.createdAt,
  }));
  return { ticketId, originals, keyDestroyedAt, auditId };
}

