/**
 * The kinds of event tuki's use cases emit, named for what they are for in the domain. An
 * event has a kind (which consumer it is for) and a `type` within it (what happened:
 * `ticket.created`, `csat.invitation`, …); use cases never name a Pub/Sub topic.
 *
 * Adding an event *type* to an existing kind changes nothing here. Adding a *kind* is one
 * line in {@link EVENT_KINDS}; the compiler then asks for its topic in `EVENT_TOPICS`
 * (`manifest.ts`), the one place where kinds meet topics.
 */
import type { LifecycleEvent } from './support-figures';
import type { Ticket } from './ticket';

export const EVENT_KINDS = [
  /** A ticket needs an agent at its tier: created or escalated (routing takes it). */
  'ticket.needs_agent',
  /** A ticket reached severity 1 (the incident process takes it). */
  'ticket.severity_one',
  /** A message for people: agents, managers, customers (`csat.invitation`, `sla.warning`, …). */
  'notification',
  /** A fact about a ticket's life that the support figures count (`domain/support-figures.ts`). */
  'ticket.lifecycle',
  /** A person asked to be erased (their erasure request's processing takes it). */
  'erasure.requested',
  /** An incident changed (the status summary projects it). */
  'incident.changed',
  /** An incident was resolved (its linked tickets are resolved with it). */
  'incident.resolved',
  /** An update appeared on the public status page (status-page subscriptions take it). */
  'status.update_published',
  /** An email of a status subscription (a confirmation, or one update to one subscriber) for the mail provider. */
  'status.email',
  /** A webhook delivery to attempt at once (a subscription's challenge); the retry job is the safety net. */
  'webhook.delivery_due',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * An event in the outbox: written in the same transaction as the state change it reports,
 * then published to the topic of its `kind` (the outbox adapter knows which). `id` is the
 * event id every consumer deduplicates on.
 */
export interface DomainEvent {
  readonly id: string;
  readonly kind: EventKind;
  readonly type: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What event builders need: a source of fresh event ids. */
export interface EventDeps {
  readonly ids: { newId(): string };
}

/** An outbox event of `kind` and `type` with a fresh id. */
export function newEvent(deps: EventDeps, kind: EventKind, type: string, occurredAt: string, data: Record<string, unknown>): DomainEvent {
  return { id: deps.ids.newId(), kind, type, occurredAt, data };
}

/**
 * An outbox event with an id of the caller's: for an effect keyed on another event (one email
 * per update and subscriber), so that handling that event twice makes the same event, once.
 */
export function newEventWithId(id: string, kind: EventKind, type: string, occurredAt: string, data: Record<string, unknown>): DomainEvent {
  return { id, kind, type, occurredAt, data };
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
): DomainEvent {
  return newEvent(deps, 'ticket.lifecycle', type, occurredAt, data);
}

/** A notification for people (agents, managers, customers) of `type`. */
export function notificationEvent(deps: EventDeps, type: string, occurredAt: string, data: Record<string, unknown>): DomainEvent {
  return newEvent(deps, 'notification', type, occurredAt, data);
}

/** A request to route a ticket to an agent of its (new) tier. */
export function agentNeededEvent(
  deps: EventDeps,
  type: 'ticket.created' | 'ticket.escalated',
  occurredAt: string,
  data: Record<string, unknown>,
): DomainEvent {
  return newEvent(deps, 'ticket.needs_agent', type, occurredAt, data);
}

/** The event that starts the incident process for a severity-1 ticket. */
export function severityOneEvent(deps: EventDeps, ticket: Ticket, at: string): DomainEvent {
  return newEvent(deps, 'ticket.severity_one', 'ticket.severity_one', at, {
    ticketId: ticket.id,
    product: ticket.product,
    orgId: ticket.orgId,
    tier: ticket.tier,
  });
}

/**
 * What an outbox record keeps of an event's data once the event is published, for the kinds
 * that carry a message to a person's address: the email to a status subscriber (its address,
 * text, confirmation link and unsubscribe token) is the mail provider's once it is on the topic,
 * and the record — kept until its TTL as the once-only key of a redelivered fan-out and for the
 * relay's bookkeeping — keeps only which subscription it was for. Other kinds keep everything.
 */
const KEPT_ONCE_PUBLISHED: Partial<Readonly<Record<EventKind, readonly string[]>>> = {
  'status.email': ['subscriptionId'],
};

/** The event as its outbox record keeps it once published: the same event when its kind keeps everything. */
export function keptOncePublished<E extends DomainEvent>(event: E): E {
  const kept = KEPT_ONCE_PUBLISHED[event.kind];
  if (kept === undefined) return event;
  return { ...event, data: Object.fromEntries(kept.filter((field) => field in event.data).map((field) => [field, event.data[field]])) };
}
