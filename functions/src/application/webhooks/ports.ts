/**
 * The ports of the webhook machinery: the delivery records, the HTTP sender, and the targets
 * that own the deliveries (a capability that sends webhooks implements {@link WebhookTargets}
 * for its purposes: status subscriptions today).
 */
import type { ReceiverAnswer, WebhookDelivery } from '../../domain/webhook-delivery';
import type { Clock, Logger } from '../ports';

/** One signed request to send. */
export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** Sends webhook requests; never throws (a failure is an answer without status). */
export interface WebhookSender {
  post(request: WebhookRequest): Promise<ReceiverAnswer>;
}

/** A delivery as read, with an opaque version for a conditional claim. */
export interface VersionedDelivery {
  readonly delivery: WebhookDelivery;
  readonly version: string;
}

export interface DeliveryFilter {
  readonly state?: WebhookDelivery['state'];
}

export interface DeliveryPage {
  readonly deliveries: readonly WebhookDelivery[];
  readonly nextCursor: string | null;
}

export interface WebhookDeliveryStore {
  /** Creates the deliveries that do not exist yet; answers those it created (existing ones are left alone). */
  createAll(deliveries: readonly WebhookDelivery[]): Promise<WebhookDelivery[]>;
  /** Writes deliveries as they are now (after their attempts). */
  saveAll(deliveries: readonly WebhookDelivery[]): Promise<void>;
  getVersioned(id: string): Promise<VersionedDelivery | null>;
  /** Pending deliveries whose next attempt is due at `nowIso`, earliest first (one indexed query). */
  due(nowIso: string, limit: number): Promise<VersionedDelivery[]>;
  /** Writes `claimed` only if the delivery is still at `version`; false when another attempt claimed it first. */
  claimIfUnchanged(version: string, claimed: WebhookDelivery): Promise<boolean>;
  /** Newest first, with a cursor. */
  list(filter: DeliveryFilter, limit: number, cursor: string | null): Promise<DeliveryPage>;
}

/** Where a delivery goes and how it is signed, as its owner knows now. */
export interface WebhookTarget {
  readonly url: string;
  readonly signingSecret: string;
}

/** The owners of deliveries, by purpose. */
export interface WebhookTargets {
  /** The target of a delivery now, or null when it is gone (unsubscribed: the delivery is cancelled). */
  find(delivery: WebhookDelivery): Promise<WebhookTarget | null>;
  /** Told once a delivery was delivered (a challenge answered confirms its subscription). */
  delivered(delivery: WebhookDelivery): Promise<void>;
}

/** Random fractions, for the retries' jitter. */
export interface RandomSource {
  /** A number in [0, 1). */
  fraction(): number;
}

export interface WebhookDeps {
  readonly deliveries: WebhookDeliveryStore;
  readonly webhookSender: WebhookSender;
  readonly webhookTargets: WebhookTargets;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly logger: Logger;
}
