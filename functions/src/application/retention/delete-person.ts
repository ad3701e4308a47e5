/**
 * Deleting a person: their sign-in account and profile, with a receipt. A staff member's
 * messages stay on the tickets under a neutral name ({@link FORMER_STAFF_AUTHOR}); a
 * customer's tickets are deleted (or, held, anonymised) before, by the erasure request or
 * left to the ticket rules for an inactive customer (whose tickets are long closed).
 *
 * Before anything is deleted, the receipt is built from everything as it is then and stored
 * as the deletion's plan (`PersonDeletionPlan`) with the status subscriptions to delete. Then
 * the messages are neutralised, the subscriptions and the account deleted, and last the
 * profile and the plan go with the receipt in one atomic write. A run stopped anywhere finds
 * the profile again next time and finishes from the stored plan, so the receipt proves what
 * the first run found — even the subscriptions found by the account's address after the
 * account went — and is created once.
 */
import { deletionReceipt, FORMER_STAFF_AUTHOR, type DeletedRecord, type RetentionRule } from '../../domain/retention';
import type { Logger } from '../ports';
import type { BatchTally } from './delete-tickets';
import type { AccountAdmin, PeopleStore, PersonDeletionPlan, SubscriptionsByAddress } from './ports';

export interface PersonDeps {
  readonly people: PeopleStore;
  readonly accounts: AccountAdmin;
  readonly subscriptionsByAddress: SubscriptionsByAddress;
  readonly logger: Logger;
}

/** Messages rewritten per query while neutralising a staff member's authorship. */
const NEUTRALISE_BATCH = 200;

/** How deleting a person ended: `gone` when no profile was left (deleted before), `failed` when a write failed (logged; they stay due). */
export type PersonDeletion = 'deleted' | 'gone' | 'failed';

/**
 * Deletes one person under `rule`.
 * The status subscriptions at their sign-in address go with them and are listed on the
 * receipt — for an erasure request and for the retention rules alike.
 */
export async function deletePerson(
  deps: PersonDeps,
  uid: string,
  rule: RetentionRule,
  context: { readonly at: string; readonly requestId: string | null; readonly runId?: string },
  tally?: BatchTally,
): Promise<PersonDeletion> {
  const [profile, account, stored] = await Promise.all([deps.people.profile(uid), deps.accounts.account(uid), deps.people.deletionPlan(uid)]);
  if (profile === null) {
    // Stopped after the profile went: only the account can be left.
    if (account !== null) await deps.accounts.deleteAccount(uid);
    return 'gone';
  }
  try {
    const plan = stored ?? (await deps.people.planDeletion(uid, await planOf(deps, uid, profile, account, rule, context)));
    if (profile['kind'] === 'staff') {
      while ((await deps.people.neutraliseMessages(uid, FORMER_STAFF_AUTHOR, NEUTRALISE_BATCH)) === NEUTRALISE_BATCH);
    }
    await Promise.all(plan.subscriptionIds.map((id) => deps.subscriptionsByAddress.delete(id)));
    await deps.accounts.deleteAccount(uid);
    await deps.people.deleteWithReceipt(uid, plan.receipt);
    return 'deleted';
  } catch (error) {
    if (tally !== undefined) tally.failed += 1;
    deps.logger.error('retention: a person could not be deleted; they stay due', {
      reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
    });
    return 'failed';
  }
}

/** The plan of a deletion not begun yet: its receipt over the profile, account and subscriptions as they are now. */
async function planOf(
  deps: PersonDeps,
  uid: string,
  profile: Readonly<Record<string, unknown>>,
  account: Readonly<Record<string, unknown>> | null,
  rule: RetentionRule,
  context: { readonly at: string; readonly requestId: string | null },
): Promise<PersonDeletionPlan> {
  const email = account?.['email'];
  const [subscriptions, authored] = await Promise.all([
    typeof email === 'string' ? deps.subscriptionsByAddress.at(email.toLowerCase()) : [],
    profile['kind'] === 'staff' ? deps.people.messagesBy(uid) : 0,
  ]);
  const records: DeletedRecord[] = [{ kind: 'profile', id: `principals/${uid}`, content: profile }, ...subscriptions.map((s) => s.record)];
  if (account !== null) records.push({ kind: 'account', id: `accounts/${uid}`, content: account });
  const receipt = deletionReceipt({ subject: 'person', subjectId: uid, action: 'deleted', at: context.at, rule, requestId: context.requestId, records });
  return {
    receipt: authored > 0 ? { ...receipt, counts: { ...receipt.counts, messagesNeutralised: authored } } : receipt,
    subscriptionIds: subscriptions.map((s) => s.subscriptionId),
  };
}
