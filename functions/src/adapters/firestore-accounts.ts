/**
 * Account changes in Firestore: `principals/{uid}` (the document `FirestorePrincipalDirectory`
 * reads on every request), `staffGrants/{grantId}` and `auditLog/{id}`, each change in one
 * transaction, so that no change is ever stored without its audit record.
 */
import type { DocumentData, Firestore, Transaction } from '@google-cloud/firestore';
import type { AccountAdministration, AccountChange, AccountState } from '../application/ports';
import type { AccountRecord, StaffGrant } from '../domain/account-changes';
import { STAFF_ROLES } from '../domain/access';
import { AGENT_TIERS } from '../domain/ticket';
import { COLLECTIONS } from './firestore-names';
import { principalDocument } from './firestore-principals';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A stored principal as an account record; null for no document or one of no known kind. */
function accountFromStored(data: DocumentData | undefined): AccountRecord | null {
  if (data?.['kind'] === 'customer' && typeof data['orgId'] === 'string') return { kind: 'customer', orgId: data['orgId'] };
  if (data?.['kind'] !== 'staff') return null;
  const role = STAFF_ROLES.find((r) => r === data['role']);
  if (role === undefined) return null;
  return {
    kind: 'staff',
    role,
    tier: AGENT_TIERS.find((t) => t === data['tier']) ?? null,
    languages: strings(data['languages']),
    products: strings(data['products']),
    trainedAt: typeof data['trainedAt'] === 'string' ? data['trainedAt'] : null,
    active: data['active'] === true,
  };
}

function grantFromStored(data: DocumentData | undefined): StaffGrant | null {
  if (data === undefined) return null;
  const after = accountFromStored(data['after'] as DocumentData | undefined);
  if (after?.kind !== 'staff') return null;
  return {
    grantId: String(data['grantId']),
    uid: String(data['uid']),
    status: data['status'] === 'approved' ? 'approved' : 'pending',
    requestedBy: String(data['requestedBy']),
    requestedAt: String(data['requestedAt']),
    expiresAt: String(data['expiresAt']),
    before: accountFromStored(data['before'] as DocumentData | undefined),
    after,
    approvedBy: typeof data['approvedBy'] === 'string' ? data['approvedBy'] : null,
    approvedAt: typeof data['approvedAt'] === 'string' ? data['approvedAt'] : null,
  };
}

export class FirestoreAccountAdministration implements AccountAdministration {
  constructor(private readonly db: Firestore) {}

  async change<R>(target: { readonly uid?: string; readonly grantId?: string }, decide: (state: AccountState) => AccountChange<R>): Promise<R> {
    return this.db.runTransaction(async (tx) => {
      const grant = target.grantId === undefined ? null : grantFromStored((await tx.get(this.grantRef(target.grantId))).data());
      const uid = target.uid ?? grant?.uid;
      const stored = uid === undefined ? undefined : (await tx.get(this.db.collection(COLLECTIONS.principals).doc(uid))).data();
      const change = decide({ account: accountFromStored(stored), grant });
      this.write(tx, change, stored);
      return change.result;
    });
  }

  async pendingGrants(): Promise<StaffGrant[]> {
    const snapshot = await this.db.collection(COLLECTIONS.staffGrants).where('status', '==', 'pending').get();
    return snapshot.docs
      .map((doc) => grantFromStored(doc.data()))
      .filter((grant): grant is StaffGrant => grant !== null)
      .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  }

  private grantRef(grantId: string) {
    return this.db.collection(COLLECTIONS.staffGrants).doc(grantId);
  }

  private write<R>(tx: Transaction, change: AccountChange<R>, stored: DocumentData | undefined): void {
    if (change.account !== undefined) {
      tx.set(this.db.collection(COLLECTIONS.principals).doc(change.account.uid), principalDocument(change.account.record, stored, change.audit.at));
    }
    if (change.grant !== undefined) tx.set(this.grantRef(change.grant.grantId), { ...change.grant });
    tx.create(this.db.collection(COLLECTIONS.auditLog).doc(change.audit.id), { ...change.audit });
  }
}
