/** `retryWebhookDeliveries`: the every-minute tick that attempts the webhook deliveries whose retry is due. */
import { z } from 'zod';
import { retryDueDeliveries } from '../../application/webhooks/deliver';
import type { WebhookDeps } from '../../application/webhooks/ports';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'retryWebhookDeliveries',
  payload: z.object({ job: z.string() }).loose(),
  // A tick older than a few minutes is superseded by the ticks after it.
  maxAgeMs: 5 * 60 * 1000,
  handle: async (_tick, { deps }: DeliveryContext<WebhookDeps>) => {
    const report = await retryDueDeliveries(deps);
    return `${report.attempted} attempted, ${report.delivered} delivered, ${report.deadLettered} dead-lettered`;
  },
});
