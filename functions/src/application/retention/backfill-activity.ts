/**
 * The fallback of the inactive-customer rule for customers whose profile records no activity day
 * (profiles written before activity was recorded): the rule's indexed query never sees a
 * document without the field, so such a customer would be kept for ever. Once, before the people
 * rules, the job pages through the customers and gives each of them the day of the latest fact
 * known of them (`fallbackActivityDay`: the account's creation, sign-in or token refresh, the
 * profile's last change; today when none is known). A watermark keeps its place, so a stopped run
 * resumes the pass and a finished pass is never repeated: every writer of a customer profile
 * records the day since, so no new customer can lack one.
 */
import { fallbackActivityDay } from '../../domain/retention';
import type { Clock, Logger } from '../ports';
import type { AccountAdmin, PeopleStore, RetentionWatermarks } from './ports';

export interface BackfillActivityDeps {
  readonly people: PeopleStore;
  readonly accounts: AccountAdmin;
  readonly retentionWatermarks: RetentionWatermarks;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The watermark of the pass: `after:<uid>` while under way, `complete` once done. */
const BACKFILL_WATERMARK = 'customer-activity-backfill';
const COMPLETE = 'complete';
/** Customers read per page of the pass. */
const BACKFILL_PAGE = 500;

/** Gives every customer without an activity day their fallback day; how many it gave one. */
export async function backfillActivity(deps: BackfillActivityDeps): Promise<number> {
  const mark = await deps.retentionWatermarks.get(BACKFILL_WATERMARK);
  if (mark === COMPLETE) return 0;
  let cursor = mark?.startsWith('after:') === true ? mark.slice('after:'.length) : null;
  let backfilled = 0;
  do {
    const page = await deps.people.withoutActivity(cursor, BACKFILL_PAGE);
    for (const customer of page.customers) {
      const seen = await deps.accounts.seen(customer.uid);
      const day = fallbackActivityDay([seen?.createdAt ?? null, seen?.lastSignInAt ?? null, seen?.lastRefreshAt ?? null, customer.updatedAt], deps.clock.now());
      await deps.people.backfillActivity(customer.uid, day);
      backfilled += 1;
    }
    cursor = page.next;
    await deps.retentionWatermarks.set(BACKFILL_WATERMARK, cursor === null ? COMPLETE : `after:${cursor}`);
  } while (cursor !== null);
  if (backfilled > 0) deps.logger.info('retention: activity days backfilled for customers who had none', { customers: backfilled });
  return backfilled;
}
