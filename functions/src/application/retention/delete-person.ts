/**
 * Deleting a person: their sign-in account and profile, with a receipt. A staff member's
 * messages stay on the tickets under a neutral name ({@link FORMER_STAFF_AUTHOR}); a
 * customer's tickets are deleted (or, held, anonymised) before, by the erasure request or
 * left to the ticket rules for an inactive customer (whose tickets are long closed).
 *
 * The account goes first, then the profile with the receipt in one atomic write: a run stopped
 * between the two finds the profile again next time, and the receipt is created once.
 */
import { deletionReceipt, FORMER_STAFF_AUTHOR, type DeletedRecord, type RetentionRule } from '../../domain/retention';
import type { Logger } from '../ports';
import type { BatchTally } from './delete-tickets';
import type { AccountAdmin, PeopleStore, SubscriptionsByAddress } from './ports';

export interface PersonDeps {
  readonly people: PeopleStore;
  readonly accounts: AccountAdmin;
  readonly subscriptionsByAddress: SubscriptionsByAddress;
  readonly logger: Logger;
}

/** Messages rewritten per query while neutralising a staff member's authorship. */
const NEUTRALISE_BATCH = 200;

/**
 * Deletes one person under `rule`; `deleted` is false when there was no profile left to delete.
 * The status subscriptions at their sign-in address go first, while the account still names it
 * (a repeat after the account went finds none left), and are listed on the receipt — for an
 * erasure request and for the retention rules alike.
 */
export async function deletePerson(
  deps: PersonDeps,
  uid: string,
  rule: RetentionRule,
  context: { readonly at: string; readonly requestId: string | null; readonly runId?: string },
  tally?: BatchTally,
): Promise<{ deleted: boolean; receiptId: string | null }> {
  const [profile, account] = await Promise.all([deps.people.profile(uid), deps.accounts.account(uid)]);
  if (profile === null) {
    // Stopped after the profile went: only the account can be left.
    if (account !== null) await deps.accounts.deleteAccount(uid);
    return { deleted: false, receiptId: null };
  }
  let neutralised = 0;
  if (profile['kind'] === 'staff') {
    for (let rewritten = NEUTRALISE_BATCH; rewritten === NEUTRALISE_BATCH; neutralised += rewritten) {
      rewritten = await deps.people.neutraliseMessages(uid, FORMER_STAFF_AUTHOR, NEUTRALISE_BATCH);
    }
  }
  const email = account?.['email'];
  const subscriptions = typeof email === 'string' ? await deps.subscriptionsByAddress.deleteAt(email.toLowerCase()) : [];
  const records: DeletedRecord[] = [{ kind: 'profile', id: `principals/${uid}`, content: profile }, ...subscriptions];
  if (account !== null) records.push({ kind: 'account', id: `accounts/${uid}`, content: account });
  const receipt = deletionReceipt({ subject: 'person', subjectId: uid, action: 'deleted', at: context.at, rule, requestId: context.requestId, records });
  const withNeutralised = neutralised > 0 ? { ...receipt, counts: { ...receipt.counts, messagesNeutralised: neutralised } } : receipt;
  try {
    await deps.accounts.deleteAccount(uid);
    await deps.people.deleteWithReceipt(uid, withNeutralised);
  } catch (error) {
    if (tally !== undefined) tally.failed += 1;
    deps.logger.error('retention: a person could not be deleted; they stay due', {
      reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
    });
    return { deleted: false, receiptId: null };
  }
  return { deleted: true, receiptId: withNeutralised.id };
}
