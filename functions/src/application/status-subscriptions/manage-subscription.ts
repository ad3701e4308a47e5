/**
 * What the holder of a subscription's tokens may do: confirm an email subscription with the
 * link it was sent (`GET …/confirm?token=`), and unsubscribe with the token every message
 * carries (`DELETE …?token=`). A wrong token is `404`, as for an unknown subscription, and
 * changes nothing.
 */
import { NotFoundError } from '../../domain/errors';
import { iso } from '../../domain/instant';
import { confirmed, confirmsWith, tokenMatches, type StatusSubscription } from '../../domain/status-subscriptions';
import type { StatusSubscriptionDeps } from './ports';

const UNKNOWN = 'The subscription';

/** Confirms an email subscription (again: no change); `404` for a wrong token. */
export async function confirmEmailSubscription(deps: Pick<StatusSubscriptionDeps, 'subscriptions' | 'clock'>, id: string, token: string): Promise<StatusSubscription> {
  const at = iso(deps.clock.now());
  let matched = false;
  const after = await deps.subscriptions.update(id, (subscription) => {
    matched = confirmsWith(subscription, token);
    if (!matched || subscription.state === 'active') return null;
    return confirmed(subscription, at);
  });
  if (after === null || !matched) throw new NotFoundError(UNKNOWN);
  return after;
}

/** Deletes a subscription; `404` for a wrong token. Deliveries still pending for it are cancelled at their next attempt. */
export async function unsubscribe(deps: Pick<StatusSubscriptionDeps, 'subscriptions'>, id: string, token: string): Promise<void> {
  const subscription = await deps.subscriptions.get(id);
  if (subscription === null || !tokenMatches(subscription.unsubscribeToken, token)) throw new NotFoundError(UNKNOWN);
  await deps.subscriptions.delete(id);
}
