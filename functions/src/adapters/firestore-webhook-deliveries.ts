/**
 * Webhook deliveries in Firestore, `webhookDeliveries/{id}`: the delivery as the domain has
 * it, decoded with zod on the way back, plus `expireAt` once it is finished (a TTL policy
 * deletes it a month later). Many deliveries are created and saved with a BulkWriter; a claim
 * is a write with a precondition on the version that was read.
 */
import { FieldPath, FieldValue, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { DeliveryFilter, DeliveryPage, VersionedDelivery, WebhookDeliveryStore } from '../application/webhooks/ports';
import { urlOrigin } from '../domain/webhook-address';
import { DELIVERY_STATES, type WebhookDelivery } from '../domain/webhook-delivery';
import { decodeCursor, encodeCursor } from './cursor';
import { expiry } from './expiry';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';
import { timestampOf, versionOf } from './firestore-tickets';

const StoredDeliverySchema = z.object({
  id: z.string(),
  purpose: z.string(),
  targetId: z.string(),
  eventId: z.string(),
  origin: z.string(),
  body: z.string(),
  expectEcho: z.string().nullable(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastOutcome: z.object({ status: z.number().int().nullable(), error: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** The stored form of a delivery (with `expireAt` once finished). */
export function deliveryDocument(delivery: WebhookDelivery): Record<string, unknown> {
  return { ...delivery, ...(delivery.finishedAt === null ? {} : expiry('webhookDeliveries', delivery.finishedAt)) };
}

function fromStored(data: FirebaseFirestore.DocumentData | undefined): WebhookDelivery {
  const { expireAt: _expiry, url, ...delivery } = data ?? {};
  // Deliveries written before they kept only the origin carry the whole URL: read as its origin (and saved so).
  return StoredDeliverySchema.parse(typeof url === 'string' && delivery['origin'] === undefined ? { ...delivery, origin: urlOrigin(url) } : delivery);
}

export class FirestoreWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(private readonly db: Firestore) {}

  private ref(id: string): FirebaseFirestore.DocumentReference {
    return this.db.collection(COLLECTIONS.webhookDeliveries).doc(id);
  }

  async createAll(deliveries: readonly WebhookDelivery[]): Promise<WebhookDelivery[]> {
    if (deliveries.length === 0) return [];
    const writer = this.db.bulkWriter();
    const outcomes = deliveries.map(async (delivery) =>
      writer.create(this.ref(delivery.id), deliveryDocument(delivery)).then(
        () => delivery,
        (error: unknown) => {
          // Created before: a redelivered event, or another instance handling it.
          if (hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) return null;
          throw error;
        },
      ),
    );
    await writer.close();
    return (await Promise.all(outcomes)).filter((d): d is WebhookDelivery => d !== null);
  }

  async saveAll(deliveries: readonly WebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    const writer = this.db.bulkWriter();
    const writes = deliveries.map(async (delivery) => writer.set(this.ref(delivery.id), deliveryDocument(delivery)));
    await writer.close();
    await Promise.all(writes);
  }

  async getVersioned(id: string): Promise<VersionedDelivery | null> {
    const snapshot = await this.ref(id).get();
    return snapshot.exists ? { delivery: fromStored(snapshot.data()), version: versionOf(snapshot) } : null;
  }

  async due(nowIso: string, limit: number): Promise<VersionedDelivery[]> {
    const snapshot = await this.db
      .collection(COLLECTIONS.webhookDeliveries)
      .where('state', '==', 'pending')
      .where('nextAttemptAt', '<=', nowIso)
      .orderBy('nextAttemptAt')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => ({ delivery: fromStored(doc.data()), version: versionOf(doc) }));
  }

  async claimIfUnchanged(version: string, claimed: WebhookDelivery): Promise<boolean> {
    try {
      // An update merges: the whole URL of a delivery written before is deleted here (`saveAll` replaces the document).
      await this.ref(claimed.id).update({ ...deliveryDocument(claimed), url: FieldValue.delete() }, { lastUpdateTime: timestampOf(version) });
      return true;
    } catch (error) {
      if (hasGrpcStatus(error, GRPC_STATUS.FAILED_PRECONDITION)) return false;
      throw error;
    }
  }

  async list(filter: DeliveryFilter, limit: number, cursor: string | null): Promise<DeliveryPage> {
    const after = decodeCursor(cursor);
    let query: FirebaseFirestore.Query = this.db.collection(COLLECTIONS.webhookDeliveries);
    if (filter.state !== undefined) query = query.where('state', '==', filter.state);
    query = query.orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
    if (after !== null) query = query.startAfter(after.createdAt, after.id);
    const snapshot = await query.limit(limit + 1).get();
    const found = snapshot.docs.map((doc) => fromStored(doc.data()));
    const deliveries = found.slice(0, limit);
    const last = deliveries[deliveries.length - 1];
    return { deliveries, nextCursor: found.length > limit && last !== undefined ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }
}
