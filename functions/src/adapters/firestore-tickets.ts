/**
 * Tickets in Firestore: `tickets/{id}` (with a derived `scopeKey` = `tier|language|product`
 * that agents' list queries use), `tickets/{id}/messages/{id}`, the outbox (one record per
 * commit, `outbox/{first event id}`), `idempotencyKeys/{hash}` and
 * `processedEvents/{consumer:eventId}`. Every state change and the events it causes are
 * written in one transaction.
 */
import { FieldPath, Timestamp, type DocumentReference, type Firestore, type Transaction } from '@google-cloud/firestore';
import type {
  IdempotencyRecord,
  MutationOutcome,
  TicketChange,
  TicketCreation,
  TicketFilter,
  TicketPage,
  TicketRepository,
  VersionedTicket,
} from '../application/ports';
import type { Message, OriginalsToStore } from '../application/records';
import { NotFoundError } from '../domain/errors';
import type { Ticket } from '../domain/ticket';
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor';
import { throwIfStalled } from './deadlines';
import { expiry } from './expiry';
import { COLLECTIONS, GRPC_STATUS, hasGrpcStatus } from './firestore-names';
import { ticketFromDocument, ticketToDocument } from './firestore-ticket-document';
import { CallGrouper } from './grouped-calls';
import { indexChange, indexNewTicket, ticketRecordPaths } from './message-index';
import { writeOutbox } from './outbox-records';

/** Open statuses: an agent's load is the number of their tickets in one of these. */
const OPEN_STATUSES = ['new', 'open', 'pending_customer', 'on_hold'];

function fromSnapshot(snapshot: FirebaseFirestore.DocumentSnapshot): Ticket {
  return ticketFromDocument(snapshot.data(), snapshot.ref.path);
}

/** The most values Firestore takes in one `in` filter. */
const MAX_IN_VALUES = 30;

export function chunks<T>(values: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));
}

/** The list order: newest first, then by id, as the list queries order (ids are ASCII). */
function newestFirst(a: Ticket, b: Ticket): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A snapshot's version: its update time, as `seconds.nanoseconds`. */
export function versionOf(snapshot: FirebaseFirestore.DocumentSnapshot): string {
  const time = snapshot.updateTime;
  if (time === undefined) throw new Error('a stored document has no update time');
  return `${time.seconds}.${time.nanoseconds}`;
}

export function timestampOf(version: string): Timestamp {
  const [seconds = '0', nanoseconds = '0'] = version.split('.');
  return new Timestamp(Number(seconds), Number(nanoseconds));
}

/** Writes encrypted originals apart from the ticket, `originals/{ticketId}/texts/{id}`, inside the ticket's commit. */
function writeOriginals(
  db: Firestore,
  writer: Transaction | FirebaseFirestore.WriteBatch,
  ticketId: string,
  originals: OriginalsToStore | undefined,
): void {
  if (originals === undefined) return;
  for (const text of originals.texts) {
    writer.create(db.collection(COLLECTIONS.originals).doc(ticketId).collection(COLLECTIONS.originalTexts).doc(text.id), text);
  }
}

type CreateOutcome = Awaited<ReturnType<TicketRepository['create']>>;
const CREATED: CreateOutcome = { created: true };

/**
 * Ticket creations committed in one batch at most: each writes at most 6 documents of at
 * most ~200 KB (ticket, message index, idempotency record, outbox record, 2 sealed originals), which keeps
 * a group within Firestore's 500 writes and 10 MiB per commit.
 */
const MAX_CREATIONS_PER_COMMIT = 20;

export class FirestoreTicketRepository implements TicketRepository {
  private readonly creations = new CallGrouper<TicketCreation, CreateOutcome>((group) => this.commitGroup(group), MAX_CREATIONS_PER_COMMIT);

  constructor(private readonly db: Firestore) {}

  private ticketRef(id: string): DocumentReference {
    return this.db.collection(COLLECTIONS.tickets).doc(id);
  }

  private idempotencyRef(key: string): DocumentReference {
    return this.db.collection(COLLECTIONS.idempotencyKeys).doc(key);
  }

  /**
   * One atomic batch of blind creates — idempotency record, ticket, outbox — with no read on
   * the happy path. The creations of requests that arrive together are committed as one batch
   * (a group commit, see `CallGrouper`); each ticket's documents stay together in it.
   */
  async create(creation: TicketCreation): Promise<CreateOutcome> {
    return this.creations.call(creation);
  }

