/**
 * Building outbox events: every event a use case emits is made here, with a fresh id, by kind
 * (`domain/events.ts`) and type. The events are written to the outbox in the same transaction
 * as the state change they report; which topic carries a kind is the manifest's business.
 */
import type { EventKind } from '../domain/events';
import type { LifecycleEvent } from '../domain/support-figures';
import type { Ticket } from '../domain/ticket';
import type { IdGenerator } from './ports';
import type { TicketEvent } from './records';

/** What event builders need: a source of fresh event ids. */
export interface EventDeps {
  readonly ids: IdGenerator;
}

/** An outbox event of `kind` and `type` with a fresh id. */
export function newEvent(deps: EventDeps, kind: EventKind, type: string, occurredAt: string, data: Record<string, unknown>): TicketEvent {
  return { id: deps.ids.newId(), kind, type, occurredAt, data };
}

/**
 * A lifecycle event of `type`, for the support figures. Typed by event type, so that a use case
 * cannot emit a payload the consumer's schema would refuse.
 */
export function lifecycleEvent<T extends LifecycleEvent['type']>(
  deps: EventDeps,
  type: T,
  occurredAt: string,
  data: Extract<LifecycleEvent, { type: T }>['data'],
): TicketEvent {
  return newEvent(deps, 'ticket.lifecycle', type, occurredAt, data);
}

/** A notification for people (agents, managers, customers) of `type`. */
export function notificationEvent(deps: EventDeps, type: string, occurredAt: string, data: Record<string, unknown>): TicketEvent {
  return newEvent(deps, 'notification', type, occurredAt, data);
}

/** A request to route a ticket to an agent of its (new) tier. */
export function agentNeededEvent(
  deps: EventDeps,
  type: 'ticket.created' | 'ticket.escalated',
  occurredAt: string,
  data: Record<string, unknown>,
): TicketEvent {
  return newEvent(deps, 'ticket.needs_agent', type, occurredAt, data);
}

/** The event that starts the incident process for a severity-1 ticket. */
export function severityOneEvent(deps: EventDeps, ticket: Ticket, at: string): TicketEvent {
  return newEvent(deps, 'ticket.severity_one', 'ticket.severity_one', at, {
    ticketId: ticket.id,
    product: ticket.product,
    orgId: ticket.orgId,
    tier: ticket.tier,
  });
}
