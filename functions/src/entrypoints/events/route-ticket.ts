/** `routeTicket`: a new or escalated ticket goes to an agent of its tier with its language and product. */
import { z } from 'zod';
import { routeTicket } from '../../application/routing';
import { pubsubFunction } from './pubsub-function';

const TicketCreatedSchema = z.object({
  id: z.string().min(1),
  type: z.enum(['ticket.created', 'ticket.escalated']),
  data: z.object({ ticketId: z.string().min(1) }),
});

pubsubFunction({
  name: 'routeTicket',
  payload: TicketCreatedSchema,
  maxAgeMs: 24 * 60 * 60 * 1000,
  handle: (event, { services }) => routeTicket(services, event.id, event.data.ticketId),
});
