/** `GET /v1/tickets`: the tickets in the caller's scope, newest first, with filters and a cursor. */
import { agentScopeKeys, type Principal } from '../../domain/access';
import type { TicketListQuery } from '../contracts';
import type { TicketPage } from '../ports';
import type { TicketDeps } from './ticket-mutation';

/** Customers see their organisation, agents their tier × languages × products, managers and privacy officers all, admins none. */
export async function listTickets(
  deps: Pick<TicketDeps, 'tickets'>,
  principal: Principal,
  query: TicketListQuery,
): Promise<TicketPage> {
  const filter = { status: query.status, tier: query.tier, severity: query.severity };
  const cursor = query.cursor ?? null;
  if (principal.kind === 'customer') return deps.tickets.list({ ...filter, orgId: principal.orgId }, query.limit, cursor);
  switch (principal.role) {
    case 'manager':
    case 'privacy_officer':
      return deps.tickets.list(filter, query.limit, cursor);
    case 'agent': {
      const scopeKeys = agentScopeKeys(principal);
      if (scopeKeys.length === 0 || (query.tier !== undefined && query.tier !== principal.tier)) {
        return { tickets: [], nextCursor: null };
      }
      return deps.tickets.list({ ...filter, scopeKeys }, query.limit, cursor);
    }
    case 'admin':
      return { tickets: [], nextCursor: null };
  }
}
