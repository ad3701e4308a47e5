/**
 * The ports of retention, erasure and legal hold, named for what they do. The Firestore
 * adapters (`adapters/firestore-retention.ts`, `adapters/firestore-erasure.ts`) implement them;
 * unit tests use in-memory fakes.
 */
import type { DeletedRecord, DeletionReceipt, PeoplePolicy, RetentionPolicy, RetentionRule } from '../../domain/retention';
import type { Ticket } from '../../domain/ticket';
import type { Message } from '../records';
import type { DomainEvent } from '../../domain/events';
import type { OriginalsDestroy } from '../ports';

/** A ticket as read, with its version (update time) for a write with a precondition. */
export interface ReadTicket {
  readonly ticket: Ticket;
  readonly version: string;
  /** The document as stored, which a receipt hashes (the store's form, derived fields and all). */
  readonly stored: unknown;
}

/** One page of a due-ticket query, in the query's order, and where the next page starts. */
export interface TicketBatch {
  readonly tickets: readonly ReadTicket[];
  /** Opaque: pass back to read the next page; null after the last. */
  readonly next: string | null;
}

/** Which tickets a deletion stream reads (each an indexed query, streamed page by page). */
export type DueSelection =
  | { readonly kind: 'closed-before'; readonly product: string; readonly before: string }
  | { readonly kind: 'delete-after-passed'; readonly now: string }
  | { readonly kind: 'resolved-before'; readonly product: string; readonly before: string }
  | { readonly kind: 'resolved-between'; readonly product: string; readonly after: string; readonly before: string }
  | { readonly kind: 'of-customer'; readonly uid: string };

/**
 * Everything that belongs to one ticket, as read for its deletion: the records whose content
 * the receipt hashes (the ticket, its messages, sealed originals, data key, tombstone, outbox,
 * idempotency, processed-event and notification records), and the events it committed that
 * were not yet published (they are published before their record goes, so that the figures
 * count every fact that happened).
 */
export interface TicketRecords {
  readonly ticketId: string;
  readonly records: readonly DeletedRecord[];
  /** The events of each unpublished outbox record, one list per record (one commit). */
  readonly unpublished: readonly (readonly DomainEvent[])[];
}

/** One ticket's deletion: its receipt, the ticket as read, and the records that go with it. */
export interface DeletionItem {
  readonly receipt: DeletionReceipt;
  readonly read: ReadTicket;
  readonly records: TicketRecords;
}

/** The outcome of committing one ticket's deletion. */
export type DeletionOutcome = 'deleted' | 'already-deleted' | 'changed';

/** A retention run's bookkeeping: what it has committed but not yet purged, and its summary. */
export interface RunSummary {
  readonly deleted: number;
  readonly anonymised: number;
  /** Tickets another run deleted first, or that changed while being deleted (retried next run). */
  readonly skipped: number;
  readonly held: number;
  readonly failed: number;
  readonly autoClosed: number;
  readonly originalsDestroyed: number;
  readonly peopleDeleted: number;
  readonly durationMs: number;
}

export interface RetentionPolicies {
  /** The product's policy (the defaults where none was set). */
  policy(product: string): Promise<RetentionPolicy>;
  put(product: string, policy: RetentionPolicy, at: string, by: string): Promise<void>;
  /** The people rules (inactive customers, deactivated staff), from configuration. */
  people(): PeoplePolicy;
}

