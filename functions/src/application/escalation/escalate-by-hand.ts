/**
 * `POST /v1/tickets/{id}/escalate`: agents and managers escalate to the next or a given
 * higher tier, with a reason. Before any move to L3 the ticket is flagged for management
 * review and managers are told, in the same transaction.
 */
import { requireStaffRole, type Principal } from '../../domain/access';
import { escalateTicket, manualEscalationTarget } from '../../domain/escalation';
import type { Ticket } from '../../domain/ticket';
import { lifecycleEvent, notificationEvent, type DomainEvent } from '../../domain/events';
import { iso } from '../../domain/instant';
import { mutateVisibleTicket, visibleTicket, type TicketDeps } from '../tickets/ticket-mutation';
import { escalationEvents } from '../../domain/escalation-events';

/** `POST /v1/tickets/{id}/escalate`: agents and managers, with a reason. */
export async function escalateByHand(
  deps: TicketDeps,
  principal: Principal,
  id: string,
  input: { reason: string; toTier?: Ticket['tier'] | undefined },
): Promise<Ticket> {
  requireStaffRole(principal, ['agent', 'manager']);
  const before = await visibleTicket(deps, principal, id);
  const now = deps.clock.now();
  const at = iso(now);
  // A reason is free text: redacted like every other text before it is stored or published.
  const reason = (await deps.redactor.forOrganisation(before.orgId))(input.reason).text;
  const outcome = await mutateVisibleTicket(deps, principal, id, (ticket) => {
    const to = manualEscalationTarget(ticket, input.toTier);
    const events: DomainEvent[] = [];
    // Before any move to L3, the ticket is flagged for management review and managers are told.
    if (!ticket.managementReview && (to === 'L3' || to === 'MANAGEMENT')) {
      events.push(notificationEvent(deps, 'ticket.management_review', at, { ticketId: ticket.id, tier: ticket.tier, severity: ticket.severity, reason, audience: 'managers' }));
    }
    const escalated = escalateTicket(ticket, to, reason, principal.uid, at);
    events.push(...escalationEvents(deps, escalated, at, reason));
    events.push(
      lifecycleEvent(deps, 'ticket.escalated', at, {
        ticketId: ticket.id,
        from: ticket.tier,
        to,
        severity: ticket.severity,
        manual: true,
        reviewFlagged: !ticket.managementReview && escalated.managementReview,
        outcomes: {},
      }),
    );
    return { ticket: escalated, events, result: null };
  });
  return outcome.ticket;
}

