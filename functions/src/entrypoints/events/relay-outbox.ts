/** `relayOutbox`: the scheduler's safety net that publishes outbox records left unpublished. */
import { z } from 'zod';
import { pubsubFunction } from './pubsub-function';

/** Records younger than this are left to the request that wrote them. */
export const RELAY_GRACE_MS = 30_000;

pubsubFunction({
  name: 'relayOutbox',
  payload: z.object({ job: z.string() }).loose(),
  maxAgeMs: 10 * 60 * 1000,
  handle: async (_tick, { services }) => `relayed ${await services.outbox.relayPending(RELAY_GRACE_MS)}`,
});
