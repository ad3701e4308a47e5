/**
 * The contract of {@link RedactionPolicyStore}, run against the in-memory fake
 * (`tests/unit/contracts/`) and the Firestore adapter on the emulator
 * (`tests/integration/repository-contracts.test.ts`): an organisation without a policy has the
 * default (no contact data masked), and a put replaces that organisation's policy only.
 */
import type { RedactionPolicyStore } from '../../functions/src/application/redaction/free-text-redactor';
import { REDACTION_KINDS, type ContactKind } from '../../functions/src/domain/redaction';

/** How a suite gets the store under test. */
export interface RedactionPolicyStoreSubject {
  /** A store with no policies in it. */
  empty(): Promise<RedactionPolicyStore>;
}

const put = (store: RedactionPolicyStore, orgId: string, contactKinds: readonly ContactKind[]): Promise<void> =>
  store.put({ orgId, contactKinds, updatedAt: '2026-03-02T10:00:00.000Z', updatedBy: 'demo-admin' });

/** The kinds of an organisation's policy, in a fixed order (the port promises a set). */
async function kindsOf(store: RedactionPolicyStore, orgId: string): Promise<string[]> {
  return [...(await store.policyOf(orgId)).contactKinds].sort();
}

/** Registers the contract's tests in the current `describe`. */
export function redactionPolicyStoreContract(subject: RedactionPolicyStoreSubject): void {
  it('an organisation that never put a policy masks no contact data', async () => {
    const store = await subject.empty();
    expect(await kindsOf(store, 'org-never')).toEqual([]);
  });

  it('a put policy reads back, and a later put replaces it whole', async () => {
    const store = await subject.empty();
    await put(store, 'org-a', [REDACTION_KINDS.phoneNumber, REDACTION_KINDS.email]);
    expect(await kindsOf(store, 'org-a')).toEqual([REDACTION_KINDS.email, REDACTION_KINDS.phoneNumber].sort());
    await put(store, 'org-a', [REDACTION_KINDS.email]);
    expect(await kindsOf(store, 'org-a')).toEqual([REDACTION_KINDS.email]);
    await put(store, 'org-a', []);
    expect(await kindsOf(store, 'org-a')).toEqual([]);
  });

  it("one organisation's policy is not another's", async () => {
    const store = await subject.empty();
    await put(store, 'org-a', [REDACTION_KINDS.email]);
    expect(await kindsOf(store, 'org-b')).toEqual([]);
  });
}
