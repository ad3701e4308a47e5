/** `retryWebhookDeliveries`: the every-minute tick that attempts the webhook deliveries whose retry is due. */
import { z } from 'zod';
import { retryDueDeliveries } from '../../application/webhooks/deliver';
import { pubsubFunction } from './pubsub-function';

pubsubFunction({
  name: 'retryWebhookDeliveries',
  payload: z.object({ job: z.string() }).loose(),
  // A tick older than a few minutes is superseded by the ticks after it.
  maxAgeMs: 5 * 60 * 1000,
  handle: async (_tick, { services }) => {
    const report = await retryDueDeliveries(services);
    return `${report.attempted} attempted, ${report.delivered} delivered, ${report.deadLettered} dead-lettered`;
  },
});
