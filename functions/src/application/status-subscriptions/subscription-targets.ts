/**
 * Status subscriptions as owners of webhook deliveries: a delivery goes to its subscription's
 * URL, signed with its secret, while the subscription exists; a challenge answered confirms it.
 */
import { iso } from '../../domain/instant';
import { confirmed, SUBSCRIPTION_PURPOSES } from '../../domain/status-subscriptions';
import type { WebhookDelivery } from '../../domain/webhook-delivery';
import type { Clock } from '../ports';
import type { WebhookTarget, WebhookTargets } from '../webhooks/ports';
import type { StatusSubscriptionRepository } from './ports';

export class StatusSubscriptionTargets implements WebhookTargets {
  constructor(
    private readonly subscriptions: StatusSubscriptionRepository,
    private readonly clock: Clock,
  ) {}

  async find(delivery: WebhookDelivery): Promise<WebhookTarget | null> {
    const subscription = await this.subscriptions.get(delivery.targetId);
    if (subscription === null || subscription.webhookUrl === null || subscription.signingSecret === null) return null;
    // An update goes only to a confirmed subscription; a challenge is what confirms it.
    if (delivery.purpose !== SUBSCRIPTION_PURPOSES.challenge && subscription.state !== 'active') return null;
    return { url: subscription.webhookUrl, signingSecret: subscription.signingSecret };
  }

  async delivered(delivery: WebhookDelivery): Promise<void> {
    if (delivery.purpose !== SUBSCRIPTION_PURPOSES.challenge) return;
    const at = iso(this.clock.now());
    await this.subscriptions.update(delivery.targetId, (subscription) =>
      subscription.state === 'active' || subscription.channel !== 'webhook' ? null : confirmed(subscription, at),
    );
  }
}
