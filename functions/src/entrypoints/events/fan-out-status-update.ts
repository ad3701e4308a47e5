/** `fanOutStatusUpdate`: a public status update goes to every confirmed subscriber of its products. */
import { StatusUpdatePublishedEventSchema } from '../../application/incidents/status-update-event';
import { fanOutStatusUpdate } from '../../application/status-subscriptions/fan-out-update';
import type { StatusSubscriptionDeps } from '../../application/status-subscriptions/ports';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'fanOutStatusUpdate',
  payload: StatusUpdatePublishedEventSchema,
  // Subscribers want news, not history: an update a day old is dropped (logged) rather than sent.
  maxAgeMs: 24 * 60 * 60 * 1000,
  handle: async (event, { eventId, deps }: DeliveryContext<StatusSubscriptionDeps>) => {
    const report = await fanOutStatusUpdate(deps, eventId, event.data);
    return `${report.webhooks} webhooks (${report.delivered} delivered at once), ${report.emails} emails`;
  },
});
