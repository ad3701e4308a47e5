/**
 * Webhook deliveries, whatever they carry (status updates and challenges today; pages and chat
 * events may follow): one record per request to send, with its attempts, the time of its next
 * attempt and its state. A delivery is tried, and on failure tried again with exponential
 * backoff until {@link RETRY_SCHEDULE}'s last attempt, after which it is dead-lettered.
 *
 * An attempt first *claims* the delivery: it counts the attempt and moves the next attempt a
 * lease into the future, so that the scheduled retry job does not pick it up while the attempt
 * is under way; an attempt cut short (a crashed instance) is retried when the lease ends.
 */
import { createHash } from 'node:crypto';
import { urlOrigin } from './webhook-address';

export const DELIVERY_STATES = ['pending', 'delivered', 'dead_lettered', 'cancelled'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The outcome of the last attempt, as staff see it. */
export interface AttemptOutcome {
  /** The receiver's HTTP status; null when there was no answer. */
  readonly status: number | null;
  /** Why the attempt failed (`timeout`, `refused_address`, `http_500`, `challenge_not_echoed`, …); null on success. */
  readonly error: string | null;
}

export interface WebhookDelivery {
  /** Deterministic for an event and a target (`deliveryIdOf`), so a redelivered event creates no second delivery. */
  readonly id: string;
  /** What it carries, e.g. `status.update`, `status.challenge`; also the `Tuki-Event-Type` header. */
  readonly purpose: string;
  /** Whom it is for (a subscription id); the signing secret is looked up by it at each attempt. */
  readonly targetId: string;
  /** The event it was made for. */
  readonly eventId: string;
  /**
   * Where it goes, as the origin of the subscriber's URL only (`https://host[:port]`): a URL's
   * path and query may carry a token or a name, so the full URL stays on its subscription
   * (each attempt reads it there) and the delivery, which staff see, keeps none of it.
   */
  readonly origin: string;
  /** The exact bytes sent (and signed) at every attempt. */
  readonly body: string;
  /** A value the receiver must echo as `challenge` in a JSON answer for the attempt to count (challenges); null otherwise. */
  readonly expectEcho: string | null;
  readonly state: DeliveryState;
  readonly attempts: number;
  /** When it is to be tried next (while `pending`); null once it is done. */
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastOutcome: AttemptOutcome | null;
  readonly createdAt: string;
  /** When it was delivered, dead-lettered or cancelled. */
  readonly finishedAt: string | null;
}

/**
 * The backoff: after the n-th failed attempt the next one comes `firstDelaySeconds × 2^(n-1)`
 * later (at most `maxDelaySeconds`): 1, 2, 4, … 64 minutes, about two hours in all, before
 * the eighth failure dead-letters the delivery. Each delay is spread by up to `jitterShare`
 * either way (an injected random fraction), so that the deliveries of one fan-out to a receiver
 * that was down do not all come back in the same minute. The retry job runs every minute, so a
 * retry is at most a minute late.
 */
export const RETRY_SCHEDULE = { maxAttempts: 8, firstDelaySeconds: 60, maxDelaySeconds: 6 * 3600, jitterShare: 0.2 } as const;

/** How long an attempt holds its delivery: longer than an attempt may take (its HTTP timeout). */
export const ATTEMPT_LEASE_MS = 120_000;

/** How long a receiver has to answer one attempt. */
export const ATTEMPT_TIMEOUT_MS = 10_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The id of the delivery of `eventId` to `targetId`: the same inputs give the same id. */
export function deliveryIdOf(eventId: string, targetId: string): string {
  return createHash('sha256').update(`${eventId}\u0000${targetId}`).digest('hex').slice(0, 40);
}

/** A delivery not tried yet, due at once. */
export function newDelivery(
  input: Pick<WebhookDelivery, 'id' | 'purpose' | 'targetId' | 'eventId' | 'body' | 'expectEcho'> & { readonly url: string },
  nowMs: number,
): WebhookDelivery {
  const { url, ...rest } = input;
  return { ...rest, origin: urlOrigin(url), state: 'pending', attempts: 0, nextAttemptAt: iso(nowMs), lastAttemptAt: null, lastOutcome: null, createdAt: iso(nowMs), finishedAt: null };
}

/** Whether a delivery may be claimed at `nowMs`: pending and due. */
export function isDue(delivery: WebhookDelivery, nowMs: number): boolean {
  return delivery.state === 'pending' && delivery.nextAttemptAt !== null && Date.parse(delivery.nextAttemptAt) <= nowMs;
}

/** The delivery claimed for an attempt at `nowMs`: the attempt counted, the next one a lease away. */
export function claim(delivery: WebhookDelivery, nowMs: number): WebhookDelivery {
  return { ...delivery, attempts: delivery.attempts + 1, lastAttemptAt: iso(nowMs), nextAttemptAt: iso(nowMs + ATTEMPT_LEASE_MS) };
}

/**
 * The delay before the attempt after `failedAttempts` failures, for a random `fraction` in
 * [0, 1): the schedule's delay scaled by `1 ± jitterShare` (0 the shortest, 0.5 the delay
 * itself). A fraction outside [0, 1) is clamped into it.
 */
export function retryDelayMs(failedAttempts: number, fraction: number): number {
  const seconds = Math.min(RETRY_SCHEDULE.firstDelaySeconds * 2 ** Math.max(0, failedAttempts - 1), RETRY_SCHEDULE.maxDelaySeconds);
  const spread = (Math.min(Math.max(fraction, 0), 1) * 2 - 1) * RETRY_SCHEDULE.jitterShare;
  return Math.round(seconds * (1 + spread) * 1000);
}

/** What the receiver answered: a status and (the start of) its body, or no answer and why. */
export type ReceiverAnswer = { readonly status: number; readonly body: string } | { readonly status: null; readonly error: string };

/** Whether an answer counts as delivered: a 2xx (redirects are not followed), echoing the challenge when one is expected. */
export function outcomeOf(answer: ReceiverAnswer, expectEcho: string | null): AttemptOutcome {
  if (answer.status === null) return { status: null, error: answer.error };
  if (answer.status < 200 || answer.status > 299) return { status: answer.status, error: `http_${answer.status}` };
  if (expectEcho !== null && echoed(answer.body) !== expectEcho) return { status: answer.status, error: 'challenge_not_echoed' };
  return { status: answer.status, error: null };
}

function echoed(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const value = (parsed as { challenge?: unknown } | null)?.challenge;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The claimed delivery after its attempt ended at `nowMs` with `outcome`: delivered, retried
 * later (by `retryDelayMs` with the random `fraction`), or dead-lettered.
 */
export function afterAttempt(claimed: WebhookDelivery, outcome: AttemptOutcome, nowMs: number, fraction: number): WebhookDelivery {
  const base = { ...claimed, lastOutcome: outcome };
  if (outcome.error === null) return { ...base, state: 'delivered', nextAttemptAt: null, finishedAt: iso(nowMs) };
  if (claimed.attempts >= RETRY_SCHEDULE.maxAttempts) return { ...base, state: 'dead_lettered', nextAttemptAt: null, finishedAt: iso(nowMs) };
  return { ...base, nextAttemptAt: iso(nowMs + retryDelayMs(claimed.attempts, fraction)) };
}

/** A delivery whose target is gone (unsubscribed): never tried again. */
export function cancel(delivery: WebhookDelivery, nowMs: number): WebhookDelivery {
  return { ...delivery, state: 'cancelled', nextAttemptAt: null, finishedAt: iso(nowMs) };
}
