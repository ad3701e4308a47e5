/** `handleSeverityOne`: a severity-1 ticket opens an incident for its product or joins the open one. */
import { z } from 'zod';
import { handleSeverityOneTicket } from '../../application/incidents/handle-severity-one';
import type { IncidentDeps } from '../../application/incidents/deps';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'handleSeverityOne',
  payload: z.object({
    id: z.string(),
    type: z.literal('ticket.severity_one'),
    data: z.object({ ticketId: z.string().min(1), product: z.string().min(1), orgId: z.string().min(1) }),
  }),
  maxAgeMs: 24 * 60 * 60 * 1000,
  handle: async (event, { eventId, deps }: DeliveryContext<IncidentDeps>) => handleSeverityOneTicket(deps, eventId, event.data),
});
