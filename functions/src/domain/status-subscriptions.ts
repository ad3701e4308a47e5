/**
 * Status-page subscriptions: anyone may ask to hear of the public updates of chosen products,
 * at a webhook URL or an email address. Nothing is sent to a subscription until it is
 * confirmed — an email one by the link in its confirmation email (double opt-in), a webhook
 * one by echoing a challenge — and every message carries the token that unsubscribes it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SUBSCRIPTION_CHANNELS = ['webhook', 'email'] as const;
export type SubscriptionChannel = (typeof SUBSCRIPTION_CHANNELS)[number];

export const SUBSCRIPTION_STATES = ['pending', 'active'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/** Delivery purposes of this capability (the webhook machinery's `purpose`). */
export const SUBSCRIPTION_PURPOSES = { update: 'status.update', challenge: 'status.challenge' } as const;

export interface StatusSubscription {
  readonly id: string;
  readonly channel: SubscriptionChannel;
  readonly products: readonly string[];
  /** Webhook subscriptions. */
  readonly webhookUrl: string | null;
  /** Email subscriptions. */
  readonly email: string | null;
  readonly state: SubscriptionState;
  /** The key webhook requests are signed with (webhooks only; shown once, at subscription). */
  readonly signingSecret: string | null;
  /** Carried by every message; `DELETE /v1/status/subscriptions/{id}?token=` with it unsubscribes. */
  readonly unsubscribeToken: string;
  /** SHA-256 of the email confirmation token (the token itself is only in the email). */
  readonly confirmationTokenHash: string | null;
  readonly createdAt: string;
  readonly confirmedAt: string | null;
}

/** The SHA-256 (hex) of a token, as stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of a token given by a caller with the expected one. */
export function tokenMatches(expected: string | null, given: string): boolean {
  if (expected === null) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** Whether an email subscription may be confirmed with `token`. */
export function confirmsWith(subscription: StatusSubscription, token: string): boolean {
  return subscription.channel === 'email' && tokenMatches(subscription.confirmationTokenHash, tokenHash(token));
}

/** The subscription confirmed at `at` (unchanged when it already was). */
export function confirmed(subscription: StatusSubscription, at: string): StatusSubscription {
  return subscription.state === 'active' ? subscription : { ...subscription, state: 'active', confirmedAt: at };
}

/** The path that unsubscribes (`DELETE`), with its token. */
function unsubscribePath(subscription: Pick<StatusSubscription, 'id' | 'unsubscribeToken'>): string {
  return `/v1/status/subscriptions/${subscription.id}?token=${subscription.unsubscribeToken}`;
}

/** The path that confirms an email subscription (`GET`, the link in the confirmation email). */
function confirmationPath(subscriptionId: string, token: string): string {
  return `/v1/status/subscriptions/${subscriptionId}/confirm?token=${token}`;
}

/** A public update as subscribers receive it (the `status.update_published` event's data). */
export interface PublishedUpdate {
  readonly incidentId: string;
  readonly updateId: string;
  readonly kind: string;
  readonly products: readonly string[];
  readonly status: string;
  readonly impact: string;
  readonly title: string;
  readonly message: string;
  readonly publishedAt: string;
}

/** The JSON body of a status update's webhook request. */
export function updateWebhookBody(subscription: StatusSubscription, deliveryId: string, update: PublishedUpdate, publicUrl: string): string {
  return JSON.stringify({
    id: deliveryId,
    type: SUBSCRIPTION_PURPOSES.update,
    subscriptionId: subscription.id,
    unsubscribeToken: subscription.unsubscribeToken,
    unsubscribeUrl: `${publicUrl}${unsubscribePath(subscription)}`,
    data: update,
  });
}

/** The JSON body of a webhook subscription's challenge: the receiver answers `{"challenge": …}` with the same value. */
export function challengeWebhookBody(subscription: StatusSubscription, challenge: string, publicUrl: string): string {
  return JSON.stringify({
    type: 'challenge',
    challenge,
    subscriptionId: subscription.id,
    products: subscription.products,
    unsubscribeToken: subscription.unsubscribeToken,
    unsubscribeUrl: `${publicUrl}${unsubscribePath(subscription)}`,
  });
}

/** An email for the mail provider (the `status-emails` topic). */
export interface StatusEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly subscriptionId: string;
  /** For `List-Unsubscribe`: the URL that unsubscribes with `DELETE`, and its token. */
  readonly unsubscribeUrl: string;
  readonly unsubscribeToken: string;
}

/** The confirmation email of a new email subscription. */
export function confirmationEmail(subscription: StatusSubscription & { email: string }, token: string, publicUrl: string): StatusEmail {
  const link = `${publicUrl}${confirmationPath(subscription.id, token)}`;
  return {
    to: subscription.email,
    subject: 'Confirm your status updates subscription',
    text: `Someone (we hope you) asked to receive status updates for ${subscription.products.join(', ')} at this address.\n\nConfirm with this link: ${link}\n\nIf it was not you, ignore this email: nothing will be sent until the link is opened.`,
    subscriptionId: subscription.id,
    unsubscribeUrl: `${publicUrl}${unsubscribePath(subscription)}`,
    unsubscribeToken: subscription.unsubscribeToken,
  };
}

/** The email of one public update to one subscriber. */
export function updateEmail(subscription: StatusSubscription & { email: string }, update: PublishedUpdate, publicUrl: string): StatusEmail {
  return {
    to: subscription.email,
    subject: `[${update.status}] ${update.title}`,
    text: `${update.title} (${update.products.join(', ')}): ${update.status}\n\n${update.message}\n\nPublished ${update.publishedAt}. Status page: ${publicUrl}/status`,
    subscriptionId: subscription.id,
    unsubscribeUrl: `${publicUrl}${unsubscribePath(subscription)}`,
    unsubscribeToken: subscription.unsubscribeToken,
  };
}
