/**
 * Encrypted originals in Firestore, apart from tickets: `dataKeys/{ticketId}` (the wrapped data
 * key, in the keys database: in production one without point-in-time recovery or backups, so a
 * destroyed key survives in no backup and the sealed texts that backups do hold stay unreadable;
 * after a destroy, a tombstone without `wrapped` in its place, so that creating a key fails),
 * `originals/{ticketId}/texts/{id}` (sealed texts), `destroyedKeys/{ticketId}` (the record of
 * every destroy — when, by whom, why, how many texts, what afterwards; no personal data) and
 * `auditLog/{id}`.
 */
import type { CollectionReference, DocumentReference, DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { DataKeyState, DestroyRecord, OriginalsDestroy, OriginalsRepository } from '../application/ports';
import type { SealedOriginal } from '../application/records';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';

export class FirestoreOriginalsRepository implements OriginalsRepository {
  constructor(
    private readonly db: Firestore,
    private readonly keysDb: Firestore,
  ) {}

  async keyState(ticketId: string): Promise<DataKeyState> {
    return keyStateOf(await this.keyRef(ticketId).get());
  }

  async createKey(ticketId: string, key: { wrapped: string; keyName: string; createdAt: string }): Promise<DataKeyState> {
    const ref = this.keyRef(ticketId);
    try {
      await ref.create({ ticketId, ...key });
      return { state: 'live', wrapped: key.wrapped };
    } catch (error) {
      if (!hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) throw error;
      // Another request's key won the race, or a tombstone is there: either is what stands.
      const stored = keyStateOf(await ref.get());
      if (stored.state === 'none') throw error;
      return stored;
    }
  }

  async list(ticketId: string): Promise<SealedOriginal[]> {
    const snapshot = await this.textsOf(ticketId).orderBy('createdAt').get();
    return snapshot.docs.map((doc) => doc.data() as SealedOriginal);
  }

  async destroys(ticketId: string): Promise<DestroyRecord[]> {
    return destroysOf(await this.recordRef(ticketId).get());
  }

  async destroy(ticketId: string, destroy: OriginalsDestroy): Promise<number> {
    // The tombstone goes first: from then on every sealed copy, backups included, is unreadable,
    // and no request can make a new key (creating one fails while the tombstone is there).
    await this.keyRef(ticketId).set({ ticketId, destroyedAt: destroy.at, afterwards: destroy.afterwards });
    const texts = await this.textsOf(ticketId).listDocuments();
    for (let i = 0; i < texts.length; i += 500) {
      const batch = this.db.batch();
      texts.slice(i, i + 500).forEach((ref) => batch.delete(ref));
      await batch.commit();
    }
    const entry: DestroyRecord = { ...destroy, texts: texts.length };
    // A second destroy adds to the record (read and written in one transaction), never replaces it.
    await this.db.runTransaction(async (tx) => {
      const ref = this.recordRef(ticketId);
      const destroys = [...destroysOf(await tx.get(ref)), entry];
      tx.set(ref, { ticketId, ...entry, destroys });
    });
    return texts.length;
  }

  private keyRef(ticketId: string): DocumentReference {
    return this.keysDb.collection(COLLECTIONS.dataKeys).doc(ticketId);
  }

  private recordRef(ticketId: string): DocumentReference {
    return this.db.collection(COLLECTIONS.destroyedKeys).doc(ticketId);
  }

  private textsOf(ticketId: string): CollectionReference {
    return this.db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts);
  }

  async audit(record: { id: string; action: string; ticketId: string; by: string; at: string; reason: string }): Promise<void> {
    await this.db.collection(COLLECTIONS.auditLog).doc(record.id).create(record);
  }
}

function keyStateOf(snapshot: DocumentSnapshot): DataKeyState {
  if (!snapshot.exists) return { state: 'none' };
  const wrapped: unknown = snapshot.get('wrapped');
  if (typeof wrapped === 'string') return { state: 'live', wrapped };
  return { state: 'destroyed', afterwards: snapshot.get('afterwards') === 'refused' ? 'refused' : 'destroyed' };
}

const DestroyRecordSchema = z.object({
  at: z.string(),
  by: z.string(),
  reason: z.string(),
  texts: z.number(),
  afterwards: z.enum(['destroyed', 'refused']).default('destroyed'),
});

/** The destroys on record; a record from before the list was kept holds its one destroy at the top level. */
function destroysOf(snapshot: DocumentSnapshot): DestroyRecord[] {
  if (!snapshot.exists) return [];
  const listed: unknown = snapshot.get('destroys');
  return z.array(DestroyRecordSchema).parse(Array.isArray(listed) ? listed : [snapshot.data()]);
}
