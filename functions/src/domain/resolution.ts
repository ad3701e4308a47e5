/**
 * A ticket's resolution, counted once: the first move into a done status (`resolved`, or
 * `closed` straight from work) is *the* resolution. It is recorded as `firstResolvedAt` and
 * never moves again, however often the ticket is reopened and resolved: the support figures
 * count that one resolution, the customer is invited to rate it once, and the CSAT window
 * runs from it. `resolvedAt` keeps meaning "resolved since" (a reopening clears it; retention
 * counts the days without a reply from it).
 *
 * And who may move a customer's ticket: among customers only the ticket's own customer.
 * Colleagues of the same organisation see it and may write on it, but resolving, reopening
 * and closing it are its customer's (and staff's) decisions.
 */
import type { Principal } from './access';
import { ForbiddenError } from './errors';
import { DONE_STATUSES, type Ticket, type TicketStatus } from './ticket';

type ResolutionFacts = Pick<Ticket, 'status' | 'resolvedAt' | 'closedAt' | 'firstResolvedAt'>;

/**
 * When the ticket was first resolved, or null. Tickets stored before `firstResolvedAt` existed
 * answer with their resolution or closing time.
 */
export function firstResolutionAt(ticket: Pick<Ticket, 'resolvedAt' | 'closedAt' | 'firstResolvedAt'>): string | null {
  return ticket.firstResolvedAt ?? ticket.resolvedAt ?? ticket.closedAt ?? null;
}

/** Whether moving to `to` is the ticket's one resolution (its first move into a done status). */
export function isFirstResolution(ticket: ResolutionFacts, to: TicketStatus): boolean {
  return DONE_STATUSES.includes(to) && !DONE_STATUSES.includes(ticket.status) && firstResolutionAt(ticket) === null;
}

/** The resolution facts after a move to `to` at `at`. */
export function resolutionAfter(ticket: ResolutionFacts, to: TicketStatus, at: string): Pick<Ticket, 'resolvedAt' | 'closedAt' | 'firstResolvedAt'> {
  return {
    resolvedAt: to === 'resolved' ? at : to === 'open' ? null : ticket.resolvedAt,
    closedAt: to === 'closed' ? at : ticket.closedAt,
    firstResolvedAt: firstResolutionAt(ticket) ?? (DONE_STATUSES.includes(to) ? at : null),
  };
}

/** `403` when a customer other than the ticket's own would move it (they may see it: a `404` would lie). */
export function assertMayMoveStatus(principal: Principal, ticket: Pick<Ticket, 'customerUid'>): void {
  if (principal.kind === 'customer' && ticket.customerUid !== principal.uid) {
    throw new ForbiddenError("Only the ticket's own customer (or staff) may change its status");
  }
}
