/** `DELETE /v1/tickets/{id}/originals?reason=…`: crypto-shredding of a ticket's originals. */
import type { Principal } from '../../domain/access';
import { iso } from '../../domain/instant';
import { assertPrivacyOfficer, type PrivacyDeps } from './privacy-officer';

/** `DELETE /v1/tickets/{id}/originals`: destroys the data key; the originals are gone for good. */
export async function destroyOriginals(
  deps: PrivacyDeps,
  principal: Principal,
  ticketId: string,
  reason: string,
): Promise<{ ticketId: string; destroyedTexts: number; at: string }> {
  assertPrivacyOfficer(principal, await deps.tickets.get(ticketId));
  const at = iso(deps.clock.now());
  // An audit reason may be read by anyone who audits: every kind is masked, contact data too.
  const redactedReason = deps.redactor.forEveryone(reason).text;
  await deps.originals.audit({ id: deps.ids.newId(), action: 'originals.destroy', ticketId, by: principal.uid, at, reason: redactedReason });
  const destroyedTexts = await deps.originals.destroy(ticketId, at, principal.uid, redactedReason);
  deps.logger.info('originals destroyed', { ticketId, destroyedTexts });
  return { ticketId, destroyedTexts, at };
}

