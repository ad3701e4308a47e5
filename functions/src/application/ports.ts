/**
 * The ports the use cases need, named for what they do. Adapters (named for their technology)
 * implement them in `adapters/`; unit tests use hand-written in-memory fakes.
 */
import type { Principal } from '../domain/access';
import type { AccountAudit, AccountRecord, StaffAccount, StaffGrant } from '../domain/account-changes';
import type { Catalog } from '../domain/catalog';
import type { SlaTarget } from '../domain/sla';
import type { Counters } from '../domain/support-figures';
import type { AgentTier, Ticket, TicketStatus, Tier } from '../domain/ticket';
import type { Message, OriginalsToStore, SealedOriginal } from './records';
import type { DomainEvent } from '../domain/events';

/** Time, injected: use cases never read the wall clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface IdGenerator {
  newId(): string;
}

/** Structured logs. Never pass ticket text, message bodies or personal data as fields. */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** What a verified ID token says about its bearer. */
export interface VerifiedToken {
  readonly uid: string;
  readonly email: string | null;
  /** `password`, `google.com`, `saml.*`, `oidc.*`, … */
  readonly signInProvider: string;
  /** Set when the sign-in used a second factor. */
  readonly secondFactor: string | null;
}

export interface TokenVerifier {
  /**
   * Resolves with the token's facts, or rejects when it is missing a signature, expired or
   * forged; rejects with `DependencyUnavailableError` when Auth could not be asked in time.
   */
  verify(idToken: string): Promise<VerifiedToken>;
}

/** A staff member's role and scope, as admins set them. */
export type StaffProfile = Omit<StaffAccount, 'kind'>;

/** Staff and customer accounts: who a uid is, loaded fresh on every request. */
export interface PrincipalDirectory {
  find(uid: string): Promise<Principal | null>;
  putStaff(uid: string, profile: StaffProfile, at: string): Promise<void>;
  putCustomer(uid: string, orgId: string, at: string): Promise<void>;
  /** Whether the organisation exists: organisations are made by making someone their customer. */
  organisationExists(orgId: string): Promise<boolean>;
  /** Active agents of a tier who speak `language` (training and products are checked by the caller). */
  agentsFor(tier: AgentTier, language: string): Promise<Extract<Principal, { kind: 'staff' }>[]>;
}

/** Admin-managed configuration: the catalog, holidays and SLA policies. */
export interface SupportConfiguration {
  catalog(): Promise<Catalog>;
  holidays(product: string, language: string): Promise<readonly string[]>;
  putHolidays(product: string, language: string, holidays: readonly string[]): Promise<void>;
  slaTargets(product: string): Promise<readonly SlaTarget[]>;
  putSlaTargets(product: string, targets: readonly SlaTarget[]): Promise<void>;
}

/** A previously stored answer to an `Idempotency-Key`. */
export interface IdempotencyRecord {
  readonly bodyHash: string;
  readonly ticketId: string;
}

/** A new ticket with what must be written with it, atomically. */
export interface TicketCreation {
  readonly ticket: Ticket;
  readonly events: readonly DomainEvent[];
  readonly idempotency: { readonly key: string; readonly bodyHash: string } | null;
  /** Encrypted originals of redacted text, stored apart from the ticket in the same commit. */
  readonly originals?: OriginalsToStore;
}

/** The outcome of a decision taken inside a ticket transaction. */
export interface TicketChange<R> {
  readonly ticket: Ticket;
  readonly messages?: readonly Message[];
  /**
   * Existing messages rewritten inside the transaction (manual redaction): `rewrite` gets the
   * body as stored at commit time. Only `mutate` applies these.
   */
  readonly rewriteMessages?: readonly { readonly id: string; readonly rewrite: (body: string) => string }[];
  readonly events?: readonly DomainEvent[];
  readonly originals?: OriginalsToStore;
  readonly result: R;
}

