/**
 * Retention in Firestore: the due-ticket queries (each one indexed query, read page by page),
 * gathering everything that belongs to a batch of tickets (batched point reads: the tickets,
 * their message indexes and messages by id, keys and tombstones; one query per 30 tickets per
 * collection for the records that name them), the atomic "receipt + delete the ticket"
 * commit, and purging the tickets' records with a BulkWriter.
 *
 * What belongs to a ticket (deleted with it): `tickets/{id}` and its `messages`, the sealed
 * originals `originals/{id}/texts/*` and the data key `dataKeys/{id}` (in the keys database;
 * deleted first, so every copy of the texts, backups included, is unreadable from then on), its
 * message index `ticketMessageIds/{id}`, the
 * originals tombstone `destroyedKeys/{id}`, the outbox records of its commits (found by their
 * `ticketIds`), its `idempotencyKeys`, the `processedEvents` markers that name it and its
 * `notifications`. The support figures' counters and their own markers (which name an event,
 * not a ticket) and the privacy officers' `auditLog` stay: they are facts about past work.
 */
import { FieldPath, type BulkWriterOptions, type DocumentReference, type DocumentSnapshot, type Firestore, type Query } from '@google-cloud/firestore';
import type { DeletionOutcome, DueSelection, ReadTicket, RetentionStore, TicketBatch, TicketRecords } from '../application/retention/ports';
import type { Message } from '../application/records';
import type { DeletedRecord, DeletionReceipt } from '../domain/retention';
import type { Ticket } from '../domain/ticket';
import { COLLECTIONS, GRPC_STATUS } from './firestore-names';
import { ticketFromDocument, ticketToDocument } from './firestore-ticket-document';
import { chunks, timestampOf, versionOf } from './firestore-tickets';
import { mapLimited } from '../application/limited';
import { indexedMessageIds, messageIndexRef } from './message-index';
import type { OutboxRecord } from './outbox-records';

export const RETENTION_COLLECTIONS = {
  receipts: COLLECTIONS.deletionReceipts,
  destroyedKeys: COLLECTIONS.destroyedKeys,
  notifications: COLLECTIONS.notifications,
} as const;

/** gRPC codes of a commit refused by a document that exists, a missing one, or a failed precondition. */
const { ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION } = GRPC_STATUS;
/** The most values Firestore takes in one `in` or `array-contains-any` filter. */
const MAX_IN_VALUES = 30;
/** Tickets whose messages are read at once while gathering. */
const GATHER_CONCURRENCY = 32;
/** Documents per batched read of messages by id. */
const GET_ALL_CHUNK = 500;
/** Tickets per atomic receipt-and-delete commit (two writes each, under Firestore's 500). */
const COMMIT_GROUP = 200;

function toTicket(snapshot: DocumentSnapshot): Ticket {
  return ticketFromDocument(snapshot.data(), snapshot.ref.path);
}

