/** `recordSupportFigures`: each ticket lifecycle event, counted once into the support figures. */
import { LifecycleEventSchema } from '../../domain/support-figures';
import type { FiguresDeps } from '../../application/support/figures-deps';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'recordSupportFigures',
  payload: LifecycleEventSchema,
  // A count must not be lost to a late relay: keep every event Pub/Sub still holds (7 days).
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (event, { deps }: DeliveryContext<FiguresDeps>) => (await import('../../application/support/record-support-figures')).recordSupportFigures(deps, event),
});
