/** `resolveIncidentTickets`: a resolved incident resolves its linked tickets. */
import { z } from 'zod';
import { resolveLinkedTickets } from '../../application/incidents/resolve-linked-tickets';
import type { TicketDeps } from '../../application/tickets/ticket-mutation';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'resolveIncidentTickets',
  payload: z.object({
    id: z.string(),
    type: z.literal('incident.resolved'),
    data: z.object({ incidentId: z.string().min(1), title: z.string(), ticketIds: z.array(z.string().min(1)).max(10_000) }),
  }),
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (event, { eventId, deps }: DeliveryContext<TicketDeps>) => `resolved ${await resolveLinkedTickets(deps, eventId, event.data)} tickets`,
});
