/** `deliverNotification`: each notification event is recorded once, keyed on its event id, for delivery providers to read. */
import { NotificationSchema, recordNotification, type NotificationDeps } from '../../application/operations/record-notification';
import { pubsubFunction, type DeliveryContext } from './pubsub-function';

pubsubFunction({
  name: 'deliverNotification',
  payload: NotificationSchema,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  handle: async (notification, { deps }: DeliveryContext<NotificationDeps>) => recordNotification(deps, notification),
});
