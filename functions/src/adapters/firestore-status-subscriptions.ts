/**
 * Status subscriptions in Firestore, `statusSubscriptions/{id}`, decoded with zod on the way
 * back. A new subscription is written in one batch with its challenge delivery and its outbox
 * events; the emails of a fan-out each get an outbox record of their own under their
 * deterministic id, created once (a redelivered fan-out finds them and writes nothing), naming
 * their subscription (`subscriptionIds`) so that they go with it.
 */
import { FieldPath, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { SubscriptionsByAddress } from '../application/retention/ports';
import type { StatusSubscriptionRepository, SubscriptionPage } from '../application/status-subscriptions/ports';
import type { DeletedRecord } from '../domain/retention';
import type { DomainEvent } from '../domain/events';
import { SUBSCRIPTION_CHANNELS, SUBSCRIPTION_STATES, type StatusSubscription } from '../domain/status-subscriptions';
import type { WebhookDelivery } from '../domain/webhook-delivery';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';
import { chunks } from './firestore-tickets';
import { deliveryDocument } from './firestore-webhook-deliveries';
import { outboxRecordOf, writeOutbox } from './outbox-records';

const StoredSubscriptionSchema = z.object({
  id: z.string(),
  channel: z.enum(SUBSCRIPTION_CHANNELS),
  products: z.array(z.string()),
  webhookUrl: z.string().nullable(),
  email: z.string().nullable(),
  state: z.enum(SUBSCRIPTION_STATES),
  signingSecret: z.string().nullable(),
  unsubscribeToken: z.string(),
  confirmationTokenHash: z.string().nullable(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
});

function fromStored(data: FirebaseFirestore.DocumentData | undefined): StatusSubscription {
  return StoredSubscriptionSchema.parse(data);
}

/** Deletes per commit (Firestore takes at most 500 writes in one). */
const DELETE_BATCH = 400;

/** Firestore's `array-contains-any` takes at most 30 values. */
const MAX_PRODUCTS_PER_QUERY = 30;

export class FirestoreStatusSubscriptionRepository implements StatusSubscriptionRepository, SubscriptionsByAddress {
  constructor(private readonly db: Firestore) {}

  private ref(id: string): FirebaseFirestore.DocumentReference {
    return this.db.collection(COLLECTIONS.statusSubscriptions).doc(id);
  }

  async create(subscription: StatusSubscription, deliveries: readonly WebhookDelivery[], events: readonly DomainEvent[]): Promise<void> {
    const batch = this.db.batch();
    batch.create(this.ref(subscription.id), { ...subscription });
    for (const delivery of deliveries) batch.create(this.db.collection(COLLECTIONS.webhookDeliveries).doc(delivery.id), deliveryDocument(delivery));
    writeOutbox(this.db, batch, events);
    await batch.commit();
  }

  async get(id: string): Promise<StatusSubscription | null> {
    const snapshot = await this.ref(id).get();
    return snapshot.exists ? fromStored(snapshot.data()) : null;
  }

  async update(id: string, change: (subscription: StatusSubscription) => StatusSubscription | null): Promise<StatusSubscription | null> {
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(this.ref(id));
      if (!snapshot.exists) return null;
      const before = fromStored(snapshot.data());
      const after = change(before);
      if (after === null) return before;
      tx.set(this.ref(id), { ...after });
      return after;
    });
  }

  /**
   * Deletes the subscription and the outbox records of its emails (each record holds one email):
   * one not published yet still holds the address, and must not reach the mail provider after
   * an unsubscribe or a person's deletion; a published one holds nothing of the address, and goes
   * with the subscription it names.
   */
  async delete(id: string): Promise<void> {
    const emails = await this.db.collection(COLLECTIONS.outbox).where('subscriptionIds', 'array-contains', id).get();
    // The subscription last: a deletion cut short is repeated (by its token or the person's plan) and finds the rest.
    const refs = [...emails.docs.map((doc) => doc.ref), this.ref(id)];
    for (let start = 0; start < refs.length; start += DELETE_BATCH) {
      const batch = this.db.batch();
      for (const ref of refs.slice(start, start + DELETE_BATCH)) batch.delete(ref);
      await batch.commit();
    }
  }

  async at(email: string): Promise<{ subscriptionId: string; record: DeletedRecord }[]> {
    const snapshot = await this.db.collection(COLLECTIONS.statusSubscriptions).where('email', '==', email).get();
    return snapshot.docs.map((doc) => ({
      subscriptionId: doc.id,
      record: { kind: 'statusSubscription', id: `${COLLECTIONS.statusSubscriptions}/${doc.id}`, content: doc.data() },
    }));
  }

  /**
   * One page of the active subscriptions to any of `products`, by id. Firestore's
   * `array-contains-any` takes 30 values, so more products are asked in groups of 30, each
   * group for a page after the cursor; the page is the first `limit` ids of their union (a
   * subscription to products of two groups counted once), which is where every group's next
   * page would start.
   */
  async activeFor(products: readonly string[], limit: number, cursor: string | null): Promise<SubscriptionPage> {
    const groups = await Promise.all(
      chunks(products, MAX_PRODUCTS_PER_QUERY).map(async (group) => {
        let query = this.db
          .collection(COLLECTIONS.statusSubscriptions)
          .where('state', '==', 'active')
          .where('products', 'array-contains-any', group)
          .orderBy(FieldPath.documentId());
        if (cursor !== null) query = query.startAfter(cursor);
        return (await query.limit(limit).get()).docs;
      }),
    );
    const byId = new Map(groups.flat().map((doc) => [doc.id, doc]));
    const subscriptions = [...byId.keys()]
      .sort()
      .slice(0, limit)
      .map((id) => fromStored(byId.get(id)?.data()));
    return { subscriptions, nextCursor: subscriptions.length === limit ? (subscriptions[subscriptions.length - 1]?.id ?? null) : null };
  }

  async writeEachOnce(events: readonly DomainEvent[]): Promise<DomainEvent[]> {
    if (events.length === 0) return [];
    const writer = this.db.bulkWriter();
    const outcomes = events.map(async (event) => {
      const outbox = outboxRecordOf(this.db, [event]);
      if (outbox === null) return null;
      return writer.create(outbox.ref, { ...outbox.record }).then(
        () => event,
        (error: unknown) => {
          if (hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) return null;
          throw error;
        },
      );
    });
    await writer.close();
    return (await Promise.all(outcomes)).filter((e): e is DomainEvent => e !== null);
  }
}