/** Tickets, read and deleted for retention. */
export interface RetentionStore {
  /** One page of the selection after `cursor`, at most `limit` tickets. */
  due(selection: DueSelection, cursor: string | null, limit: number): Promise<TicketBatch>;
  /**
   * Everything that belongs to each ticket, as the due query read it (not read again: the
   * deletion's precondition refuses a ticket that changed since).
   */
  gather(reads: readonly ReadTicket[]): Promise<(TicketRecords & { readonly read: ReadTicket })[]>;
  /** What tickets whose document is gone left behind (a stopped run's purge), by id. */
  leftovers(ticketIds: readonly string[]): Promise<TicketRecords[]>;
  /**
   * Creates each receipt and deletes its ticket with its records in one atomic commit (several
   * tickets to a commit), with a precondition that the ticket is unchanged since it was read: a
   * receipt exists exactly when its ticket and records were deleted, once. When some records
   * must wait for `purge` (see `leftAfterCommit`), `checkpoint` is given and written before the
   * commits; null when the commits leave nothing behind.
   */
  commitDeletions(items: readonly DeletionItem[], checkpoint: Checkpoint | null): Promise<Map<string, DeletionOutcome>>;
  /**
   * What of a ticket's records its deletion's commit leaves to `purge`: the data key (in the
   * keys database), and every record of a ticket with more than one commit can hold.
   */
  leftAfterCommit(records: TicketRecords): TicketRecords;
  /** Deletes the given records (the data keys first). Safe to repeat. */
  purge(records: readonly TicketRecords[]): Promise<void>;
  /** Which of the tickets still have a data key (sealed originals that can be read). */
  withDataKeys(ticketIds: readonly string[]): Promise<Set<string>>;
  /** Whether a receipt exists for each ticket id (resuming a stopped run). */
  receiptsExist(receiptIds: readonly string[]): Promise<Set<string>>;
  /** Writes the ticket only if it is unchanged since `version`; false on a conflict. */
  replaceIfUnchanged(read: ReadTicket, ticket: Ticket): Promise<boolean>;
  /**
   * Anonymises a held ticket in one transaction: the ticket and the subject's messages
   * rewritten by `anonymise`, their originals deleted, the receipt written. `anonymise` answers
   * null when there is nothing left to do (anonymised before); false then, or when the ticket is gone.
   */
  anonymise(
    ticketId: string,
    anonymise: (ticket: Ticket, messages: readonly Message[]) => { ticket: Ticket; messages: readonly Message[]; receipt: DeletionReceipt } | null,
  ): Promise<boolean>;
}

/** The tickets of a batch being deleted, under an id unique to the batch (written with their deletion). */
export interface Checkpoint {
  readonly id: string;
  readonly runId: string;
  readonly ticketIds: readonly string[];
}

/**
 * A run's bookkeeping: its summary, and checkpoints — the tickets of a batch being deleted,
 * recorded in the commit that deletes them (`RetentionStore.commitDeletions`) and cleared once
 * their records are purged. A checkpoint left behind is a run that stopped half-way; the next run finishes it.
 */
export interface RetentionRuns {
  start(runId: string, at: string): Promise<void>;
  /** Clears a checkpoint whose tickets' records are all purged. */
  purged(checkpointId: string): Promise<void>;
  /** Checkpoints left by runs that stopped (or are still going: finishing them twice is harmless). */
  stranded(): Promise<{ checkpointId: string; ticketIds: readonly string[] }[]>;
  finish(runId: string, at: string, summary: RunSummary): Promise<void>;
}

/** Sealed originals, destroyed for good by the retention rule. */
export interface OriginalsDestroyer {
  /** Destroys the ticket's data key and sealed texts (tombstone recorded); the number of texts. */
  destroy(ticketId: string, destroy: OriginalsDestroy): Promise<number>;
}

/**
 * What deleting one person will do, fixed and stored before anything is deleted: the receipt
 * (built from everything as it was then) and the status subscriptions to delete. A run stopped
 * part-way is finished from the plan, so the receipt lists what the first run found even when
 * the account (and with it the address the subscriptions were found by) is gone already.
 */
export interface PersonDeletionPlan {
  readonly receipt: DeletionReceipt;
  readonly subscriptionIds: readonly string[];
}

