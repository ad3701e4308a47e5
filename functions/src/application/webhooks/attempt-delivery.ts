/**
 * One attempt of a claimed delivery: sign the body with the target's secret at the time of
 * sending (`Tuki-Signature`, `domain/webhook-signature.ts`), post it, and decide from the
 * answer whether it was delivered, is retried later or is dead-lettered.
 */
import { afterAttempt, ATTEMPT_TIMEOUT_MS, outcomeOf, type WebhookDelivery } from '../../domain/webhook-delivery';
import { SIGNATURE_HEADER, signatureHeader } from '../../domain/webhook-signature';
import type { WebhookDeps, WebhookTarget } from './ports';

/** Sends a claimed delivery to `target` once; answers the delivery after the attempt (not yet saved). */
export async function attemptDelivery(deps: Pick<WebhookDeps, 'webhookSender' | 'clock' | 'random'>, claimed: WebhookDelivery, target: WebhookTarget): Promise<WebhookDelivery> {
  const answer = await deps.webhookSender.post({
    url: target.url,
    body: claimed.body,
    timeoutMs: ATTEMPT_TIMEOUT_MS,
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signatureHeader(target.signingSecret, claimed.body, deps.clock.now()),
      'Tuki-Delivery-Id': claimed.id,
      'Tuki-Delivery-Attempt': String(claimed.attempts),
      'Tuki-Event-Type': claimed.purpose,
    },
  });
  return afterAttempt(claimed, outcomeOf(answer, claimed.expectEcho), deps.clock.now(), deps.random.fraction());
}

/** Logs the end of a delivery that will not be tried again without having been delivered. */
export function reportFinished(deps: Pick<WebhookDeps, 'logger'>, delivery: WebhookDelivery): void {
  if (delivery.state === 'dead_lettered') {
    deps.logger.warn('webhook delivery dead-lettered after its last attempt', {
      deliveryId: delivery.id,
      purpose: delivery.purpose,
      attempts: delivery.attempts,
      lastError: delivery.lastOutcome?.error ?? null,
    });
  }
}
