/**
 * The index of what belongs to a ticket, `ticketMessageIds/{ticketId}`, written in the same
 * commits as the ticket: the ids of its messages (`messageIds`), and the paths of the
 * bookkeeping records its commits wrote (`records`): its outbox records, its Idempotency-Key
 * record, the processed-event markers of the handlers that changed it, and the notifications
 * its notification events become (`notifications/{event id}`, written later by the notification
 * handler under the event's id, so the path is known when the event is committed). Deleting a
 * ticket then reads all of it by id — batched point reads — instead of querying the
 * `messages` subcollection per ticket and four collections per 30 tickets: the retention job
 * deletes tickets by the thousand, and on the emulator a query scans every document of its
 * collection id, so its cost grows with the whole database.
 *
 * A ticket created before the index (or before its `records`) has no index, or one without
 * `complete` (`recordsComplete`): its messages (records) are found by queries, as before.
 */
import { FieldValue, Transaction, type DocumentSnapshot, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import type { DomainEvent } from '../domain/events';
import { COLLECTIONS } from './firestore-names';
import { outboxRecordOf } from './outbox-records';

export interface StoredIndex {
  readonly ticketId: string;
  readonly messageIds: readonly string[];
  readonly complete?: boolean;
  readonly records?: readonly string[];
  readonly recordsComplete?: boolean;
}

export function messageIndexRef(db: Firestore, ticketId: string): FirebaseFirestore.DocumentReference {
  return db.collection(COLLECTIONS.ticketMessageIds).doc(ticketId);
}

/** The complete index of a ticket with these messages and records (a new ticket has no messages yet). */
export function completeIndex(ticketId: string, messageIds: readonly string[] = [], records: readonly string[] = []): StoredIndex {
  return { ticketId, messageIds, complete: true, records, recordsComplete: true };
}

/**
 * The paths of the records that a commit of `events` about `ticketId` writes or leads to: its
 * outbox record (when it names the ticket, as the outbox's `ticketIds` do), the notifications of
 * its notification events about the ticket, and `also` (an Idempotency-Key record, a marker).
 */
export function ticketRecordPaths(db: Firestore, ticketId: string, events: readonly DomainEvent[], also: readonly string[] = []): string[] {
  const outbox = outboxRecordOf(db, events);
  const paths = outbox !== null && outbox.record.ticketIds?.includes(ticketId) === true ? [outbox.ref.path] : [];
  for (const event of events) {
    if (event.kind === 'notification' && event.data['ticketId'] === ticketId) paths.push(`${COLLECTIONS.notifications}/${event.id}`);
  }
  return [...paths, ...also];
}

/** Starts the index of a new ticket (no messages yet, the records of its creation), in the ticket's own commit. */
export function indexNewTicket(db: Firestore, writer: Transaction | WriteBatch, ticketId: string, records: readonly string[]): void {
  writer.create(messageIndexRef(db, ticketId), completeIndex(ticketId, [], records));
}

/** Adds messages and record paths to the ticket's index, in the commit that creates them. */
export function indexChange(db: Firestore, writer: Transaction | WriteBatch, ticketId: string, messageIds: readonly string[], records: readonly string[]): void {
  if (messageIds.length === 0 && records.length === 0) return;
  const ref = messageIndexRef(db, ticketId);
  const added = {
    ticketId,
    ...(messageIds.length === 0 ? {} : { messageIds: FieldValue.arrayUnion(...messageIds) }),
    ...(records.length === 0 ? {} : { records: FieldValue.arrayUnion(...records) }),
  };
  // Merged, not updated: an older ticket has no index to update (its index stays incomplete).
  if (writer instanceof Transaction) writer.set(ref, added, { merge: true });
  else writer.set(ref, added, { merge: true });
}

/** The ids of every message of the ticket, or null when the index is missing or incomplete (an older ticket). */
export function indexedMessageIds(snapshot: DocumentSnapshot): readonly string[] | null {
  if (!snapshot.exists) return null;
  const index = snapshot.data() as StoredIndex;
  return index.complete === true && Array.isArray(index.messageIds) ? index.messageIds : null;
}

/** The paths of every bookkeeping record of the ticket, or null when the index does not have them all (an older ticket). */
export function indexedRecordPaths(snapshot: DocumentSnapshot): readonly string[] | null {
  if (!snapshot.exists) return null;
  const index = snapshot.data() as StoredIndex;
  return index.recordsComplete === true && Array.isArray(index.records) ? index.records : null;
}
