/**
 * The ids of a ticket's messages, `ticketMessageIds/{ticketId}`, written in the same commit as
 * the ticket (an empty list, marked `complete`) and as each of its messages. Deleting a ticket
 * then reads its messages by id — point reads — instead of querying its `messages`
 * subcollection once per ticket: the retention job deletes tickets by the thousand, and a query
 * per ticket was most of its time (on the emulator a query scans every document of its
 * collection id, so it grows with the whole database).
 *
 * A ticket created before the index existed has no index, or one without `complete` (only the
 * messages added since): its messages are found by the subcollection query, as before.
 */
import { FieldValue, Transaction, type DocumentSnapshot, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import { COLLECTIONS } from './firestore-names';

export interface StoredIndex {
  readonly ticketId: string;
  readonly messageIds: readonly string[];
  readonly complete?: boolean;
}

export function messageIndexRef(db: Firestore, ticketId: string): FirebaseFirestore.DocumentReference {
  return db.collection(COLLECTIONS.ticketMessageIds).doc(ticketId);
}

/** The complete index of a ticket with these messages (a new ticket has none yet). */
export function completeIndex(ticketId: string, messageIds: readonly string[] = []): StoredIndex {
  return { ticketId, messageIds, complete: true };
}

/** Starts the index of a new ticket (no messages yet), in the ticket's own commit. */
export function indexNewTicket(db: Firestore, writer: Transaction | WriteBatch, ticketId: string): void {
  writer.create(messageIndexRef(db, ticketId), completeIndex(ticketId));
}

/** Adds messages to the ticket's index, in the commit that creates them. */
export function indexMessages(db: Firestore, writer: Transaction | WriteBatch, ticketId: string, messageIds: readonly string[]): void {
  if (messageIds.length === 0) return;
  const ref = messageIndexRef(db, ticketId);
  const added = { ticketId, messageIds: FieldValue.arrayUnion(...messageIds) };
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
