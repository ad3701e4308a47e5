/** `recordSupportFigures`: each ticket lifecycle event, counted once into the support figures. */
import { LifecycleEventSchema } from '../../domain/support-figures';
import { pubsubFunction } from './pubsub-function';

pubsubFunction({
  name: 'recordSupportFigures',
  payload: LifecycleEventSchema,
  // A count must not be lost to a late relay: keep every event Pub/Sub still holds (7 days).
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (event, { services }) => (await import('../../application/support/record-support-figures')).recordSupportFigures(services, event),
});
