/**
 * People for retention in Firestore (`principals/{uid}`): the due queries of the people rules
 * (`kind`+`lastActiveOn`, `kind`+`active`+`deactivatedAt`), deleting a profile with its
 * receipt, neutralising a deleted staff member's messages (a collection-group query on
 * `authorUid`), customers whose profile records no activity (paged by uid, for the fallback
 * that the job backfills once), and recording activity at most once per person and day per instance.
 * A deletion's plan waits in `personDeletions/{uid}` (a receipt's counts and hash and the
 * subscription ids: no personal data) until the profile goes with it.
 */
import { FieldPath, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { PeopleStore, PersonDeletionPlan } from '../application/retention/ports';
import type { ActivityRecorder } from '../application/retention/record-activity';
import { RETENTION_RULES, type DeletionReceipt } from '../domain/retention';
import { RETENTION_COLLECTIONS } from './firestore-retention';
import { COLLECTIONS, GRPC_STATUS } from './firestore-names';

const { ALREADY_EXISTS, NOT_FOUND } = GRPC_STATUS;

const StoredPlanSchema = z.object({
  receipt: z.object({
    id: z.string(),
    subject: z.literal('person'),
    subjectId: z.string(),
    action: z.literal('deleted'),
    at: z.string(),
    rule: z.enum(Object.values(RETENTION_RULES)),
    requestId: z.string().nullable(),
    counts: z.record(z.string(), z.number().int().nonnegative()),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  subscriptionIds: z.array(z.string()),
});
/** People remembered as "recorded today" per instance; the oldest are forgotten first. */
const MAX_REMEMBERED = 50_000;

export class FirestorePeopleStore implements PeopleStore {
  constructor(private readonly db: Firestore) {}

  async due(rule: 'inactive-customers' | 'deactivated-staff', cutoff: string, limit: number): Promise<string[]> {
    const principals = this.db.collection(COLLECTIONS.principals);
    const query =
      rule === 'inactive-customers'
        ? principals.where('kind', '==', 'customer').where('lastActiveOn', '<=', cutoff).orderBy('lastActiveOn')
        : principals.where('kind', '==', 'staff').where('active', '==', false).where('deactivatedAt', '<=', cutoff).orderBy('deactivatedAt');
    const snapshot = await query.limit(limit).get();
    return snapshot.docs.map((doc) => doc.id);
  }

  async profile(uid: string): Promise<Readonly<Record<string, unknown>> | null> {
    const snapshot = await this.db.collection(COLLECTIONS.principals).doc(uid).get();
    return snapshot.exists ? (snapshot.data() ?? {}) : null;
  }

  private planRef(uid: string): FirebaseFirestore.DocumentReference {
    return this.db.collection(COLLECTIONS.personDeletions).doc(uid);
  }

  async deletionPlan(uid: string): Promise<PersonDeletionPlan | null> {
    const snapshot = await this.planRef(uid).get();
    return snapshot.exists ? StoredPlanSchema.parse(snapshot.data()) : null;
  }

  async planDeletion(uid: string, plan: PersonDeletionPlan): Promise<PersonDeletionPlan> {
    try {
      await this.planRef(uid).create({ receipt: { ...plan.receipt }, subscriptionIds: [...plan.subscriptionIds] });
      return plan;
    } catch (error) {
      // A concurrent run planned first: its plan is the one every run finishes.
      if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
      const stored = await this.deletionPlan(uid);
      if (stored === null) throw error;
      return stored;
    }
  }

  async deleteWithReceipt(uid: string, receipt: DeletionReceipt): Promise<void> {
    const batch = this.db.batch();
    batch.create(this.db.collection(RETENTION_COLLECTIONS.receipts).doc(receipt.id), receipt);
    batch.delete(this.db.collection(COLLECTIONS.principals).doc(uid));
    batch.delete(this.planRef(uid));
    try {
      await batch.commit();
    } catch (error) {
      // The receipt exists: an earlier attempt deleted the profile with it.
      if ((error as { code?: unknown }).code !== ALREADY_EXISTS) throw error;
      await Promise.all([this.db.collection(COLLECTIONS.principals).doc(uid).delete(), this.planRef(uid).delete()]);
    }
  }

  async messagesBy(uid: string): Promise<number> {
    const counted = await this.authoredBy(uid).count().get();
    return counted.data().count;
  }

  async withoutActivity(cursor: string | null, limit: number): Promise<{ customers: { uid: string; updatedAt: string | null }[]; next: string | null }> {
    let query = this.db.collection(COLLECTIONS.principals).where('kind', '==', 'customer').orderBy(FieldPath.documentId()).select('lastActiveOn', 'updatedAt');
    if (cursor !== null) query = query.startAfter(cursor);
    const snapshot = await query.limit(limit).get();
    const customers = snapshot.docs
      .filter((doc) => typeof doc.get('lastActiveOn') !== 'string')
      .map((doc) => {
        const updatedAt: unknown = doc.get('updatedAt');
        return { uid: doc.id, updatedAt: typeof updatedAt === 'string' ? updatedAt : null };
      });
    const last = snapshot.docs[snapshot.docs.length - 1];
    return { customers, next: snapshot.size === limit && last !== undefined ? last.id : null };
  }

  async backfillActivity(uid: string, day: string): Promise<void> {
    const ref = this.db.collection(COLLECTIONS.principals).doc(uid);
    await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      // Recorded meanwhile (the customer signed in), or deleted: theirs is the better fact.
      if (snapshot.exists && typeof snapshot.get('lastActiveOn') !== 'string') tx.update(ref, { lastActiveOn: day });
    });
  }

  /** A person's messages, by the collection-group index on `authorUid` + `createdAt` that neutralising pages by. */
  private authoredBy(uid: string): FirebaseFirestore.Query {
    return this.db.collectionGroup(COLLECTIONS.messages).where('authorUid', '==', uid).orderBy('createdAt');
  }

  async neutraliseMessages(uid: string, neutralAuthor: string, limit: number): Promise<number> {
    const snapshot = await this.authoredBy(uid).limit(limit).get();
    if (snapshot.empty) return 0;
    const batch = this.db.batch();
    snapshot.docs.forEach((doc) => batch.update(doc.ref, { authorUid: neutralAuthor }));
    await batch.commit();
    return snapshot.size;
  }
}

/**
 * `principals/{uid}.lastActiveOn`, written by the authenticate path only when the day changed:
 * each instance remembers who it recorded today, so a busy person costs one write a day per
 * instance, not one per request.
 */
export class FirestoreActivityRecorder implements ActivityRecorder {
  private readonly recorded = new Map<string, string>();

  constructor(private readonly db: Firestore) {}

  async recordActive(uid: string, day: string): Promise<void> {
    if (this.recorded.get(uid) === day) return;
    this.recorded.delete(uid);
    this.recorded.set(uid, day);
    if (this.recorded.size > MAX_REMEMBERED) {
      const oldest = this.recorded.keys().next().value;
      if (oldest !== undefined) this.recorded.delete(oldest);
    }
    try {
      await this.db.collection(COLLECTIONS.principals).doc(uid).update({ lastActiveOn: day });
    } catch (error) {
      this.recorded.delete(uid);
      if ((error as { code?: unknown }).code !== NOT_FOUND) throw error;
    }
  }
}