/** People (`principals/{uid}`) as retention sees them. */
export interface PeopleStore {
  /** Uids due under a people rule, at most `limit` (deleted ones drop out, so no cursor is needed). */
  due(rule: 'inactive-customers' | 'deactivated-staff', cutoff: string, limit: number): Promise<string[]>;
  /** The stored profile of a person, or null. */
  profile(uid: string): Promise<Readonly<Record<string, unknown>> | null>;
  /** The stored plan of the person's deletion, or null when none was begun. */
  deletionPlan(uid: string): Promise<PersonDeletionPlan | null>;
  /** Stores `plan` unless a plan is stored already; answers the stored one (the first run's plan wins). */
  planDeletion(uid: string, plan: PersonDeletionPlan): Promise<PersonDeletionPlan>;
  /** Deletes the profile and the plan and creates the receipt, in one atomic write (the receipt once). */
  deleteWithReceipt(uid: string, receipt: DeletionReceipt): Promise<void>;
  /** How many messages `uid` wrote under their own name (those neutralising would rewrite). */
  messagesBy(uid: string): Promise<number>;
  /** Rewrites up to `limit` messages written by `uid` to the neutral author; how many it rewrote. */
  neutraliseMessages(uid: string, neutralAuthor: string, limit: number): Promise<number>;
  /**
   * One page (by uid, after `cursor`) of the customers, answering those whose profile records no
   * activity day, with the profile's last change; `next` is null after the last page.
   */
  withoutActivity(cursor: string | null, limit: number): Promise<{ customers: { uid: string; updatedAt: string | null }[]; next: string | null }>;
  /** Sets the customer's activity day unless one was recorded meanwhile. */
  backfillActivity(uid: string, day: string): Promise<void>;
}

/** Sign-in accounts (Firebase Auth / Identity Platform). */
export interface AccountAdmin {
  /** The account's stored facts (for the receipt's hash), or null when there is none. */
  account(uid: string): Promise<Readonly<Record<string, unknown>> | null>;
  /** Deletes the account; nothing when it is gone already. */
  deleteAccount(uid: string): Promise<void>;
  /** Revokes every refresh token: the person's sessions end when their ID token next needs refreshing. */
  revokeSessions(uid: string): Promise<void>;
  /** When the account was created, last signed in and last refreshed a token (ISO, null if unknown); null without an account. */
  seen(uid: string): Promise<{ createdAt: string | null; lastSignInAt: string | null; lastRefreshAt: string | null } | null>;
}

/**
 * Status subscriptions by the email address they are sent to: anyone may subscribe any
 * address, so the address is all that ties a subscription to a person.
 */
export interface SubscriptionsByAddress {
  /** Every status subscription at `email` (stored lower-case), with its record for the receipt. */
  at(email: string): Promise<{ readonly subscriptionId: string; readonly record: DeletedRecord }[]>;
  /** Deletes one subscription; nothing when it is gone already. */
  delete(subscriptionId: string): Promise<void>;
}

/** The watermark of the originals rule: up to which resolution instant a product was handled. */
export interface RetentionWatermarks {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
}

export type { RetentionRule };

export const ERASURE_STATUSES = ['received', 'in_progress', 'completed'] as const;
export type ErasureStatus = (typeof ERASURE_STATUSES)[number];

/** An erasure request as stored: who asked to erase whom, and how far it got. */
export interface ErasureRequest {
  readonly id: string;
  readonly subjectUid: string;
  readonly requestedBy: string;
  readonly status: ErasureStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
}

export interface ErasureRequests {
  /** Stores a new request with the event that starts its processing, atomically (outbox). */
  create(request: ErasureRequest, event: DomainEvent): Promise<void>;
  get(id: string): Promise<ErasureRequest | null>;
  setStatus(id: string, status: ErasureStatus, at: string): Promise<void>;
}

/** Receipts, read back by privacy officers and by erasure requests. */
export interface DeletionReceipts {
  /** Receipts made `from`..`to` (ISO instants, `to` exclusive), oldest first, paged. */
  list(from: string, to: string, limit: number, cursor: string | null): Promise<{ receipts: DeletionReceipt[]; nextCursor: string | null }>;
  /** The receipts made for one erasure request. */
  ofRequest(requestId: string): Promise<DeletionReceipt[]>;
}
