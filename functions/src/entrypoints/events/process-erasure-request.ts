/** `processErasureRequest`: erases the subject of an erasure request (safe to redeliver). */
import { z } from 'zod';
import type { ErasureDeps } from '../../application/retention/erasure-requests';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

const ErasureRequestedSchema = z.object({
  id: z.string().min(1),
  type: z.literal('erasure.requested'),
  data: z.object({ requestId: z.string().min(1) }),
});

pubsubFunction({
  name: 'processErasureRequest',
  payload: ErasureRequestedSchema,
  // An erasure must not be dropped for being late: keep every event Pub/Sub still holds.
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (event, { deps }: DeliveryContext<ErasureDeps>) => (await import('../../application/retention/erasure-requests')).processErasure(deps, event.data.requestId),
});
