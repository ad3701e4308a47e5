/**
 * Lifecycle events: the facts the support figures count (`domain/support-figures.ts`),
 * written to the outbox in the same transaction as the state change they report, and
 * published to the `ticket-lifecycle` topic. One builder, typed by event type, so that a use
 * case cannot emit a payload the consumer's schema would refuse.
 */
import type { LifecycleEvent } from '../domain/support-figures';
import { TOPICS } from '../manifest';
import type { IdGenerator } from './ports';
import type { TicketEvent } from './records';

/** A lifecycle event of `type` with a fresh id, for the outbox. */
export function lifecycleEvent<T extends LifecycleEvent['type']>(
  deps: { readonly ids: IdGenerator },
  type: T,
  occurredAt: string,
  data: Extract<LifecycleEvent, { type: T }>['data'],
): TicketEvent {
  return { id: deps.ids.newId(), topic: TOPICS.ticketLifecycle, type, occurredAt, data };
}
