/** `DELETE /v1/tickets/{id}/originals?reason=…&afterwards=…`: crypto-shredding of a ticket's originals. */
import type { Principal } from '../../domain/access';
import { iso } from '../../domain/instant';
import type { AfterDestroy } from '../ports';
import { assertPrivacyOfficer, type PrivacyDeps } from './privacy-officer';

/**
 * `DELETE /v1/tickets/{id}/originals`: destroys the data key for good — a tombstone takes its
 * place, so texts sealed later are unreadable too (or refused, `afterwards: 'refused'`). Every
 * destroy is kept on the ticket's record; a second one adds to it.
 */
export async function destroyOriginals(
  deps: PrivacyDeps,
  principal: Principal,
  ticketId: string,
  input: { readonly reason: string; readonly afterwards: AfterDestroy },
): Promise<{ ticketId: string; destroyedTexts: number; at: string; afterwards: AfterDestroy }> {
  assertPrivacyOfficer(principal, await deps.tickets.get(ticketId));
  const at = iso(deps.clock.now());
  // An audit reason may be read by anyone who audits: every kind is masked, contact data too.
  const reason = deps.redactor.forEveryone(input.reason).text;
  await deps.originals.audit({ id: deps.ids.newId(), action: 'originals.destroy', ticketId, by: principal.uid, at, reason });
  const destroyedTexts = await deps.originals.destroy(ticketId, { at, by: principal.uid, reason, afterwards: input.afterwards });
  deps.logger.info('originals destroyed', { ticketId, destroyedTexts, afterwards: input.afterwards });
  return { ticketId, destroyedTexts, at, afterwards: input.afterwards };
}
