/**
 * The fan-out of one public status update (the `status.update_published` event) to every
 * confirmed subscriber of its products: one signed webhook delivery or one email per
 * subscriber. Both are keyed on the event id and the subscription (`deliveryIdOf`), so a
 * redelivered event, or two instances handling it at once, create each delivery and email
 * once. The webhook deliveries this run created are attempted at once, page by page; those it
 * did not finish (a crash) are picked up by the retry job when their lease ends.
 */
import { newEventWithId } from '../../domain/events';
import { iso } from '../../domain/instant';
import {
  SUBSCRIPTION_PURPOSES,
  updateEmail,
  updateWebhookBody,
  type PublishedUpdate,
  type StatusSubscription,
} from '../../domain/status-subscriptions';
import { claim, deliveryIdOf, newDelivery, type WebhookDelivery } from '../../domain/webhook-delivery';
import { dispatchQuietly } from '../tickets/ticket-mutation';
import { deliverClaimed } from '../webhooks/deliver';
import type { WebhookTarget } from '../webhooks/ports';
import type { StatusSubscriptionDeps } from './ports';
import { STATUS_EMAIL_TYPES } from './status-email-event';

/** Subscriptions read per page. */
const FAN_OUT_PAGE = 500;

/** What one fan-out did. */
export interface FanOutReport {
  readonly webhooks: number;
  readonly delivered: number;
  readonly emails: number;
}

function webhookDelivery(deps: StatusSubscriptionDeps, eventId: string, update: PublishedUpdate, subscription: StatusSubscription, now: number): WebhookDelivery {
  const id = deliveryIdOf(eventId, subscription.id);
  const body = updateWebhookBody(subscription, id, update, deps.subscriptionSettings.publicUrl);
  return claim(newDelivery({ id, purpose: SUBSCRIPTION_PURPOSES.update, targetId: subscription.id, eventId, url: subscription.webhookUrl ?? '', body, expectEcho: null }, now), now);
}

export async function fanOutStatusUpdate(deps: StatusSubscriptionDeps, eventId: string, update: PublishedUpdate): Promise<FanOutReport> {
  let cursor: string | null = null;
  let webhooks = 0;
  let delivered = 0;
  let emails = 0;
  do {
    const page = await deps.subscriptions.activeFor(update.products, FAN_OUT_PAGE, cursor);
    const now = deps.clock.now();
    const targets = new Map<string, WebhookTarget>();
    const deliveries: WebhookDelivery[] = [];
    const emailEvents = [];
    for (const subscription of page.subscriptions) {
      if (subscription.webhookUrl !== null && subscription.signingSecret !== null) {
        targets.set(subscription.id, { url: subscription.webhookUrl, signingSecret: subscription.signingSecret });
        deliveries.push(webhookDelivery(deps, eventId, update, subscription, now));
      } else if (subscription.email !== null) {
        const email = updateEmail({ ...subscription, email: subscription.email }, update, deps.subscriptionSettings.publicUrl);
        emailEvents.push(newEventWithId(deliveryIdOf(eventId, subscription.id), 'status.email', STATUS_EMAIL_TYPES.update, iso(now), { ...email }));
      }
    }
    const [created, written] = await Promise.all([deps.deliveries.createAll(deliveries), deps.subscriptions.writeEachOnce(emailEvents)]);
    const [report] = await Promise.all([
      deliverClaimed(
        deps,
        created.flatMap((delivery) => {
          const target = targets.get(delivery.targetId);
          return target === undefined ? [] : [{ delivery, target }];
        }),
      ),
      Promise.all(written.map(async (event) => dispatchQuietly(deps, [event]))),
    ]);
    webhooks += created.length;
    delivered += report.delivered;
    emails += written.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { webhooks, delivered, emails };
}
