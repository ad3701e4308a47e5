/**
 * Status subscriptions (anyone): subscribe chosen products at a webhook URL or an email
 * address, confirm an email subscription by its link, unsubscribe with the token every message
 * carries (`?token=`); and the webhook deliveries, for staff.
 */
import {
  DeliveryListQuerySchema,
  SubscriptionCreateSchema,
  SubscriptionTokenQuerySchema,
} from '../../application/status-subscriptions/contracts';
import { confirmEmailSubscription, unsubscribe } from '../../application/status-subscriptions/manage-subscription';
import { subscribe } from '../../application/status-subscriptions/subscribe';
import { DELIVERY_READERS, listDeliveries } from '../../application/webhooks/list-deliveries';
import type { StatusSubscription } from '../../domain/status-subscriptions';
import type { WebhookDelivery } from '../../domain/webhook-delivery';
import type { StatusSubscriptionDeps } from '../../application/status-subscriptions/ports';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

/** A subscription as its holder sees it: never its secrets or tokens (those are answered once, at subscription). */
function subscriptionJson(subscription: StatusSubscription): Record<string, unknown> {
  const { id, channel, products, webhookUrl, email, state, createdAt, confirmedAt } = subscription;
  return { id, channel, products, ...(webhookUrl === null ? {} : { webhookUrl }), ...(email === null ? {} : { email }), state, createdAt, confirmedAt };
}

/** A delivery as staff see it: where, what, how it went; not the body it carries. */
function deliveryJson(delivery: WebhookDelivery): Record<string, unknown> {
  const { body: _body, expectEcho: _echo, ...visible } = delivery;
  return visible;
}

export const statusSubscriptionRoutes = (deps: DepsProvider<StatusSubscriptionDeps>): readonly Route[] => [
  {
    method: 'POST',
    pattern: '/v1/status/subscriptions',
    summary:
      'Subscribe products {products, webhookUrl} or {products, email}; 202 with the pending subscription, its unsubscribe token and (webhooks) its signing secret, shown only here',
    auth: false,
    // The answer holds a secret: not cached, and readable only by the configured origins.
    exposure: 'private',
    who: 'anyone',
    body: SubscriptionCreateSchema,
    successStatus: 202,
    handle: async (request) => {
      const input = parseInput(SubscriptionCreateSchema, request.body, 'subscription');
      const { subscription, signingSecret } = await subscribe(await deps(), input);
      return {
        status: 202,
        body: {
          ...subscriptionJson(subscription),
          unsubscribeToken: subscription.unsubscribeToken,
          ...(signingSecret === null ? {} : { signingSecret }),
        },
        headers: { Location: `/v1/status/subscriptions/${subscription.id}` },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/status/subscriptions/:id/confirm',
    summary: 'Confirm an email subscription (the link of its confirmation email, ?token=); 404 for a wrong token',
    auth: false,
    exposure: 'private',
    who: 'the holder of the confirmation link',
    query: SubscriptionTokenQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const { token } = parseInput(SubscriptionTokenQuerySchema, request.query, 'query', ['query']);
      return { status: 200, body: subscriptionJson(await confirmEmailSubscription(await deps(), param(request, 'id'), token)) };
    },
  },
  {
    method: 'DELETE',
    pattern: '/v1/status/subscriptions/:id',
    summary: 'Unsubscribe with the unsubscribe token every message carries (?token=); 404 for a wrong token',
    auth: false,
    exposure: 'private',
    who: 'the holder of the unsubscribe token',
    query: SubscriptionTokenQuerySchema,
    successStatus: 204,
    handle: async (request) => {
      const { token } = parseInput(SubscriptionTokenQuerySchema, request.query, 'query', ['query']);
      await unsubscribe(await deps(), param(request, 'id'), token);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/status/deliveries',
    summary: 'Webhook deliveries with their attempts, newest first (filter state pending, delivered, dead_lettered, cancelled; cursor paging)',
    auth: true,
    who: 'agent, manager, admin',
    callers: { customers: 'forbidden', staff: DELIVERY_READERS },
    query: DeliveryListQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const query = parseInput(DeliveryListQuerySchema, request.query, 'query', ['query']);
      const page = await listDeliveries(await deps(), principalOf(request), query);
      return { status: 200, body: { items: page.deliveries.map(deliveryJson), nextCursor: page.nextCursor } };
    },
  },
];
