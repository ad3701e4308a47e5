/**
 * Staff and customer accounts in `principals/{uid}`: one read per request answers who the
 * caller is, so deactivation takes effect on the next request.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { PrincipalDirectory, StaffProfile } from '../application/ports';
import type { Principal, StaffPrincipal } from '../domain/access';
import type { AgentTier } from '../domain/ticket';

export const PRINCIPALS = 'principals';

export class FirestorePrincipalDirectory implements PrincipalDirectory {
  constructor(private readonly db: Firestore) {}

  async find(uid: string): Promise<Principal | null> {
    const snapshot = await this.db.collection(PRINCIPALS).doc(uid).get();
    if (!snapshot.exists) return null;
    return toPrincipal(uid, snapshot.data() ?? {});
  }

  async putStaff(uid: string, profile: StaffProfile, at: string): Promise<void> {
    await this.db.collection(PRINCIPALS).doc(uid).set({ kind: 'staff', ...profile, updatedAt: at });
  }

  async putCustomer(uid: string, orgId: string, at: string): Promise<void> {
    await this.db.collection(PRINCIPALS).doc(uid).set({ kind: 'customer', orgId, updatedAt: at });
  }

  async agentsFor(tier: AgentTier, language: string): Promise<StaffPrincipal[]> {
    const snapshot = await this.db
      .collection(PRINCIPALS)
      .where('kind', '==', 'staff')
      .where('role', '==', 'agent')
      .where('tier', '==', tier)
      .where('active', '==', true)
      .where('languages', 'array-contains', language)
      .get();
    return snapshot.docs.map((doc) => toPrincipal(doc.id, doc.data())).filter((p): p is StaffPrincipal => p?.kind === 'staff');
  }
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
