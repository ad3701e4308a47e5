/**
 * The ports of status subscriptions: the subscriptions themselves (written with the deliveries
 * and outbox events they start, in one commit), fresh secrets, and DNS for the SSRF guard.
 */
import type { DomainEvent } from '../../domain/events';
import type { StatusSubscription } from '../../domain/status-subscriptions';
import type { WebhookAddressPolicy } from '../../domain/webhook-address';
import type { WebhookDelivery } from '../../domain/webhook-delivery';
import type { IdGenerator, OutboxDispatcher, SupportConfiguration } from '../ports';
import type { WebhookDeps } from '../webhooks/ports';

export interface SubscriptionPage {
  readonly subscriptions: readonly StatusSubscription[];
  readonly nextCursor: string | null;
}

export interface StatusSubscriptionRepository {
  /** Writes a new subscription with its challenge delivery (webhooks) and its outbox events, in one commit. */
  create(subscription: StatusSubscription, deliveries: readonly WebhookDelivery[], events: readonly DomainEvent[]): Promise<void>;
  get(id: string): Promise<StatusSubscription | null>;
  /** Reads the subscription, lets `change` decide (null: no change) and writes it, in one transaction; the result, or null when it does not exist. */
  update(id: string, change: (subscription: StatusSubscription) => StatusSubscription | null): Promise<StatusSubscription | null>;
  /** Deletes the subscription with its emails' outbox records (those not yet handed to the mail provider hold the address). */
  delete(id: string): Promise<void>;
  /** Active subscriptions to any of `products`, by id, in pages. */
  activeFor(products: readonly string[], limit: number, cursor: string | null): Promise<SubscriptionPage>;
  /** Writes each event in an outbox record of its own unless it exists (a redelivered fan-out); answers those written now. */
  writeEachOnce(events: readonly DomainEvent[]): Promise<DomainEvent[]>;
}

/** Fresh unguessable secrets and tokens (URL-safe). */
export interface SecretGenerator {
  newSecret(): string;
}

/** DNS, for the SSRF guard. */
export interface AddressResolver {
  /** Every address `host` resolves to (empty when it does not resolve). */
  resolve(host: string): Promise<string[]>;
}

/** Settings of the capability, from the configuration. */
export interface SubscriptionSettings {
  /** The public base URL that links in messages start with (no trailing slash). */
  readonly publicUrl: string;
  readonly addressPolicy: WebhookAddressPolicy;
}

export interface StatusSubscriptionDeps extends WebhookDeps {
  readonly subscriptions: StatusSubscriptionRepository;
  readonly secrets: SecretGenerator;
  readonly addresses: AddressResolver;
  readonly subscriptionSettings: SubscriptionSettings;
  readonly configuration: SupportConfiguration;
  readonly outbox: OutboxDispatcher;
  readonly ids: IdGenerator;
}
