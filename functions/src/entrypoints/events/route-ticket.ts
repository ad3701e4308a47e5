/** `routeTicket`: a new or escalated ticket goes to an agent of its tier with its language and product. */
import { z } from 'zod';
import type { RoutingDeps } from '../../application/routing/route-ticket';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

const TicketCreatedSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['ticket.created', 'ticket.escalated']),
  data: z.object({ ticketId: z.string().min(1) }),
});

pubsubFunction({
  name: 'routeTicket',
  payload: TicketCreatedSchema,
  maxAgeMs: 24 * 60 * 60 * 1000,
  // The use case is loaded on first use: a cold start loads only what registers the functions.
  handle: async (event, { deps }: DeliveryContext<RoutingDeps>) => (await import('../../application/routing/route-ticket')).routeTicket(deps, event.id, event.data.ticketId),
});
