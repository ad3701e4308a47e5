/**
 * Erasure requests and deletion receipts in Firestore: `erasureRequests/{id}` (written with
 * the outbox record of the event that starts its processing, in one commit) and
 * `deletionReceipts/{id}` (written by the retention adapter with each deletion).
 */
import { FieldPath, type Firestore } from '@google-cloud/firestore';
import type { DeletionReceipts, ErasureRequest, ErasureRequests, ErasureStatus } from '../application/retention/ports';
import type { DomainEvent } from '../domain/events';
import type { DeletionReceipt } from '../domain/retention';
import { decodeCursor, encodeCursor } from './cursor';
import { COLLECTIONS } from './firestore-names';
import { RETENTION_COLLECTIONS } from './firestore-retention';
import { writeOutbox } from './outbox-records';

const ERASURE_REQUESTS = COLLECTIONS.erasureRequests;

export class FirestoreErasureRequests implements ErasureRequests {
  constructor(private readonly db: Firestore) {}

  async create(request: ErasureRequest, event: DomainEvent): Promise<void> {
    const batch = this.db.batch();
    batch.create(this.db.collection(ERASURE_REQUESTS).doc(request.id), request);
    writeOutbox(this.db, batch, [event]);
    await batch.commit();
  }

  async get(id: string): Promise<ErasureRequest | null> {
    const snapshot = await this.db.collection(ERASURE_REQUESTS).doc(id).get();
    return snapshot.exists ? (snapshot.data() as ErasureRequest) : null;
  }

  async setStatus(id: string, status: ErasureStatus, at: string): Promise<void> {
    await this.db
      .collection(ERASURE_REQUESTS)
      .doc(id)
      .update({ status, updatedAt: at, ...(status === 'completed' ? { completedAt: at } : {}) });
  }
}

export class FirestoreDeletionReceipts implements DeletionReceipts {
  constructor(private readonly db: Firestore) {}

  async list(from: string, to: string, limit: number, cursor: string | null): Promise<{ receipts: DeletionReceipt[]; nextCursor: string | null }> {
    let query = this.db
      .collection(RETENTION_COLLECTIONS.receipts)
      .where('at', '>=', from)
      .where('at', '<', to)
      .orderBy('at')
      .orderBy(FieldPath.documentId());
    const after = decodeCursor(cursor);
    if (after !== null) query = query.startAfter(after.createdAt, after.id);
    const snapshot = await query.limit(limit + 1).get();
    const receipts = snapshot.docs.slice(0, limit).map((doc) => doc.data() as DeletionReceipt);
    const last = receipts[receipts.length - 1];
    return { receipts, nextCursor: snapshot.size > limit && last !== undefined ? encodeCursor({ createdAt: last.at, id: last.id }) : null };
  }

  async ofRequest(requestId: string): Promise<DeletionReceipt[]> {
    const snapshot = await this.db.collection(RETENTION_COLLECTIONS.receipts).where('requestId', '==', requestId).orderBy('at').get();
    return snapshot.docs.map((doc) => doc.data() as DeletionReceipt);
  }
}
