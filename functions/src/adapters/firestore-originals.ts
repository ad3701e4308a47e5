/**
 * Encrypted originals in Firestore, apart from tickets: `dataKeys/{ticketId}` (the wrapped data
 * key, in the keys database: in production one without point-in-time recovery or backups, so a
 * destroyed key survives in no backup and the sealed texts that backups do hold stay unreadable),
 * `originals/{ticketId}/texts/{id}` (sealed texts), `destroyedKeys/{ticketId}`
 * (tombstones: when and why a key was destroyed, no personal data) and `auditLog/{id}`.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { OriginalsRepository } from '../application/ports';
import type { SealedOriginal } from '../application/records';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';

export class FirestoreOriginalsRepository implements OriginalsRepository {
  constructor(
    private readonly db: Firestore,
    private readonly keysDb: Firestore,
  ) {}

  async wrappedKey(ticketId: string): Promise<string | null> {
    const snapshot = await this.keysDb.collection(COLLECTIONS.dataKeys).doc(ticketId).get();
    const wrapped: unknown = snapshot.get('wrapped');
    return typeof wrapped === 'string' ? wrapped : null;
  }

  async createKey(ticketId: string, key: { wrapped: string; keyName: string; createdAt: string }): Promise<string> {
    const ref = this.keysDb.collection(COLLECTIONS.dataKeys).doc(ticketId);
    try {
      await ref.create({ ticketId, ...key });
      return key.wrapped;
    } catch (error) {
      if (!hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) throw error;
      const winner: unknown = (await ref.get()).get('wrapped');
      if (typeof winner !== 'string') throw error;
      return winner;
    }
  }

  async list(ticketId: string): Promise<SealedOriginal[]> {
    const snapshot = await this.db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts).orderBy('createdAt').get();
    return snapshot.docs.map((doc) => doc.data() as SealedOriginal);
  }

  async destroyedAt(ticketId: string): Promise<string | null> {
    const snapshot = await this.db.collection(COLLECTIONS.destroyedKeys).doc(ticketId).get();
    const at: unknown = snapshot.get('at');
    return typeof at === 'string' ? at : null;
  }

  async destroy(ticketId: string, at: string, by: string, reason: string): Promise<number> {
    const texts = await this.db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts).listDocuments();
    // The key goes first: from then on every sealed copy, backups included, is unreadable.
    await this.keysDb.collection(COLLECTIONS.dataKeys).doc(ticketId).delete();
    const batch = this.db.batch();
    batch.set(this.db.collection(COLLECTIONS.destroyedKeys).doc(ticketId), { ticketId, at, by, reason, texts: texts.length });
    for (const ref of texts.slice(0, 490)) batch.delete(ref);
    await batch.commit();
    // The key is gone with the first batch; any further ciphertext is unreadable and only tidied up.
    for (let i = 490; i < texts.length; i += 500) {
      const rest = this.db.batch();
      texts.slice(i, i + 500).forEach((ref) => rest.delete(ref));
      await rest.commit();
    }
    return texts.length;
  }

  async audit(record: { id: string; action: string; ticketId: string; by: string; at: string; reason: string }): Promise<void> {
    await this.db.collection(COLLECTIONS.auditLog).doc(record.id).create(record);
  }
}
