/**
 * Deleting a person over in-memory fakes: a deletion stopped at any write is finished by the
 * next run from its stored plan, and the receipt is the one an uninterrupted run writes — the
 * subscriptions found by the account's address listed even though the account went first —
 * and an erasure request is completed only once its subject is deleted.
 */
import { deletePerson, type PersonDeps } from '../../functions/src/application/retention/delete-person';
import { processErasure, type ErasureDeps } from '../../functions/src/application/retention/erasure-requests';
import type {
  AccountAdmin,
  ErasureRequest,
  ErasureRequests,
  PeopleStore,
  PersonDeletionPlan,
  RetentionRuns,
  RetentionStore,
  SubscriptionsByAddress,
} from '../../functions/src/application/retention/ports';
import { FORMER_STAFF_AUTHOR, RETENTION_RULES, type DeletedRecord, type DeletionReceipt } from '../../functions/src/domain/retention';
import { FixedClock, MemoryLogger, SequentialIds } from './fakes';

const AT = '2026-12-01T12:00:00.000Z';
const CONTEXT = { at: AT, requestId: null };
const UID = 'staff-1';
const EMAIL = 'Ada@Example.com';

/** One person's records; `failing` names the write that fails once (then works). */
function world(failing: 'subscription' | 'account' | 'profile' | 'neutralise' | null) {
  const state = {
    profile: { kind: 'staff', displayName: 'Ada', active: false } as Record<string, unknown> | null,
    account: { email: EMAIL, uid: UID } as Record<string, unknown> | null,
    plan: null as PersonDeletionPlan | null,
    receipts: [] as DeletionReceipt[],
    subscriptions: new Map<string, Record<string, unknown>>([
      ['sub-1', { email: EMAIL.toLowerCase(), products: ['billing'] }],
      ['sub-2', { email: EMAIL.toLowerCase(), products: ['api'] }],
      ['sub-other', { email: 'someone@example.com', products: ['api'] }],
    ]),
    messages: ['m1', 'm2', 'm3'].map((id) => ({ id, authorUid: UID })),
  };
  let failure = failing;
  const failOnce = (write: typeof failing): void => {
    if (failure !== write) return;
    failure = null;
    throw new Error(`${String(write)} write failed`);
  };
  const people = {
    profile: async () => state.profile,
    deletionPlan: async () => state.plan,
    planDeletion: async (_uid: string, plan: PersonDeletionPlan) => (state.plan ??= plan),
    messagesBy: async () => state.messages.filter((m) => m.authorUid === UID).length,
    neutraliseMessages: async (_uid: string, neutral: string, limit: number) => {
      failOnce('neutralise');
      const mine = state.messages.filter((m) => m.authorUid === UID).slice(0, limit);
      for (const m of mine) m.authorUid = neutral;
      return mine.length;
    },
    deleteWithReceipt: async (_uid: string, receipt: DeletionReceipt) => {
      failOnce('profile');
      if (!state.receipts.some((r) => r.id === receipt.id)) state.receipts.push(receipt);
      state.profile = null;
      state.plan = null;
    },
  } as unknown as PeopleStore;
  const accounts = {
    account: async () => state.account,
    deleteAccount: async () => {
      failOnce('account');
      state.account = null;
    },
  } as unknown as AccountAdmin;
  const subscriptionsByAddress: SubscriptionsByAddress = {
    at: async (email) =>
      [...state.subscriptions]
        .filter(([, content]) => content['email'] === email)
        .map(([subscriptionId, content]): { subscriptionId: string; record: DeletedRecord } => ({
          subscriptionId,
          record: { kind: 'statusSubscription', id: `statusSubscriptions/${subscriptionId}`, content },
        })),
    delete: async (id) => {
      failOnce('subscription');
      state.subscriptions.delete(id);
    },
  };
  const deps: PersonDeps = { people, accounts, subscriptionsByAddress, logger: new MemoryLogger() };
  return { deps, state };
}

describe('deleting a person', () => {
  it('when nothing fails, then account, profile, their subscriptions and plan go and the receipt counts each with the neutralised messages', async () => {
    const { deps, state } = world(null);
    expect(await deletePerson(deps, UID, RETENTION_RULES.deactivatedStaff, CONTEXT)).toBe('deleted');
    expect(state).toMatchObject({ profile: null, account: null, plan: null });
    expect([...state.subscriptions.keys()]).toEqual(['sub-other']);
    expect(state.messages.every((m) => m.authorUid === FORMER_STAFF_AUTHOR)).toBe(true);
    expect(state.receipts).toHaveLength(1);
    expect(state.receipts[0]?.counts).toEqual({ profile: 1, account: 1, statusSubscription: 2, messagesNeutralised: 3 });
  });

  it.each(['neutralise', 'subscription', 'account', 'profile'] as const)(
    'when the %s write fails, then the run reports failed, the person stays due, and the next run writes the same receipt an uninterrupted run does',
    async (failing) => {
      const clean = world(null);
      await deletePerson(clean.deps, UID, RETENTION_RULES.deactivatedStaff, CONTEXT);
      const { deps, state } = world(failing);
      expect(await deletePerson(deps, UID, RETENTION_RULES.deactivatedStaff, CONTEXT)).toBe('failed');
      expect(state.profile).not.toBeNull();
      expect(state.receipts).toEqual([]);
      expect(await deletePerson(deps, UID, RETENTION_RULES.deactivatedStaff, { ...CONTEXT, at: '2026-12-02T12:00:00.000Z' })).toBe('deleted');
      expect(state.receipts).toEqual(clean.state.receipts);
      expect([...state.subscriptions.keys()]).toEqual(['sub-other']);
      expect(state).toMatchObject({ profile: null, account: null, plan: null });
      expect(await deletePerson(deps, UID, RETENTION_RULES.deactivatedStaff, CONTEXT)).toBe('gone');
    },
  );
});

describe('an erasure request whose subject could not be deleted', () => {
  it('when the account write fails, then the delivery fails and the request stays in progress; the redelivery deletes them and completes it', async () => {
    const { deps: personDeps, state } = world('account');
    const request: { current: ErasureRequest } = {
      current: { id: 'er-1', subjectUid: UID, requestedBy: UID, status: 'received', createdAt: AT, updatedAt: AT, completedAt: null },
    };
    const erasures = {
      get: async () => request.current,
      setStatus: async (_id: string, status: ErasureRequest['status'], at: string) => {
        request.current = { ...request.current, status, updatedAt: at };
      },
    } as unknown as ErasureRequests;
    const deps = {
      ...personDeps,
      erasures,
      retentionStore: { due: async () => ({ tickets: [], next: null }) } as unknown as RetentionStore,
      retentionRuns: { start: async () => undefined, finish: async () => undefined } as unknown as RetentionRuns,
      clock: new FixedClock(Date.parse(AT)),
      ids: new SequentialIds(),
    } as unknown as ErasureDeps;
    await expect(processErasure(deps, 'er-1')).rejects.toThrow(/1 deletion\(s\) failed/);
    expect(request.current.status).toBe('in_progress');
    expect(state.profile).not.toBeNull();
    expect(await processErasure(deps, 'er-1')).toBe('completed');
    expect(request.current.status).toBe('completed');
    expect(state).toMatchObject({ profile: null, account: null });
    expect(state.receipts).toHaveLength(1);
  });
});
