/**
 * Organisations' redaction policies in Firestore, `redactionPolicies/{orgId}`. Read on every
 * intake and message (the hot path), so each instance keeps what it read for a few seconds,
 * like the catalog and configuration reads, and drops its entry when it writes; another
 * instance applies an admin's change within `ttlMs`.
 */
import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { Clock } from '../application/ports';
import type { RedactionPolicyStore, StoredRedactionPolicy } from '../application/redaction/free-text-redactor';
import { CONTACT_KINDS, DEFAULT_REDACTION_POLICY, type RedactionPolicy } from '../domain/redaction';
import { COLLECTIONS } from './firestore-names';
import { TtlCache } from './ttl-cache';

/** The stored document; kinds this version does not know (written by a newer one) are ignored. */
const PolicyDocument = z.object({
  contactKinds: z.array(z.string()).transform((kinds) => CONTACT_KINDS.filter((k) => kinds.includes(k))),
});

export class FirestoreRedactionPolicies implements RedactionPolicyStore {
  private readonly cache: TtlCache;

  constructor(
    private readonly db: Firestore,
    clock: Clock,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache(clock, ttlMs);
  }

  policyOf(orgId: string): Promise<RedactionPolicy> {
    return this.cache.get(orgId, () => this.read(orgId));
  }

  async put(policy: StoredRedactionPolicy): Promise<void> {
    await this.db.collection(COLLECTIONS.redactionPolicies).doc(policy.orgId).set({
      contactKinds: [...policy.contactKinds],
      updatedAt: policy.updatedAt,
      updatedBy: policy.updatedBy,
    });
    this.cache.delete(policy.orgId);
  }

  private async read(orgId: string): Promise<RedactionPolicy> {
    const snapshot = await this.db.collection(COLLECTIONS.redactionPolicies).doc(orgId).get();
    if (!snapshot.exists) return DEFAULT_REDACTION_POLICY;
    return { contactKinds: PolicyDocument.parse(snapshot.data()).contactKinds };
  }
}