function code(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The cursor of a due query: the last ticket's sort value and id. */
function encodeCursor(value: string, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string | null): [string, string] | null {
  if (cursor === null) return null;
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') throw new Error('not a retention cursor');
  return [parsed[0], parsed[1]];
}

export class FirestoreRetentionStore implements RetentionStore {
  constructor(
    private readonly db: Firestore,
    private readonly keysDb: Firestore,
    /** The BulkWriter's settings (the benchmark gives tuki and its baseline the same). */
    private readonly bulkWriterOptions: BulkWriterOptions = {},
  ) {}

  /** The indexed query of a selection and the field it is ordered by. */
  private selectionQuery(selection: DueSelection): { query: Query; field: string } {
    const tickets = this.db.collection(COLLECTIONS.tickets);
    switch (selection.kind) {
      case 'closed-before':
        return {
          query: tickets.where('product', '==', selection.product).where('status', '==', 'closed').where('closedAt', '<=', selection.before),
          field: 'closedAt',
        };
      case 'delete-after-passed':
        return { query: tickets.where('deleteAfter', '<=', selection.now), field: 'deleteAfter' };
      case 'resolved-before':
        return {
          query: tickets.where('product', '==', selection.product).where('status', '==', 'resolved').where('resolvedAt', '<=', selection.before),
          field: 'resolvedAt',
        };
      case 'resolved-between':
        return {
          query: tickets.where('product', '==', selection.product).where('resolvedAt', '>', selection.after).where('resolvedAt', '<=', selection.before),
          field: 'resolvedAt',
        };
      case 'of-customer':
        return { query: tickets.where('customerUid', '==', selection.uid), field: 'createdAt' };
    }
  }

  async due(selection: DueSelection, cursor: string | null, limit: number): Promise<TicketBatch> {
    const { query, field } = this.selectionQuery(selection);
    let ordered = query.orderBy(field).orderBy(FieldPath.documentId());
    const after = decodeCursor(cursor);
    if (after !== null) ordered = ordered.startAfter(after[0], after[1]);
    const snapshot = await ordered.limit(limit).get();
    const tickets = snapshot.docs.map((doc) => ({ ticket: toTicket(doc), version: versionOf(doc) }));
    const last = snapshot.docs[snapshot.docs.length - 1];
    const next = snapshot.size === limit && last !== undefined ? encodeCursor(String(last.get(field)), last.id) : null;
    return { tickets, next };
  }

  async gather(ticketIds: readonly string[]): Promise<TicketRecords[]> {
    if (ticketIds.length === 0) return [];
    const ticketRefs = ticketIds.map((id) => this.db.collection(COLLECTIONS.tickets).doc(id));
    const [tickets, indexes, keys, tombstones, byTicket] = await Promise.all([
      this.db.getAll(...ticketRefs),
      this.db.getAll(...ticketIds.map((id) => messageIndexRef(this.db, id))),
      this.keysDb.getAll(...ticketIds.map((id) => this.keysDb.collection(COLLECTIONS.dataKeys).doc(id))),
      this.db.getAll(...ticketIds.map((id) => this.db.collection(RETENTION_COLLECTIONS.destroyedKeys).doc(id))),
      this.recordsNamingTickets(ticketIds),
    ]);
    const messages = await this.messagesOf(ticketRefs, indexes);
    return mapLimited(ticketIds, GATHER_CONCURRENCY, async (ticketId, index) => {
      const ticket = tickets[index];
      const messageIndex = indexes[index];
      const key = keys[index];
      const tombstone = tombstones[index];
      if (ticket === undefined || messageIndex === undefined || key === undefined || tombstone === undefined) throw new Error('a batched read returned too few documents');
      // Sealed texts exist only where the ticket has a key or its tombstone (texts sealed after a destroy), so few tickets have any.
      const texts = key.exists ? await this.db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts).get() : null;
      const records: DeletedRecord[] = [];
      const add = (kind: string, snapshot: DocumentSnapshot): void => {
        if (snapshot.exists) records.push({ kind, id: snapshot.ref.path, content: snapshot.data() });
      };
      add('ticket', ticket);
      (messages.get(ticketId) ?? []).forEach((doc) => add('message', doc));
      add('messageIndex', messageIndex);
      texts?.docs.forEach((doc) => add('original', doc));
      add('dataKey', key);
      add('destroyedKey', tombstone);
      const named = byTicket.get(ticketId) ?? [];
      named.forEach((doc) => add(doc.ref.parent.id, doc));
      const unpublished = named
        .filter((doc) => doc.ref.parent.id === COLLECTIONS.outbox && doc.get('publishedAt') === null)
        .map((doc) => (doc.data() as OutboxRecord).events);
      return { ticketId, read: ticket.exists ? { ticket: toTicket(ticket), version: versionOf(ticket) } : null, records, unpublished };
    });
  }

  /**
   * The messages of each ticket: by id where its message index is complete (batched point
   * reads), by a query of its subcollection where it is not (a ticket older than the index).
   */
  private async messagesOf(ticketRefs: readonly DocumentReference[], indexes: readonly DocumentSnapshot[]): Promise<Map<string, DocumentSnapshot[]>> {
    const found = new Map<string, DocumentSnapshot[]>();
    const byId: DocumentReference[] = [];
    const unindexed: DocumentReference[] = [];
    ticketRefs.forEach((ref, i) => {
      const ids = indexes[i] === undefined ? null : indexedMessageIds(indexes[i]);
      if (ids === null) unindexed.push(ref);
      else byId.push(...ids.map((id) => ref.collection(COLLECTIONS.messages).doc(id)));
    });
    const remember = (doc: DocumentSnapshot): void => {
      const ticketId = doc.ref.parent.parent?.id ?? '';
      found.set(ticketId, [...(found.get(ticketId) ?? []), doc]);
    };
    await Promise.all([
      ...chunks(byId, GET_ALL_CHUNK).map(async (refs) => (await this.db.getAll(...refs)).filter((doc) => doc.exists).forEach(remember)),
      mapLimited(unindexed, GATHER_CONCURRENCY, async (ref) => (await ref.collection(COLLECTIONS.messages).get()).docs.forEach(remember)),
    ]);
    return found;
  }

  /** Outbox, idempotency, processed-event and notification records naming the tickets: one query per 30 tickets per collection. */
  private async recordsNamingTickets(ticketIds: readonly string[]): Promise<Map<string, DocumentSnapshot[]>> {
    const found = new Map<string, DocumentSnapshot[]>();
    const remember = (ticketId: string, doc: DocumentSnapshot): void => {
      const list = found.get(ticketId) ?? [];
      list.push(doc);
      found.set(ticketId, list);
    };
    const wanted = new Set(ticketIds);
    await Promise.all(
      chunks(ticketIds, MAX_IN_VALUES).flatMap((ids) => [
        this.db.collection(COLLECTIONS.idempotencyKeys).where('ticketId', 'in', ids).get(),
        this.db.collection(COLLECTIONS.processedEvents).where('ticketId', 'in', ids).get(),
        this.db.collection(RETENTION_COLLECTIONS.notifications).where('data.ticketId', 'in', ids).get(),
        this.db.collection(COLLECTIONS.outbox).where('ticketIds', 'array-contains-any', ids).get(),
      ].map(async (query) => {
        for (const doc of (await query).docs) {
          const direct: unknown = doc.get('ticketId') ?? doc.get('data.ticketId');
          const named = typeof direct === 'string' ? [direct] : ((doc.get('ticketIds') as string[] | undefined) ?? []);
          for (const ticketId of named) if (wanted.has(ticketId)) remember(ticketId, doc);
        }
      })),
    );
    return found;
  }

  async commitDeletions(items: readonly { receipt: DeletionReceipt; read: ReadTicket }[]): Promise<Map<string, DeletionOutcome>> {
    const outcomes = new Map<string, DeletionOutcome>();
    await Promise.all(
      chunks(items, COMMIT_GROUP).map(async (group) => {
        try {
          const batch = this.db.batch();
          for (const item of group) this.addDeletion(batch, item);
          await batch.commit();
          group.forEach((item) => outcomes.set(item.read.ticket.id, 'deleted'));
        } catch {
          // One ticket that changed, or that another run deleted first, fails its group: each on its own then.
          await mapLimited(group, GATHER_CONCURRENCY, async (item) => outcomes.set(item.read.ticket.id, await this.commitOne(item)));
        }
      }),
    );
    return outcomes;
  }

  private addDeletion(batch: FirebaseFirestore.WriteBatch, item: { receipt: DeletionReceipt; read: ReadTicket }): void {
    batch.create(this.db.collection(RETENTION_COLLECTIONS.receipts).doc(item.receipt.id), item.receipt);
    batch.delete(this.db.collection(COLLECTIONS.tickets).doc(item.read.ticket.id), { lastUpdateTime: timestampOf(item.read.version) });
  }

  private async commitOne(item: { receipt: DeletionReceipt; read: ReadTicket }): Promise<DeletionOutcome> {
    const batch = this.db.batch();
    this.addDeletion(batch, item);
    try {
      await batch.commit();
      return 'deleted';
    } catch (error) {
      if (code(error) === ALREADY_EXISTS) return 'already-deleted';
      if (code(error) === FAILED_PRECONDITION || code(error) === NOT_FOUND) {
        const receipt = await this.db.collection(RETENTION_COLLECTIONS.receipts).doc(item.receipt.id).get();
        return receipt.exists ? 'already-deleted' : 'changed';
      }
      throw error;
    }
  }

  async purge(records: readonly TicketRecords[]): Promise<void> {
    const all = records.flatMap((r) => r.records).filter((r) => r.kind !== 'ticket');
    // The keys go first: from then on the sealed texts, in every backup too, are unreadable.
    const keys = all.filter((r) => r.kind === 'dataKey');
    if (keys.length > 0) {
      const keyWriter = this.keysDb.bulkWriter(this.bulkWriterOptions);
      for (const key of keys) void keyWriter.delete(this.keysDb.doc(key.id)).catch(() => undefined);
      await keyWriter.close();
    }
    const writer = this.db.bulkWriter(this.bulkWriterOptions);
    const failures: unknown[] = [];
    for (const record of all) {
      if (record.kind !== 'dataKey') void writer.delete(this.db.doc(record.id)).catch((error: unknown) => failures.push(error));
    }
    await writer.close();
    if (failures.length > 0) throw new Error(`purging ticket records: ${failures.length} deletes failed`);
  }

  async withDataKeys(ticketIds: readonly string[]): Promise<Set<string>> {
    if (ticketIds.length === 0) return new Set();
    const keys = await this.keysDb.getAll(...ticketIds.map((id) => this.keysDb.collection(COLLECTIONS.dataKeys).doc(id)));
    // A tombstone (a destroyed key, no `wrapped`) has nothing left that can be read.
    return new Set(keys.filter((key) => typeof key.get('wrapped') === 'string').map((key) => key.id));
  }

  async receiptsExist(receiptIds: readonly string[]): Promise<Set<string>> {
    if (receiptIds.length === 0) return new Set();
    const snapshots = await this.db.getAll(...receiptIds.map((id) => this.db.collection(RETENTION_COLLECTIONS.receipts).doc(id)));
    return new Set(snapshots.filter((s) => s.exists).map((s) => s.id));
  }

  async replaceIfUnchanged(read: ReadTicket, ticket: Ticket): Promise<boolean> {
    try {
      await this.db
        .collection(COLLECTIONS.tickets)
        .doc(ticket.id)
        .update({ ...ticketToDocument(ticket) }, { lastUpdateTime: timestampOf(read.version) });
      return true;
    } catch (error) {
      if (code(error) === FAILED_PRECONDITION || code(error) === NOT_FOUND) return false;
      throw error;
    }
  }

  async anonymise(
    ticketId: string,
    anonymise: (ticket: Ticket, messages: readonly Message[]) => { ticket: Ticket; messages: readonly Message[]; receipt: DeletionReceipt } | null,
  ): Promise<boolean> {
    const ref = this.db.collection(COLLECTIONS.tickets).doc(ticketId);
    const textsRef = this.db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts);
    return this.db.runTransaction(async (tx) => {
      const [snapshot, messages, texts] = await Promise.all([tx.get(ref), tx.get(ref.collection(COLLECTIONS.messages)), tx.get(textsRef)]);
      if (!snapshot.exists) return false;
      const before = messages.docs.map((doc) => doc.data() as Message);
      const change = anonymise(toTicket(snapshot), before);
      if (change === null) return false;
      const receiptRef = this.db.collection(RETENTION_COLLECTIONS.receipts).doc(change.receipt.id);
      tx.set(ref, ticketToDocument(change.ticket));
      const rewritten = new Set<string>();
      change.messages.forEach((message, i) => {
        if (message !== before[i]) {
          rewritten.add(message.id);
          tx.set(ref.collection(COLLECTIONS.messages).doc(message.id), message);
        }
      });
      // The person's originals go: the subject, description and CSAT comment, and their messages.
      for (const text of texts.docs) {
        const messageId: unknown = text.get('messageId');
        if (text.get('source') !== 'message' || (typeof messageId === 'string' && rewritten.has(messageId))) tx.delete(text.ref);
      }
      tx.set(receiptRef, change.receipt);
      return true;
    });
  }
}