/** A ticket as read, with an opaque version (its update time) for optimistic writes. */
export interface VersionedTicket {
  readonly ticket: Ticket;
  readonly version: string;
}

/** What `mutate` did: applied (with the decision's result, new ticket and events) or skipped as a duplicate. */
export type MutationOutcome<R> =
  | { readonly applied: true; readonly result: R; readonly ticket: Ticket; readonly events: readonly DomainEvent[] }
  | { readonly applied: false };

export interface TicketFilter {
  readonly orgId?: string;
  readonly tier?: Tier;
  readonly status?: TicketStatus;
  readonly severity?: number;
  /** Agents: only tickets whose `tier|language|product` is one of these. */
  readonly scopeKeys?: readonly string[];
}

export interface TicketPage {
  readonly tickets: readonly Ticket[];
  readonly nextCursor: string | null;
}

export interface TicketRepository {
  /**
   * Writes the ticket, its outbox events and its idempotency record atomically. When the
   * idempotency key already exists for another ticket, writes nothing and returns the stored
   * record instead; when this very creation was written already (a retry after a lost
   * answer), answers `created`.
   */
  create(creation: TicketCreation): Promise<{ created: true } | { created: false; existing: IdempotencyRecord }>;
  get(id: string): Promise<Ticket | null>;
  /** The stored answer to an idempotency key, or null. */
  findIdempotency(key: string): Promise<IdempotencyRecord | null>;
  messages(id: string): Promise<Message[]>;
  list(filter: TicketFilter, limit: number, cursor: string | null): Promise<TicketPage>;
  /**
   * Reads the ticket, lets `decide` take a pure decision, and writes the result with its
   * messages and outbox events in one transaction. `decide` may run more than once (retries).
   * When `idempotencyKey` is given and was already applied, returns null without calling `decide`.
   */
  mutate<R>(
    id: string,
    decide: (ticket: Ticket) => TicketChange<R>,
    idempotencyKey?: string,
  ): Promise<MutationOutcome<R>>;
  /**
   * Tickets whose SLA needs the sweep (`sla.nextCheckAt <= now`), earliest first, each with
   * its version: one indexed query, never a scan of open tickets.
   */
  findDue(nowIso: string, limit: number): Promise<VersionedTicket[]>;
  /** The ticket with its version (for a retry after a conflict). */
  getVersioned(id: string): Promise<VersionedTicket | null>;
  /**
   * Writes a change only if the ticket is still at `version` (an optimistic transaction: one
   * atomic write with a precondition, with its outbox events). False on a conflict.
   */
  commitIfUnchanged(version: string, change: TicketChange<unknown>): Promise<boolean>;
  /** Open tickets assigned to each agent (for least-loaded routing). */
  openAssignmentCounts(agentUids: readonly string[]): Promise<Map<string, number>>;
}

/** Publishes outbox events to Pub/Sub and marks them published. */
export interface OutboxDispatcher {
  /**
   * Publishes the events one commit just wrote — all of them, concurrently — now (best
   * effort; the relay job is the safety net).
   */
  dispatch(events: readonly DomainEvent[]): Promise<void>;
  /**
   * Writes the publication marks still pending. Event functions call it before they return:
   * an instance may get no CPU once its invocation ended (a lost mark only means the relay
   * publishes that record once more).
   */
  flush(): Promise<void>;
  /** Publishes every event still unpublished that is older than `olderThanMs`; returns how many. */
  relayPending(olderThanMs: number): Promise<number>;
}

/** The support figures' counters: one set per UTC day, split over a few shard documents. */
export interface SupportFiguresStore {
  /**
   * Adds `counters` to shard `shard` of `day` and records `eventId` as counted, atomically.
   * False, with nothing added, when the event was counted before.
   */
  add(eventId: string, day: string, shard: number, counters: Readonly<Counters>): Promise<boolean>;
  /** The counters of the days `from`..`to` (`YYYY-MM-DD`, inclusive), summed over days and shards. */
  sum(from: string, to: string): Promise<Counters>;
}

