/** `POST /v1/tickets/{id}/status`: a move through the ticket's state machine (`409` on an illegal move). */
import { requireStaffRole, type Principal } from '../../domain/access';
import { assertMayMoveStatus, isFirstResolution, resolutionAfter } from '../../domain/resolution';
import { resolveSlaTarget } from '../../domain/sla';
import { assertStatusTransition, type Ticket, type TicketStatus } from '../../domain/ticket';
import { notificationEvent, type DomainEvent } from '../../domain/events';
import { slaForStatus } from '../../domain/status-change';
import { iso } from '../../domain/instant';
import { mutateVisibleTicket, ticketCalendar, visibleTicket, type TicketDeps } from './ticket-mutation';

/**
 * Moves the ticket to `status` (customers: only their own tickets, `403` for a colleague's);
 * its first resolution invites the customer to rate it.
 */
export async function changeStatus(deps: TicketDeps, principal: Principal, id: string, status: TicketStatus): Promise<Ticket> {
  const before = await visibleTicket(deps, principal, id);
  if (principal.kind === 'staff') requireStaffRole(principal, ['agent', 'manager']);
  const calendar = await ticketCalendar(deps, before);
  // Every severity's targets, read now: the transaction decides on the severity it reads.
  const targets = await deps.configuration.slaTargets(before.product);
  const now = deps.clock.now();
  const at = iso(now);
  const outcome = await mutateVisibleTicket(deps, principal, id, (ticket) => {
    assertMayMoveStatus(principal, ticket);
    assertStatusTransition(ticket.status, status, principal.kind);
    const moved = slaForStatus(deps, ticket, status, resolveSlaTarget(targets, ticket.severity), calendar, now);
    const events: DomainEvent[] = [...moved.events];
    // The customer is asked to rate the ticket's one resolution, not every resolution after a reopening.
    if (status === 'resolved' && isFirstResolution(ticket, status)) {
      events.push(
        notificationEvent(deps, 'csat.invitation', at, {
          ticketId: ticket.id,
          recipientUid: ticket.customerUid,
          orgId: ticket.orgId,
        }),
      );
    }
    return {
      ticket: {
        ...ticket,
        status,
        sla: moved.sla,
        ...resolutionAfter(ticket, status, at),
        updatedAt: at,
      },
      events,
      result: null,
    };
  });
  return outcome.ticket;
}
