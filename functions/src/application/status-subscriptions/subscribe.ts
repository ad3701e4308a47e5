/**
 * `POST /v1/status/subscriptions`: anyone subscribes chosen products at a webhook URL or an
 * email address. The subscription starts `pending` and is written in one commit with what
 * confirms it: a challenge delivery to the webhook (attempted at once through the outbox, then
 * retried with backoff like any delivery) or the confirmation email (through the outbox to the
 * mail provider). A webhook's signing secret is answered here, once.
 */
import { InvalidInputError } from '../../domain/errors';
import { newEvent, type DomainEvent } from '../../domain/events';
import { iso } from '../../domain/instant';
import {
  challengeWebhookBody,
  confirmationEmail,
  SUBSCRIPTION_PURPOSES,
  tokenHash,
  type StatusSubscription,
} from '../../domain/status-subscriptions';
import { newDelivery, type WebhookDelivery } from '../../domain/webhook-delivery';
import { dispatchQuietly } from '../tickets/ticket-mutation';
import type { SubscriptionCreateInput } from './contracts';
import { deliverableUrl } from './deliverable-url';
import type { StatusSubscriptionDeps } from './ports';
import { STATUS_EMAIL_TYPES } from './status-email-event';

/** What the subscriber is told: the subscription, and for webhooks its secret (shown only now). */
export interface NewSubscription {
  readonly subscription: StatusSubscription;
  readonly signingSecret: string | null;
}

async function assertKnownProducts(deps: Pick<StatusSubscriptionDeps, 'configuration'>, products: readonly string[]): Promise<void> {
  const known = new Set((await deps.configuration.catalog()).products.map((p) => p.id));
  const unknown = products.map((product, index) => ({ product, index })).filter(({ product }) => !known.has(product));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'The subscription names products that are not in the catalog',
      unknown.map(({ index }) => ({ path: `products.${index}`, message: 'is not a product of the catalog' })),
    );
  }
}

/** A webhook's challenge: a delivery the receiver must answer by echoing its value, asked for at once by an outbox event. */
function challengeOf(deps: StatusSubscriptionDeps, subscription: StatusSubscription, now: number): { deliveries: WebhookDelivery[]; events: DomainEvent[] } {
  const challenge = deps.secrets.newSecret();
  const delivery = newDelivery(
    {
      id: deps.ids.newId(),
      purpose: SUBSCRIPTION_PURPOSES.challenge,
      targetId: subscription.id,
      eventId: subscription.id,
      url: subscription.webhookUrl ?? '',
      body: challengeWebhookBody(subscription, challenge, deps.subscriptionSettings.publicUrl),
      expectEcho: challenge,
    },
    now,
  );
  return { deliveries: [delivery], events: [newEvent(deps, 'webhook.delivery_due', 'webhook.delivery_due', iso(now), { deliveryId: delivery.id })] };
}

export async function subscribe(deps: StatusSubscriptionDeps, input: SubscriptionCreateInput): Promise<NewSubscription> {
  await assertKnownProducts(deps, input.products);
  const webhookUrl = input.webhookUrl === undefined ? null : await deliverableUrl(deps, input.webhookUrl);
  const now = deps.clock.now();
  const at = iso(now);
  const { publicUrl } = deps.subscriptionSettings;
  const confirmationToken = webhookUrl === null ? deps.secrets.newSecret() : null;
  const subscription: StatusSubscription = {
    id: deps.ids.newId(),
    channel: webhookUrl === null ? 'email' : 'webhook',
    products: input.products,
    webhookUrl,
    email: input.email?.toLowerCase() ?? null,
    state: 'pending',
    signingSecret: webhookUrl === null ? null : `whsec_${deps.secrets.newSecret()}`,
    unsubscribeToken: deps.secrets.newSecret(),
    confirmationTokenHash: confirmationToken === null ? null : tokenHash(confirmationToken),
    createdAt: at,
    confirmedAt: null,
  };
  const { deliveries, events } =
    subscription.email !== null && confirmationToken !== null
      ? { deliveries: [], events: [newEvent(deps, 'status.email', STATUS_EMAIL_TYPES.confirmation, at, { ...confirmationEmail({ ...subscription, email: subscription.email }, confirmationToken, publicUrl) })] }
      : challengeOf(deps, subscription, now);
  await deps.subscriptions.create(subscription, deliveries, events);
  await dispatchQuietly(deps, events);
  return { subscription, signingSecret: subscription.signingSecret };
}
