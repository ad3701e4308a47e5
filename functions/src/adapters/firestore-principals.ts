/**
 * Staff and customer accounts in `principals/{uid}`: one read per request answers who the
 * caller is, so deactivation takes effect on the next request. The reads of requests that
 * arrive together are sent as one batched read (`CallGrouper`); each is still a fresh read
 * made after its request arrived.
 */
import type { DocumentData, DocumentReference, DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import type { PrincipalDirectory, StaffProfile } from '../application/ports';
import type { Principal, StaffPrincipal } from '../domain/access';
import type { AccountRecord } from '../domain/account-changes';
import type { AgentTier } from '../domain/ticket';
import { COLLECTIONS } from './firestore-names';
import { CallGrouper } from './grouped-calls';

/** Principal reads sent in one batched read at most. */
const MAX_READ_GROUP = 100;

export class FirestorePrincipalDirectory implements PrincipalDirectory {
  private readonly reads = new CallGrouper<string, DocumentSnapshot>((uids) => this.readGroup(uids), MAX_READ_GROUP);

  constructor(private readonly db: Firestore) {}

  async find(uid: string): Promise<Principal | null> {
    const snapshot = await this.reads.call(uid);
    if (!snapshot.exists) return null;
    return toPrincipal(uid, snapshot.data() ?? {});
  }

  private readGroup(uids: readonly string[]): Promise<DocumentSnapshot>[] {
    // A uid that is no document id (a `/` in it) fails its own read, not its group's.
    const refs = new Map<string, DocumentReference | Error>();
    for (const uid of uids) {
      if (refs.has(uid)) continue;
      try {
        refs.set(uid, this.db.collection(COLLECTIONS.principals).doc(uid));
      } catch (error) {
        refs.set(uid, error instanceof Error ? error : new Error(String(error)));
      }
    }
    const readable = [...refs.values()].filter((ref): ref is DocumentReference => !(ref instanceof Error));
    const snapshots =
      readable.length === 0
        ? Promise.resolve(new Map<string, DocumentSnapshot>())
        : this.db.getAll(...readable).then((read) => new Map(read.map((snapshot) => [snapshot.id, snapshot])));
    return uids.map(async (uid) => {
      const ref = refs.get(uid);
      if (ref instanceof Error) throw ref;
      const snapshot = (await snapshots).get(uid);
      if (snapshot === undefined) throw new Error(`a batched read returned no snapshot for principal ${uid}`);
      return snapshot;
    });
  }


  async putStaff(uid: string, profile: StaffProfile, at: string): Promise<void> {
    const ref = this.db.collection(COLLECTIONS.principals).doc(uid);
    await this.db.runTransaction(async (tx) => {
      tx.set(ref, principalDocument({ kind: 'staff', ...profile }, (await tx.get(ref)).data(), at));
    });
  }

  async putCustomer(uid: string, orgId: string, at: string): Promise<void> {
    await this.db.collection(COLLECTIONS.principals).doc(uid).set(principalDocument({ kind: 'customer', orgId }, undefined, at));
  }

  async organisationExists(orgId: string): Promise<boolean> {
    const customers = await this.db.collection(COLLECTIONS.principals).where('kind', '==', 'customer').where('orgId', '==', orgId).select().limit(1).get();
    return !customers.empty;
  }

  async agentsFor(tier: AgentTier, language: string): Promise<StaffPrincipal[]> {
    const snapshot = await this.db
      .collection(COLLECTIONS.principals)
      .where('kind', '==', 'staff')
      .where('role', '==', 'agent')
      .where('tier', '==', tier)
      .where('active', '==', true)
      .where('languages', 'array-contains', language)
      .get();
    return snapshot.docs.map((doc) => toPrincipal(doc.id, doc.data())).filter((p): p is StaffPrincipal => p?.kind === 'staff');
  }
}

/**
 * The stored principal for an account record, with the facts the retention rules count from:
 * a staff member's `deactivatedAt` (when they became inactive, kept while they stay inactive,
 * null while active) and a customer's `lastActiveOn` (a new or moved customer counts as active
 * from today). `before` is the document as it was.
 */
export function principalDocument(record: AccountRecord, before: DocumentData | undefined, at: string): DocumentData {
  if (record.kind === 'customer') return { ...record, updatedAt: at, lastActiveOn: at.slice(0, 10) };
  const since: unknown = before?.['deactivatedAt'];
  const deactivatedAt = record.active ? null : typeof since === 'string' && before?.['active'] === false ? since : at;
  return { ...record, deactivatedAt, updatedAt: at };
}

function toPrincipal(uid: string, data: FirebaseFirestore.DocumentData): Principal | null {
  if (data['kind'] === 'customer' && typeof data['orgId'] === 'string') {
    return { kind: 'customer', uid, orgId: data['orgId'] };
  }
  if (data['kind'] === 'staff') {
    const profile = data as StaffProfile;
    return {
      kind: 'staff',
      uid,
      role: profile.role,
      tier: profile.tier ?? null,
      languages: profile.languages ?? [],
      products: profile.products ?? [],
      trainedAt: profile.trainedAt ?? null,
      active: profile.active === true,
    };
  }
  return null;
}
