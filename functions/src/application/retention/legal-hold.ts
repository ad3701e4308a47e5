/**
 * `PUT` / `DELETE /v1/tickets/{id}/legal-hold`: privacy officers place or lift a legal hold,
 * with a reason (redacted, as every free text) that goes to the audit log. A held ticket is
 * skipped by every deletion rule and request until the hold is lifted; an erasure request
 * anonymises it instead.
 */
import { requireStaffRole, type Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import { liftLegalHold, placeLegalHold } from '../../domain/retention';
import type { Ticket } from '../../domain/ticket';
import { mutateTicket, type TicketDeps } from '../tickets/ticket-mutation';

/** The ticket ports; the audit log is the originals repository's. */
export type LegalHoldDeps = TicketDeps;

/** Places (`place`) or lifts a hold; `404` for an unknown ticket, `409` when it already is (or is not) held. */
export async function setLegalHold(deps: LegalHoldDeps, principal: Principal, ticketId: string, action: 'place' | 'lift', reason: string): Promise<Ticket> {
  // Customers must not learn that a ticket exists; staff without the role are told why.
  if (principal.kind === 'customer') throw new NotFoundError('The ticket');
  const officer = requireStaffRole(principal, ['privacy_officer']);
  const at = new Date(deps.clock.now()).toISOString();
  const redacted = deps.redactor.forEveryone(reason).text;
  const outcome = await mutateTicket(deps, ticketId, (ticket) => ({
    ticket: action === 'place' ? placeLegalHold(ticket, { reason: redacted, by: officer.uid, at }) : liftLegalHold(ticket, at),
    result: null,
  }));
  if (!outcome.applied) throw new NotFoundError('The ticket');
  await deps.originals.audit({ id: deps.ids.newId(), action: `legal_hold.${action}`, ticketId, by: officer.uid, at, reason: redacted });
  deps.logger.info(`legal hold ${action === 'place' ? 'placed' : 'lifted'}`, { ticketId, by: officer.uid });
  return outcome.ticket;
}
