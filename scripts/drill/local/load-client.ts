/**
 * The drill's clients: each creates tickets one after another until the load ends, every ticket
 * with its own `Idempotency-Key`, and retries a failed request with the *same* key (backing off
 * up to a second) until it is acknowledged (201) or its deadline passes, as a real client would.
 * A 4xx other than 408 and 429 is not retried: sending it again would not change the answer.
 */
import type { DrillClock } from '../failover';
import type { DrillHttpClient } from './ports';
import type { RequestAttempt } from './report';
import type { ClientRecord } from './verification';

export interface LoadPlan {
  readonly runId: string;
  readonly clients: number;
  /** Pause between a client's tickets: steady load, not a stress test. */
  readonly thinkMs: number;
  /** How long a client keeps retrying one ticket. */
  readonly requestDeadlineMs: number;
  /** When the load started and when it ends (the drill clock's ms). */
  readonly startedAtMs: number;
  readonly endsAtMs: number;
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Backoff before retry `attempt + 1`: 50 ms doubling, at most 1 s. */
export const retryDelayMs = (attempt: number): number => Math.min(1000, 50 * 2 ** Math.min(attempt - 1, 5));

/** The body of the drill's ticket for `key`: the key in the subject lets the drill count tickets per key. */
export function drillTicketBody(key: string): string {
  return JSON.stringify({
    product: 'online',
    language: 'en',
    channel: 'portal',
    subject: `Failover drill [${key}]`,
    description: 'A ticket created by the local failover drill while one region is killed.',
  });
}

/** Runs `plan.clients` clients until `plan.endsAtMs`; resolves with everything they sent and were told. */
export async function runLoad(http: DrillHttpClient, clock: DrillClock, plan: LoadPlan): Promise<ClientRecord> {
  const attempts: RequestAttempt[] = [];
  const acknowledged = new Map<string, Set<string>>();
  const sentKeys: string[] = [];

  const sendUntilAcknowledged = async (client: number, key: string): Promise<void> => {
    const body = drillTicketBody(key);
    const deadline = clock.now() + plan.requestDeadlineMs;
    for (let attempt = 1; ; attempt += 1) {
      const started = clock.now();
      const outcome = await http.createTicket(key, body);
      const answered = outcome.kind === 'answered' ? outcome : undefined;
      const status = answered?.status ?? null;
      const ticketId = answered?.status === 201 ? answered.ticketId : undefined;
      const error = outcome.kind === 'network-error' ? outcome.code : outcome.status !== 201 ? outcome.detail : undefined;
      attempts.push({
        client,
        key,
        attempt,
        startMs: started - plan.startedAtMs,
        durationMs: clock.now() - started,
        status,
        backend: answered?.backend ?? null,
        ...(error === undefined ? {} : { error }),
        ...(ticketId === undefined ? {} : { ticketId }),
        ...(answered?.replayed === true ? { replayed: true } : {}),
      });
      if (ticketId !== undefined) {
        acknowledged.set(key, (acknowledged.get(key) ?? new Set<string>()).add(ticketId));
        return;
      }
      const retryable = status === null || RETRYABLE_STATUSES.has(status);
      if (!retryable || clock.now() > deadline) return;
      await clock.sleep(retryDelayMs(attempt));
    }
  };

  const client = async (index: number): Promise<void> => {
    for (let n = 1; clock.now() < plan.endsAtMs; n += 1) {
      const key = `drill-${plan.runId}-c${index}-r${n}`;
      sentKeys.push(key);
      await sendUntilAcknowledged(index, key);
      await clock.sleep(plan.thinkMs);
    }
  };
  await Promise.all(Array.from({ length: plan.clients }, (_, i) => client(i + 1)));
  return { sentKeys, attempts, acknowledged };
}