/** An opaque data-encryption key, in memory only. */
export interface DataKey {
  readonly material: Uint8Array;
}

/**
 * Envelope encryption for redaction originals: a data key per ticket, wrapped by Cloud KMS in
 * production and by a local key in local mode.
 */
export interface KeyVault {
  /** A fresh data key and its wrapped form (to store). */
  newDataKey(): Promise<{ key: DataKey; wrapped: string; keyName: string }>;
  unwrap(wrapped: string): Promise<DataKey>;
  /** A fresh data key that is never wrapped or stored: what it seals nobody can open. */
  unkeptKey(): DataKey;
  seal(key: DataKey, plaintext: string): string;
  open(key: DataKey, sealed: string): string;
}

/** What a privacy officer chose for texts sealed after a destroy: under a destroyed key too, or refused. */
export type AfterDestroy = 'destroyed' | 'refused';

/**
 * A ticket's data key as stored: none yet, live (wrapped), or destroyed — a tombstone in the
 * key's place, so no new key can ever be made for the ticket.
 */
export type DataKeyState =
  | { readonly state: 'none' }
  | { readonly state: 'live'; readonly wrapped: string }
  | { readonly state: 'destroyed'; readonly afterwards: AfterDestroy };

/** One destroy of a ticket's originals, as asked for. */
export interface OriginalsDestroy {
  readonly at: string;
  readonly by: string;
  readonly reason: string;
  readonly afterwards: AfterDestroy;
}

/** One destroy as recorded: with the number of sealed texts it deleted. */
export interface DestroyRecord extends OriginalsDestroy {
  readonly texts: number;
}

/** Encrypted originals, stored apart from tickets, and the audit trail of who read them. */
export interface OriginalsRepository {
  /** The ticket's data key: none, live, or destroyed. */
  keyState(ticketId: string): Promise<DataKeyState>;
  /**
   * Stores a ticket's key unless a key or a tombstone is there; answers what is stored then
   * (the live key that won a race, or the tombstone: key creation fails after a destroy).
   */
  createKey(ticketId: string, key: { wrapped: string; keyName: string; createdAt: string }): Promise<DataKeyState>;
  list(ticketId: string): Promise<SealedOriginal[]>;
  /** Every destroy of the ticket's originals, oldest first. */
  destroys(ticketId: string): Promise<DestroyRecord[]>;
  /**
   * Puts a tombstone in the data key's place (from then on every text sealed with it, backups
   * included, is unreadable, and no new key can be made), deletes the sealed texts, and appends
   * the destroy to the ticket's record; answers how many texts it deleted.
   */
  destroy(ticketId: string, destroy: OriginalsDestroy): Promise<number>;
  audit(record: { id: string; action: string; ticketId: string; by: string; at: string; reason: string }): Promise<void>;
}

/** What one account change writes, together and atomically, and what the use case answers. */
export interface AccountChange<R> {
  /** The account's new record. */
  readonly account?: { readonly uid: string; readonly record: AccountRecord };
  /** A grant to store (new, or approved). */
  readonly grant?: StaffGrant;
  readonly audit: AccountAudit;
  readonly result: R;
}

/** What a change decides on: the account and the grant, as the transaction read them. */
export interface AccountState {
  readonly account: AccountRecord | null;
  readonly grant: StaffGrant | null;
}

/** Staff and customer accounts as admins change them: every change in one transaction with its audit record. */
export interface AccountAdministration {
  /**
   * Reads the account (`uid`, or the grant's account) and the grant (`grantId`) in one
   * transaction, and writes what `decide` returns with its audit record. `decide` may run
   * more than once (transaction retries); what it throws is thrown, and nothing is written.
   */
  change<R>(target: { readonly uid?: string; readonly grantId?: string }, decide: (state: AccountState) => AccountChange<R>): Promise<R>;
  /** Grants still waiting for a second admin, oldest first. */
  pendingGrants(): Promise<StaffGrant[]>;
}
