/** `attemptWebhookDelivery`: a delivery asked for at once (a subscription's challenge) is attempted. */
import { z } from 'zod';
import { attemptNow } from '../../application/webhooks/deliver';
import type { WebhookDeps } from '../../application/webhooks/ports';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'attemptWebhookDelivery',
  payload: z.object({ id: z.string(), type: z.literal('webhook.delivery_due'), data: z.object({ deliveryId: z.string().min(1).max(128) }) }),
  // A late one is harmless: it is attempted only while still due, and the retry job attempts it anyway.
  maxAgeMs: 24 * 60 * 60 * 1000,
  handle: async (event, { deps }: DeliveryContext<WebhookDeps>) => {
    const report = await attemptNow(deps, event.data.deliveryId);
    return `${report.attempted} attempted, ${report.delivered} delivered`;
  },
});
