/** `GET /v1/tickets/{id}`: one ticket and its messages, for a caller who may see it. */
import type { Principal } from '../../domain/access';
import type { Ticket } from '../../domain/ticket';
import type { Message } from '../records';
import { visibleTicket, type TicketDeps } from './ticket-mutation';

/** The ticket and its messages (customers do not see internal ones); `404` out of scope. */
export async function getTicket(
  deps: Pick<TicketDeps, 'tickets'>,
  principal: Principal,
  id: string,
): Promise<{ ticket: Ticket; messages: Message[] }> {
  const ticket = await visibleTicket(deps, principal, id);
  const messages = await deps.tickets.messages(id);
  return {
    ticket,
    messages: principal.kind === 'customer' ? messages.filter((m) => m.visibility === 'public') : messages,
  };
}
