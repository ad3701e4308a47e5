/** `DELETE /v1/tickets/{id}/originals?reason=…`: crypto-shredding of a ticket's originals. */
import type { Principal } from '../../domain/access';
import { redactText } from '../../domain/redaction';
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
  await deps.originals.audit({ id: deps.ids.newId(), action: 'originals.destroy', ticketId, by: principal.uid, at, reason: redactText(reason).text });
  const destroyedTexts = await deps.originals.destroy(ticketId, at, principal.uid, redactText(reason).text);
  deps.logger.info('originals destroyed', { ticketId, destroyedTexts });
  return { ticketId, destroyedTexts, at };
}

