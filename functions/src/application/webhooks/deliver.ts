/**
 * Running deliveries: the first attempts of a batch just created (claimed by their creator),
 * and later attempts of single deliveries that are due (claimed with a precondition, so that
 * two runs of the retry job, or the job and a first attempt, never send one attempt twice).
 */
import { cancel, claim, isDue, type WebhookDelivery } from '../../domain/webhook-delivery';
import { iso } from '../../domain/instant';
import { mapLimited } from '../limited';
import { attemptDelivery, reportFinished } from './attempt-delivery';
import type { VersionedDelivery, WebhookDeps, WebhookTarget } from './ports';

/** Requests in flight at once per instance. */
export const DELIVERY_CONCURRENCY = 64;

/** What a run of deliveries did. */
export interface DeliveryReport {
  readonly attempted: number;
  readonly delivered: number;
  readonly deadLettered: number;
}

function report(after: readonly (WebhookDelivery | null)[]): DeliveryReport {
  const done = after.filter((d): d is WebhookDelivery => d !== null);
  return {
    attempted: done.filter((d) => d.state !== 'cancelled').length,
    delivered: done.filter((d) => d.state === 'delivered').length,
    deadLettered: done.filter((d) => d.state === 'dead_lettered').length,
  };
}

async function settle(deps: WebhookDeps, after: readonly WebhookDelivery[]): Promise<void> {
  await deps.deliveries.saveAll(after);
  for (const delivery of after) reportFinished(deps, delivery);
  await mapLimited(
    after.filter((d) => d.state === 'delivered'),
    DELIVERY_CONCURRENCY,
    async (d) => deps.webhookTargets.delivered(d),
  );
}

/** First attempts of deliveries its caller created claimed, each with its target; saved together. */
export async function deliverClaimed(
  deps: WebhookDeps,
  items: readonly { readonly delivery: WebhookDelivery; readonly target: WebhookTarget }[],
): Promise<DeliveryReport> {
  const after = await mapLimited(items, DELIVERY_CONCURRENCY, async ({ delivery, target }) => attemptDelivery(deps, delivery, target));
  await settle(deps, after);
  return report(after);
}

/** One due delivery: claimed, tried (or cancelled when its target is gone) and saved; null when it was not due or another run claimed it. */
async function attemptIfDue(deps: WebhookDeps, versioned: VersionedDelivery): Promise<WebhookDelivery | null> {
  const now = deps.clock.now();
  if (!isDue(versioned.delivery, now)) return null;
  const claimed = claim(versioned.delivery, now);
  if (!(await deps.deliveries.claimIfUnchanged(versioned.version, claimed))) return null;
  const target = await deps.webhookTargets.find(claimed);
  const after = target === null ? cancel(claimed, deps.clock.now()) : await attemptDelivery(deps, claimed, target);
  await settle(deps, [after]);
  return after;
}

/** The retry job: every pending delivery whose next attempt is due. */
export async function retryDueDeliveries(deps: WebhookDeps, limit = 500): Promise<DeliveryReport> {
  const due = await deps.deliveries.due(iso(deps.clock.now()), limit);
  return report(await mapLimited(due, DELIVERY_CONCURRENCY, async (versioned) => attemptIfDue(deps, versioned)));
}

/** A delivery asked for at once (a subscription's challenge): tried if it is still due. */
export async function attemptNow(deps: WebhookDeps, deliveryId: string): Promise<DeliveryReport> {
  const versioned = await deps.deliveries.getVersioned(deliveryId);
  return report([versioned === null ? null : await attemptIfDue(deps, versioned)]);
}
