/**
 * Routing: a new ticket (at L1) or an escalated one (at L2 or L3) goes to the least-loaded
 * trained, active agent of its tier who speaks its language and knows its product. Tickets at
 * MANAGEMENT are for managers, who see every ticket; they are not assigned. Load is counted from the tickets themselves (one count
 * query per candidate), not kept in a hot per-agent counter document.
 */
import { pickAgent } from '../../domain/routing';
import type { Logger, OutboxDispatcher, PrincipalDirectory, TicketRepository } from '../ports';
import { mutateTicket } from '../tickets/ticket-mutation';

export interface RoutingDeps {
  readonly tickets: TicketRepository;
  readonly principals: PrincipalDirectory;
  readonly outbox: OutboxDispatcher;
  readonly logger: Logger;
}

export type RoutingOutcome = 'routed' | 'duplicate' | 'already-assigned' | 'no-agent' | 'ticket-gone' | 'management';

/** Routes the ticket of a `ticket.created` or `ticket.escalated` event, at most once per event id. */
export async function routeTicket(deps: RoutingDeps, eventId: string, ticketId: string): Promise<RoutingOutcome> {
  const ticket = await deps.tickets.get(ticketId);
  if (ticket === null) return 'ticket-gone';
  if (ticket.assigneeUid !== null) return 'already-assigned';
  const tier = ticket.tier;
  if (tier === 'MANAGEMENT') return 'management';
  const candidates = (await deps.principals.agentsFor(tier, ticket.language)).filter(
    (agent) => agent.trainedAt !== null && agent.products.includes(ticket.product),
  );
  const agent = pickAgent(candidates, await deps.tickets.openAssignmentCounts(candidates.map((c) => c.uid)));
  if (agent === null) {
    deps.logger.warn('no agent for a ticket', { ticketId, tier, language: ticket.language, product: ticket.product });
    return 'no-agent';
  }
  const outcome = await mutateTicket(
    deps,
    ticketId,
    (current) =>
      current.assigneeUid !== null || current.tier !== tier
        ? { ticket: current, result: 'already-assigned' as const }
        : { ticket: { ...current, assigneeUid: agent.uid }, result: 'routed' as const },
    `route-ticket:${eventId}`,
  );
  if (!outcome.applied) return 'duplicate';
  deps.logger.info('ticket routed', { ticketId, outcome: outcome.result, assigneeUid: outcome.result === 'routed' ? agent.uid : undefined });
  return outcome.result;
}
