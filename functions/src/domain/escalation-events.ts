/** The events that follow a tier change, shared by the sweep and manual escalation. Pure. */
import { agentNeededEvent, notificationEvent, type DomainEvent, type EventDeps } from './events';
import type { Ticket } from './ticket';

/** The routing request for a ticket that moved to a tier with agents. */
function routingEvent(deps: EventDeps, ticket: Ticket, at: string): DomainEvent {
  return agentNeededEvent(deps, 'ticket.escalated', at, { ticketId: ticket.id, tier: ticket.tier });
}

/** Events that follow a tier change: routing at the new tier, and a request to re-assess severity. */
export function escalationEvents(deps: EventDeps, ticket: Ticket, at: string, reason: string): DomainEvent[] {
  const events = [
    notificationEvent(deps, 'ticket.escalated', at, {
      ticketId: ticket.id,
      tier: ticket.tier,
      severity: ticket.severity,
      reason,
      audience: ticket.tier === 'MANAGEMENT' ? 'managers' : `tier:${ticket.tier}`,
      action: 'reassess-severity',
    }),
  ];
  if (ticket.tier !== 'MANAGEMENT') events.push(routingEvent(deps, ticket, at));
  return events;
}