  private commitGroup(creations: readonly TicketCreation[]): Promise<CreateOutcome>[] {
    const [only] = creations;
    if (only !== undefined && creations.length === 1) return [this.commitOne(only)];
    const batch = this.db.batch();
    try {
      for (const creation of creations) this.addCreation(batch, creation);
    } catch {
      // A creation Firestore refuses to encode fails on its own, not its group.
      return creations.map(async (creation) => this.commitOne(creation));
    }
    const committed = batch.commit();
    // A group fails as a whole, for instance when one of its Idempotency-Keys was used before;
    // then each creation is committed on its own, with its own outcome.
    return creations.map(async (creation) => committed.then(() => CREATED, async () => this.commitOne(creation)));
  }

  private addCreation(batch: FirebaseFirestore.WriteBatch, creation: TicketCreation): void {
    const { ticket, events, idempotency } = creation;
    if (idempotency !== null) {
      batch.create(this.idempotencyRef(idempotency.key), {
        bodyHash: idempotency.bodyHash,
        ticketId: ticket.id,
        createdAt: ticket.createdAt,
        ...expiry('idempotencyKeys', ticket.createdAt),
      });
    }
    batch.create(this.ticketRef(ticket.id), ticketToDocument(ticket));
    indexNewTicket(this.db, batch, ticket.id, ticketRecordPaths(this.db, ticket.id, events, idempotency === null ? [] : [this.idempotencyRef(idempotency.key).path]));
    writeOutbox(this.db, batch, events);
    writeOriginals(this.db, batch, ticket.id, creation.originals);
  }

  /**
   * Commits one creation. ALREADY_EXISTS means the idempotency record exists — the stored
   * record is returned — or that this very creation was committed by an attempt whose answer
   * was lost (its ticket id is random, so only this request can have written it).
   */
  private async commitOne(creation: TicketCreation): Promise<CreateOutcome> {
    const batch = this.db.batch();
    this.addCreation(batch, creation);
    try {
      await batch.commit();
      return CREATED;
    } catch (error) {
      if (!hasGrpcStatus(error, GRPC_STATUS.ALREADY_EXISTS)) throw error;
      const { ticket, idempotency } = creation;
      if (idempotency !== null) {
        const stored = await this.idempotencyRef(idempotency.key).get();
        const record = stored.data() as IdempotencyRecord | undefined;
        if (record !== undefined) return record.ticketId === ticket.id ? CREATED : { created: false, existing: record };
      }
      if ((await this.ticketRef(ticket.id).get()).exists) return CREATED;
      throw error;
    }
  }

  async get(id: string): Promise<Ticket | null> {
    const snapshot = await this.ticketRef(id).get();
    return snapshot.exists ? fromSnapshot(snapshot) : null;
  }

  async findIdempotency(key: string): Promise<IdempotencyRecord | null> {
    const snapshot = await this.idempotencyRef(key).get();
    return snapshot.exists ? (snapshot.data() as IdempotencyRecord) : null;
  }

  async messages(id: string): Promise<Message[]> {
    const snapshot = await this.ticketRef(id).collection(COLLECTIONS.messages).orderBy('createdAt').orderBy(FieldPath.documentId()).get();
    return snapshot.docs.map((doc) => doc.data() as Message);
  }

  /**
   * One query, newest first. Firestore takes at most 30 values in an `in` filter, so an agent
   * whose scope has more keys gets one query per 30 keys, each for a page after the cursor,
   * and the newest `limit` of them all make the page.
   */
  async list(filter: TicketFilter, limit: number, cursor: string | null): Promise<TicketPage> {
    const after = decodeCursor(cursor);
    const scopes = filter.scopeKeys === undefined ? [undefined] : chunks(filter.scopeKeys, MAX_IN_VALUES);
    const pages = await Promise.all(scopes.map(async (scopeKeys) => this.listQuery({ ...filter, scopeKeys }, after).limit(limit + 1).get()));
    const found = pages.flatMap((page) => page.docs.map((doc) => fromSnapshot(doc)));
    if (pages.length > 1) found.sort(newestFirst);
    const tickets = found.slice(0, limit);
    const last = tickets[tickets.length - 1];
    const nextCursor = found.length > limit && last !== undefined ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
    return { tickets, nextCursor };
  }

  private listQuery(filter: TicketFilter, after: CursorPosition | null): FirebaseFirestore.Query {
    let query: FirebaseFirestore.Query = this.db.collection(COLLECTIONS.tickets);
    if (filter.orgId !== undefined) query = query.where('orgId', '==', filter.orgId);
    if (filter.scopeKeys !== undefined) query = query.where('scopeKey', 'in', filter.scopeKeys);
    if (filter.tier !== undefined) query = query.where('tier', '==', filter.tier);
    if (filter.status !== undefined) query = query.where('status', '==', filter.status);
    if (filter.severity !== undefined) query = query.where('severity', '==', filter.severity);
    query = query.orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
    return after === null ? query : query.startAfter(after.createdAt, after.id);
  }

