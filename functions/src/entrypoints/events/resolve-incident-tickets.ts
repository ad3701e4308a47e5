/** `resolveIncidentTickets`: a resolved incident resolves its linked tickets. */
import { z } from 'zod';
import { resolveLinkedTickets } from '../../application/incidents/resolve-linked-tickets';
import { pubsubFunction } from './pubsub-function';

pubsubFunction({
  name: 'resolveIncidentTickets',
  payload: z.object({
    id: z.string(),
    type: z.literal('incident.resolved'),
    data: z.object({ incidentId: z.string().min(1), title: z.string(), ticketIds: z.array(z.string().min(1)).max(10_000) }),
  }),
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (event, { eventId, services }) => `resolved ${await resolveLinkedTickets(services, eventId, event.data)} tickets`,
});
