/**
 * Retention in Firestore: the due-ticket queries (each one indexed query, read page by page),
 * gathering everything that belongs to a batch of tickets (batched point reads by the paths in
 * each ticket's index, `message-index.ts`: messages and bookkeeping records; data keys and
 * tombstones by ticket id; queries only for tickets older than the index), and deleting them:
 * each ticket's receipt, its document (with a precondition) and its records in one atomic
 * commit, several tickets to a commit of up to 500 writes; the data keys, in a database of their
 * own, right after it under a checkpoint.
 *
 * What belongs to a ticket (deleted with it): `tickets/{id}` and its `messages`, the sealed
 * originals `originals/{id}/texts/*` and the data key `dataKeys/{id}` (in the keys database,
 * which has no backups: once it is gone every copy of the texts, backups included, is
 * unreadable), its index `ticketMessageIds/{id}`, the originals tombstone `destroyedKeys/{id}`,
 * the outbox records of its commits, its `idempotencyKeys`, the `processedEvents` markers that
 * name it and its `notifications`. The support figures' counters and their own markers (which
 * name an event, not a ticket) and the privacy officers' `auditLog` stay: they are facts about
 * past work.
 */
import { FieldPath, type DocumentReference, type DocumentSnapshot, type Firestore, type Query } from '@google-cloud/firestore';
import type { Checkpoint, DeletionItem, DeletionOutcome, DueSelection, ReadTicket, RetentionStore, TicketBatch, TicketRecords } from '../application/retention/ports';
import type { Message } from '../application/records';
import type { DeletedRecord, DeletionReceipt } from '../domain/retention';
import type { Ticket } from '../domain/ticket';
import { COLLECTIONS, GRPC_STATUS } from './firestore-names';
import { ticketFromDocument, ticketToDocument } from './firestore-ticket-document';
import { chunks, timestampOf, versionOf } from './firestore-tickets';
import { mapLimited } from '../application/limited';
import { indexedMessageIds, indexedRecordPaths, messageIndexRef } from './message-index';
import type { OutboxRecord } from './outbox-records';

export const RETENTION_COLLECTIONS = {
  receipts: COLLECTIONS.deletionReceipts,
  destroyedKeys: COLLECTIONS.destroyedKeys,
  notifications: COLLECTIONS.notifications,
  checkpoints: COLLECTIONS.retentionCheckpoints,
} as const;

/** gRPC codes of a commit refused by a document that exists, a missing one, or a failed precondition. */
const { ALREADY_EXISTS, NOT_FOUND, FAILED_PRECONDITION } = GRPC_STATUS;
/** The most values Firestore takes in one `in` or `array-contains-any` filter. */
const MAX_IN_VALUES = 30;
/** Tickets whose messages are read at once while gathering. */
const GATHER_CONCURRENCY = 32;
/** Documents per batched read of messages by id. */
const GET_ALL_CHUNK = 500;
/**
 * Writes per commit: Firestore's most. One commit of 500 writes costs the emulator (and
 * Firestore) far less than 500 writes sent 20 at a time by a BulkWriter (about 18,000 against
 * 4,000 documents a second on the emulator here), and it makes a ticket's deletion atomic.
 */
const MAX_COMMIT_WRITES = 500;
/** Commits of one batch sent at once. */
const COMMIT_CONCURRENCY = 4;

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

/**
 * The records deleted in their ticket's own commit: all but the data key (in the keys database),
 * unless the ticket has more than one commit holds — then all wait for the purge.
 */
function inCommit(records: TicketRecords): DeletedRecord[] {
  const here = records.records.filter((record) => record.kind !== 'ticket' && record.kind !== 'dataKey');
  return here.length <= MAX_COMMIT_WRITES - 2 ? here : [];
}

