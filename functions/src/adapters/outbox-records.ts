/**
 * Outbox records in Firestore, `outbox/{first event id}`: the events of one commit, each with
 * the topic its kind travels on (`EVENT_TOPICS` in the manifest), so that the relay publishes
 * a record as it was written, even one written before a kind was renamed.
 */
import type { Firestore, Timestamp, Transaction } from '@google-cloud/firestore';
import type { DomainEvent } from '../domain/events';
import { EVENT_TOPICS, type TopicName } from '../manifest';
import { COLLECTIONS } from './firestore-names';

/** An event as the outbox stores it and Pub/Sub carries it: with the topic of its kind. */
export type PublishedEvent = DomainEvent & { readonly topic: TopicName };

/** The event with the topic of its kind. */
export function publishedEvent(event: DomainEvent): PublishedEvent {
  return { ...event, topic: EVENT_TOPICS[event.kind] };
}

/**
 * An outbox record: the events of one commit, in order, stored under the first event's id.
 * One record per commit, however many events it carries, keeps the outbox at one write and
 * one publish mark per commit.
 */
export interface OutboxRecord {
  readonly events: readonly PublishedEvent[];
  /** The tickets the events are about: retention finds a ticket's outbox records by them. */
  readonly ticketIds?: readonly string[];
  /** The status subscriptions the events are for (their emails): deleting a subscription deletes its records by them. */
  readonly subscriptionIds?: readonly string[];
  /** When the first event occurred; the relay picks records older than its grace period by it. */
  readonly occurredAt: string;
  readonly publishedAt: string | null;
  /**
   * When Firestore's TTL policy may delete the record: set with `publishedAt`, so that a record
   * that was never published is never deleted.
   */
  readonly expireAt?: Timestamp;
}

/** The id of the outbox record that holds a commit's `events`. */
export function outboxRecordId(events: readonly { readonly id: string }[]): string | null {
  return events[0]?.id ?? null;
}

/** The outbox record of a commit's `events` and where it is stored, or null for no events. */
export function outboxRecordOf(db: Firestore, events: readonly DomainEvent[]): { ref: FirebaseFirestore.DocumentReference; record: OutboxRecord } | null {
  const [first] = events;
  if (first === undefined) return null;
  const idsOf = (field: string): string[] => [...new Set(events.map((e) => e.data[field]).filter((id): id is string => typeof id === 'string'))];
  const subscriptionIds = idsOf('subscriptionId');
  const record: OutboxRecord = {
    events: events.map(publishedEvent),
    ticketIds: idsOf('ticketId'),
    ...(subscriptionIds.length === 0 ? {} : { subscriptionIds }),
    occurredAt: first.occurredAt,
    publishedAt: null,
  };
  return { ref: db.collection(COLLECTIONS.outbox).doc(first.id), record };
}

/** Writes the outbox record of a commit's `events` inside its transaction or batch. */
export function writeOutbox(db: Firestore, tx: Transaction | FirebaseFirestore.WriteBatch, events: readonly DomainEvent[]): void {
  const outbox = outboxRecordOf(db, events);
  if (outbox !== null) tx.create(outbox.ref, outbox.record);
}

