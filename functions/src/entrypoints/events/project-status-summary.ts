/** `projectStatusSummary`: each incident change is projected into the status summary document. */
import { z } from 'zod';
import { projectIncidentChange } from '../../application/incidents/status-summary';
import type { IncidentDeps } from '../../application/incidents/deps';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'projectStatusSummary',
  payload: z.object({ id: z.string(), type: z.literal('incident.changed'), data: z.object({ incidentId: z.string().min(1), revision: z.number().int() }) }),
  // The projection reads the incident as it is now, so an old event is harmless: it is dropped only when very old.
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (event, { deps }: DeliveryContext<Pick<IncidentDeps, 'incidents' | 'statusSummary' | 'clock'>>) => projectIncidentChange(deps, event.data.incidentId),
});