/** The deletions packed into commits of at most `MAX_COMMIT_WRITES` writes (receipt, ticket, its records). */
function commitGroups(items: readonly DeletionItem[]): DeletionItem[][] {
  const groups: DeletionItem[][] = [];
  let current: DeletionItem[] = [];
  let writes = 0;
  for (const item of items) {
    const size = 2 + inCommit(item.records).length;
    if (writes + size > MAX_COMMIT_WRITES && current.length > 0) {
      groups.push(current);
      current = [];
      writes = 0;
    }
    current.push(item);
    writes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Deletes the documents in commits of `MAX_COMMIT_WRITES`, a few at a time (deleting a missing document is no error). */
async function deleteInCommits(db: Firestore, paths: readonly string[]): Promise<void> {
  await mapLimited(chunks(paths, MAX_COMMIT_WRITES), COMMIT_CONCURRENCY, async (group) => {
    const batch = db.batch();
    for (const path of group) batch.delete(db.doc(path));
    await batch.commit();
  });
}

export class FirestoreRetentionStore implements RetentionStore {
  constructor(
    private readonly db: Firestore,
    private readonly keysDb: Firestore,
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
    const tickets = snapshot.docs.map((doc) => ({ ticket: toTicket(doc), version: versionOf(doc), stored: doc.data() }));
    const last = snapshot.docs[snapshot.docs.length - 1];
    const next = snapshot.size === limit && last !== undefined ? encodeCursor(String(last.get(field)), last.id) : null;
    return { tickets, next };
  }

  async gather(reads: readonly ReadTicket[]): Promise<(TicketRecords & { read: ReadTicket })[]> {
    const collected = await this.collect(reads.map((read) => read.ticket.id));
    return collected.map((records, i) => {
      const read = reads[i];
      if (read === undefined) throw new Error('gathered more tickets than were read');
      return { ...records, records: [{ kind: 'ticket', id: `${COLLECTIONS.tickets}/${read.ticket.id}`, content: read.stored }, ...records.records], read };
    });
  }

  async leftovers(ticketIds: readonly string[]): Promise<TicketRecords[]> {
    return this.collect(ticketIds);
  }

  /** What belongs to each ticket besides its document (read by the due query, or gone). */
  private async collect(ticketIds: readonly string[]): Promise<TicketRecords[]> {
    if (ticketIds.length === 0) return [];
    const ticketRefs = ticketIds.map((id) => this.db.collection(COLLECTIONS.tickets).doc(id));
    const [indexes, keys, tombstones] = await Promise.all([
      this.db.getAll(...ticketIds.map((id) => messageIndexRef(this.db, id))),
      this.keysDb.getAll(...ticketIds.map((id) => this.keysDb.collection(COLLECTIONS.dataKeys).doc(id))),
      this.db.getAll(...ticketIds.map((id) => this.db.collection(RETENTION_COLLECTIONS.destroyedKeys).doc(id))),
    ]);
    const [messages, byTicket] = await Promise.all([this.messagesOf(ticketRefs, indexes), this.recordsOf(ticketIds, indexes)]);
    return mapLimited(ticketIds, GATHER_CONCURRENCY, async (ticketId, index) => {
      const messageIndex = indexes[index];
      const key = keys[index];
      const tombstone = tombstones[index];
      if (messageIndex === undefined || key === undefined || tombstone === undefined) throw new Error('a batched read returned too few documents');
      // Sealed texts exist only where the ticket has a key or its tombstone (texts sealed after a destroy), so few tickets have any.
      const texts = key.exists ? await this.db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts).get() : null;
      const records: DeletedRecord[] = [];
      const add = (kind: string, snapshot: DocumentSnapshot): void => {
        if (snapshot.exists) records.push({ kind, id: snapshot.ref.path, content: snapshot.data() });
      };
      (messages.get(ticketId) ?? []).forEach((doc) => add('message', doc));
      add('messageIndex', messageIndex);
      texts?.docs.forEach((doc) => add('original', doc));
      add('dataKey', key);
      add('destroyedKey', tombstone);
      const named = byTicket.get(ticketId) ?? [];
      named.forEach((doc) => add(doc.ref.parent.id, doc));
      const unpublished = named
        .filter((doc) => doc.exists && doc.ref.parent.id === COLLECTIONS.outbox && doc.get('publishedAt') === null)
        .map((doc) => (doc.data() as OutboxRecord).events);
      return { ticketId, records, unpublished };
    });
  }

  /**
   * The bookkeeping records of each ticket: by the paths in its index (batched point reads)
   * where the index has them all, by the queries of the records naming it where it does not.
   */
  private async recordsOf(ticketIds: readonly string[], indexes: readonly DocumentSnapshot[]): Promise<Map<string, DocumentSnapshot[]>> {
    const refs: DocumentReference[] = [];
    const owners = new Map<string, string>();
    const unindexed: string[] = [];
    ticketIds.forEach((ticketId, i) => {
      const paths = indexes[i] === undefined ? null : indexedRecordPaths(indexes[i]);
      if (paths === null) unindexed.push(ticketId);
      else for (const path of paths) {
        refs.push(this.db.doc(path));
        owners.set(path, ticketId);
      }
    });
    const [found, queried] = await Promise.all([
      Promise.all(chunks(refs, GET_ALL_CHUNK).map(async (group) => this.db.getAll(...group))),
      this.recordsNamingTickets(unindexed),
    ]);
    for (const snapshot of found.flat()) {
      const owner = owners.get(snapshot.ref.path);
      if (owner !== undefined && snapshot.exists) queried.set(owner, [...(queried.get(owner) ?? []), snapshot]);
    }
    return queried;
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

  /** Outbox, idempotency, processed-event and notification records naming tickets older than the index: one query per 30 tickets per collection. */
  private async recordsNamingTickets(ticketIds: readonly string[]): Promise<Map<string, DocumentSnapshot[]>> {
    const found = new Map<string, DocumentSnapshot[]>();
    if (ticketIds.length === 0) return found;
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

  leftAfterCommit(records: TicketRecords): TicketRecords {
    const committed = new Set(inCommit(records));
    return { ...records, records: records.records.filter((record) => record.kind !== 'ticket' && !committed.has(record)) };
  }

  async commitDeletions(items: readonly DeletionItem[], checkpoint: Checkpoint | null): Promise<Map<string, DeletionOutcome>> {
    const outcomes = new Map<string, DeletionOutcome>();
    // Records left to the purge: the checkpoint is in place before any commit that leaves them.
    if (checkpoint !== null) {
      await this.db.collection(RETENTION_COLLECTIONS.checkpoints).doc(checkpoint.id).set({ runId: checkpoint.runId, ticketIds: checkpoint.ticketIds });
    }
    await mapLimited(commitGroups(items), COMMIT_CONCURRENCY, async (group) => {
      try {
        const batch = this.db.batch();
        for (const item of group) this.addDeletion(batch, item);
        await batch.commit();
        group.forEach((item) => outcomes.set(item.read.ticket.id, 'deleted'));
      } catch {
        // One ticket that changed, or that another run deleted first, fails its group: each on its own then.
        await mapLimited(group, GATHER_CONCURRENCY, async (item) => outcomes.set(item.read.ticket.id, await this.commitOne(item)));
      }
    });
    return outcomes;
  }

  private addDeletion(batch: FirebaseFirestore.WriteBatch, item: DeletionItem): void {
    batch.create(this.db.collection(RETENTION_COLLECTIONS.receipts).doc(item.receipt.id), item.receipt);
    batch.delete(this.db.collection(COLLECTIONS.tickets).doc(item.read.ticket.id), { lastUpdateTime: timestampOf(item.read.version) });
    for (const record of inCommit(item.records)) batch.delete(this.db.doc(record.id));
  }

  private async commitOne(item: DeletionItem): Promise<DeletionOutcome> {
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
    await deleteInCommits(this.keysDb, all.filter((r) => r.kind === 'dataKey').map((r) => r.id));
    await deleteInCommits(this.db, all.filter((r) => r.kind !== 'dataKey').map((r) => r.id));
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
