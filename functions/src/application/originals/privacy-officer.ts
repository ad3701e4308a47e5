/**
 * Redaction originals: the unredacted text of every field or message in which redaction hid
 * something, encrypted with the ticket's data key (envelope encryption, `KeyVault`) and
 * stored apart from the ticket. Only privacy officers read them, each read audited with a
 * reason; destroying the ticket's data key makes them unreadable for good.
 *
 * A data key is made only for tickets that need one, so intake without sensitive data pays
 * nothing for this.
 */
import { canSeeTicket, requireStaffRole, type Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { Ticket } from '../../domain/ticket';
import type { TicketDeps } from '../tickets/ticket-mutation';
import type { OriginalsDeps } from './seal-originals';

/** The ports of reading and destroying originals. */
export type PrivacyDeps = TicketDeps & OriginalsDeps;

/** `404` for customers and for tickets out of scope, `403` for staff who are not privacy officers. */
export function assertPrivacyOfficer(principal: Principal, ticket: Ticket | null): void {
  // Customers must not learn that a ticket exists; staff without the role are told why.
  if (principal.kind === 'customer') throw new NotFoundError('The ticket');
  requireStaffRole(principal, ['privacy_officer']);
  if (ticket === null || !canSeeTicket(principal, ticket)) throw new NotFoundError('The ticket');
}