  async mutate<R>(
    id: string,
    decide: (ticket: Ticket) => TicketChange<R>,
    idempotencyKey?: string,
  ): Promise<MutationOutcome<R>> {
    const ref = this.ticketRef(id);
    return this.db.runTransaction(async (tx) => {
      // Firestore retries a transaction whose call was cancelled; once the deadline cut a call, stop.
      throwIfStalled();
      const markerRef = idempotencyKey === undefined ? null : this.db.collection(COLLECTIONS.processedEvents).doc(idempotencyKey);
      const [snapshot, marker] = await tx.getAll(...(markerRef === null ? [ref] : [ref, markerRef]));
      if (marker?.exists === true) return { applied: false as const };
      if (snapshot === undefined || !snapshot.exists) throw new NotFoundError('The ticket');
      const change = decide(fromSnapshot(snapshot));
      // Reads of rewritten messages come after the decision but before any write, as transactions require.
      const rewrites = await Promise.all(
        (change.rewriteMessages ?? []).map(async ({ id: messageId, rewrite }) => {
          const messageRef = ref.collection(COLLECTIONS.messages).doc(messageId);
          const message = await tx.get(messageRef);
          if (!message.exists) throw new NotFoundError('The message');
          return { messageRef, body: rewrite(String(message.get('body'))) };
        }),
      );
      tx.set(ref, ticketToDocument(change.ticket));
      for (const { messageRef, body } of rewrites) tx.update(messageRef, { body });
      for (const message of change.messages ?? []) {
        tx.create(ref.collection(COLLECTIONS.messages).doc(message.id), message);
      }
      const records = ticketRecordPaths(this.db, id, change.events ?? [], markerRef === null ? [] : [markerRef.path]);
      indexChange(this.db, tx, id, (change.messages ?? []).map((m) => m.id), records);
      writeOutbox(this.db, tx, change.events ?? []);
      writeOriginals(this.db, tx, id, change.originals);
      if (markerRef !== null) tx.create(markerRef, { ticketId: id, at: change.ticket.updatedAt, ...expiry('processedEvents', change.ticket.updatedAt) });
      return { applied: true as const, result: change.result, ticket: change.ticket, events: change.events ?? [] };
    });
  }

  async findDue(nowIso: string, limit: number): Promise<VersionedTicket[]> {
    const snapshot = await this.db
      .collection(COLLECTIONS.tickets)
      .where('sla.nextCheckAt', '<=', nowIso)
      .orderBy('sla.nextCheckAt')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => ({ ticket: fromSnapshot(doc), version: versionOf(doc) }));
  }

  async getVersioned(id: string): Promise<VersionedTicket | null> {
    const snapshot = await this.ticketRef(id).get();
    return snapshot.exists ? { ticket: fromSnapshot(snapshot), version: versionOf(snapshot) } : null;
  }

  async commitIfUnchanged(version: string, change: TicketChange<unknown>): Promise<boolean> {
    const ref = this.ticketRef(change.ticket.id);
    const batch = this.db.batch();
    batch.update(ref, { ...ticketToDocument(change.ticket) }, { lastUpdateTime: timestampOf(version) });
    for (const message of change.messages ?? []) batch.create(ref.collection(COLLECTIONS.messages).doc(message.id), message);
    indexChange(this.db, batch, change.ticket.id, (change.messages ?? []).map((m) => m.id), ticketRecordPaths(this.db, change.ticket.id, change.events ?? []));
    writeOutbox(this.db, batch, change.events ?? []);
    writeOriginals(this.db, batch, change.ticket.id, change.originals);
    try {
      await batch.commit();
      return true;
    } catch (error) {
      // Someone changed the ticket since it was read.
      if (hasGrpcStatus(error, GRPC_STATUS.FAILED_PRECONDITION)) return false;
      throw error;
    }
  }

  async openAssignmentCounts(agentUids: readonly string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(
      agentUids.map(async (uid) => {
        const aggregate = await this.db
          .collection(COLLECTIONS.tickets)
          .where('assigneeUid', '==', uid)
          .where('status', 'in', OPEN_STATUSES)
          .count()
          .get();
        return [uid, aggregate.data().count] as const;
      }),
    );
    return new Map(counts);
  }
}
