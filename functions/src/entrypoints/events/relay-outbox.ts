/** `relayOutbox`: the scheduler's safety net that publishes outbox records left unpublished. */
import { z } from 'zod';
import type { OutboxDispatcher } from '../../application/ports';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

/** Records younger than this are left to the request that wrote them. */
export const RELAY_GRACE_MS = 30_000;

pubsubFunction({
  name: 'relayOutbox',
  payload: z.object({ job: z.string() }).loose(),
  maxAgeMs: 10 * 60 * 1000,
  handle: async (_tick, { deps }: DeliveryContext<{ readonly outbox: OutboxDispatcher }>) => `relayed ${await deps.outbox.relayPending(RELAY_GRACE_MS)}`,
});
