/** `POST /v1/tickets/{id}/status`: a move through the ticket's state machine (`409` on an illegal move). */
import { requireStaffRole, type Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import { assertMayMoveStatus, isFirstResolution, resolutionAfter } from '../../domain/resolution';
import { resolveSlaTarget } from '../../domain/sla';
import { assertStatusTransition, type Ticket, type TicketStatus } from '../../domain/ticket';
import { notificationEvent, type DomainEvent } from '../../domain/events';
import { slaForStatus } from '../../domain/status-change';
import { iso } from '../../domain/instant';
import { mutateTicket, ticketCalendar, visibleTicket, type TicketDeps } from './ticket-mutation';

/**
 * Moves the ticket to `status` (customers: only their own tickets, `403` for a colleague's);
 * its first resolution invites the customer to rate it.
 */
export async function changeStatus(deps: TicketDeps, principal: Principal, id: string, status: TicketStatus): Promise<Ticket> {
  const before = await visibleTicket(deps, principal, id);
  if (principal.kind === 'staff') requireStaffRole(principal, ['agent', 'manager']);
  const calendar = await ticketCalendar(deps, before);
  const target = resolveSlaTarget(await deps.configuration.slaTargets(before.product), before.severity);
  const now = deps.clock.now();
  const at = iso(now);
  const outcome = await mutateTicket(deps, id, (ticket) => {
    assertMayMoveStatus(principal, ticket);
    assertStatusTransition(ticket.status, status, principal.kind);
    const moved = slaForStatus(deps, ticket, status, target, calendar, now);
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
  if (!outcome.applied) throw new NotFoundError('The ticket');
  return outcome.ticket;
}
