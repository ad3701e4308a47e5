/**
 * Hand-written in-memory fakes of the application ports, for unit tests of the use cases:
 * a ticket repository with versions (so optimistic writes can conflict), a fixed
 * configuration, an outbox that records what was dispatched, a clock tests move by hand,
 * sequential ids and a logger that keeps its lines.
 */
import catalogJson from '../../data/support-catalog.json';
import { scopeKey, type Principal, type StaffPrincipal } from '../../functions/src/domain/access';
import { CatalogSchema, type Catalog } from '../../functions/src/domain/catalog';
import type { SlaTarget } from '../../functions/src/domain/sla';
import { addCounters, type Counters } from '../../functions/src/domain/support-figures';
import type { Ticket, TicketStatus } from '../../functions/src/domain/ticket';
import { NotFoundError } from '../../functions/src/domain/errors';
import { decodeCursor, encodeCursor } from '../../functions/src/adapters/cursor';
import type { RedactionPolicy } from '../../functions/src/domain/redaction';
import {
  PolicyFreeTextRedactor,
  type RedactionPolicyStore,
  type StoredRedactionPolicy,
} from '../../functions/src/application/redaction/free-text-redactor';
import type {
  Clock,
  DataKey,
  DataKeyState,
  DestroyRecord,
  OriginalsDestroy,
  IdGenerator,
  KeyVault,
  OriginalsRepository,
  IdempotencyRecord,
  Logger,
  MutationOutcome,
  OutboxDispatcher,
  PrincipalDirectory,
  SupportConfiguration,
  SupportFiguresStore,
  TicketChange,
  TicketCreation,
  TicketFilter,
  TicketPage,
  TicketRepository,
  VersionedTicket,
} from '../../functions/src/application/ports';
import type { Message, OriginalsToStore, SealedOriginal } from '../../functions/src/application/records';
import type { DomainEvent } from '../../functions/src/domain/events';
import type { IntakeDeps } from '../../functions/src/application/tickets/create-ticket';

export const CATALOG: Catalog = CatalogSchema.parse(catalogJson);

/** The statuses in which a ticket counts towards its agent's load (as the Firestore adapter counts them). */
const OPEN_STATUSES: ReadonlySet<TicketStatus> = new Set(['new', 'open', 'pending_customer', 'on_hold']);

/** String order as Firestore sorts ASCII ids and ISO instants. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A clock that stands still until a test moves it. */
export class FixedClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export class SequentialIds implements IdGenerator {
  private next = 0;
  newId(): string {
    this.next += 1;
    return `id-${String(this.next).padStart(5, '0')}`;
  }
}

export class MemoryLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'debug', message, ...(fields ? { fields } : {}) });
  }
  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'info', message, ...(fields ? { fields } : {}) });
  }
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) });
  }
  error(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.lines.push({ level: 'error', message, ...(fields ? { fields } : {}) });
  }
}

export class FakeConfiguration implements SupportConfiguration {
  readonly targets = new Map<string, SlaTarget[]>();
  readonly holidayLists = new Map<string, string[]>();
  async catalog(): Promise<Catalog> {
    return CATALOG;
  }
  async holidays(product: string, language: string): Promise<readonly string[]> {
    return this.holidayLists.get(`${product}~${language}`) ?? [];
  }
  async putHolidays(product: string, language: string, holidays: readonly string[]): Promise<void> {
    this.holidayLists.set(`${product}~${language}`, [...holidays]);
  }
  async slaTargets(product: string): Promise<readonly SlaTarget[]> {
    return this.targets.get(product) ?? [];
  }
  async putSlaTargets(product: string, targets: readonly SlaTarget[]): Promise<void> {
    this.targets.set(product, [...targets]);
  }
}

/** Every event committed (`written`) and every event dispatched (`dispatched`). */
export class RecordingOutbox implements OutboxDispatcher {
  readonly dispatched: DomainEvent[] = [];
  async dispatch(events: readonly DomainEvent[]): Promise<void> {
    this.dispatched.push(...events);
  }
  async flush(): Promise<void> {}
  async relayPending(): Promise<number> {
    return 0;
  }
}

/**
 * Tickets in memory. Versions are counters; `commitIfUnchanged` refuses a stale version as
 * Firestore's precondition does. `beforeCommit` lets a test interleave another writer.
 */
export class InMemoryTicketRepository implements TicketRepository {
  readonly tickets = new Map<string, { ticket: Ticket; version: number }>();
  readonly messageLog: Message[] = [];
  /** Every outbox record written, in commit order. */
  readonly outbox: DomainEvent[] = [];
  readonly markers = new Set<string>();
  /** Originals stored with ticket changes. */
  readonly originals: OriginalsToStore[] = [];
  reads = 0;
  private version = 0;

  readonly idempotency = new Map<string, IdempotencyRecord>();

  async create(creation: TicketCreation): Promise<{ created: true } | { created: false; existing: IdempotencyRecord }> {
    // The very creation sent again (its answer was lost): already written.
    if (this.tickets.has(creation.ticket.id)) return { created: true };
    if (creation.idempotency !== null) {
      const existing = this.idempotency.get(creation.idempotency.key);
      if (existing !== undefined) return { created: false, existing };
      this.idempotency.set(creation.idempotency.key, { bodyHash: creation.idempotency.bodyHash, ticketId: creation.ticket.id });
    }
    this.put(creation.ticket);
    this.outbox.push(...creation.events);
    if (creation.originals !== undefined) this.originals.push(creation.originals);
    return { created: true };
  }

  async findIdempotency(key: string): Promise<IdempotencyRecord | null> {
    return this.idempotency.get(key) ?? null;
  }

  async get(id: string): Promise<Ticket | null> {
    return this.tickets.get(id)?.ticket ?? null;
  }

  /** In time order, ties by id, as Firestore orders them. */
  async messages(id: string): Promise<Message[]> {
    return this.messageLog.filter((m) => m.ticketId === id).sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  }

  /** Newest first, ties by id from the last, paged with the adapter's cursor codec (so a malformed cursor is refused alike). */
  async list(filter: TicketFilter, limit: number, cursor: string | null): Promise<TicketPage> {
    const after = decodeCursor(cursor);
    const matching = [...this.tickets.values()]
      .map((t) => t.ticket)
      .filter(
        (t) =>
          (filter.orgId === undefined || t.orgId === filter.orgId) &&
          (filter.tier === undefined || t.tier === filter.tier) &&
          (filter.status === undefined || t.status === filter.status) &&
          (filter.severity === undefined || t.severity === filter.severity) &&
          (filter.scopeKeys === undefined || filter.scopeKeys.includes(scopeKey(t))),
      )
      .sort((a, b) => compare(b.createdAt, a.createdAt) || compare(b.id, a.id))
      .filter((t) => after === null || compare(t.createdAt, after.createdAt) < 0 || (t.createdAt === after.createdAt && t.id < after.id));
    const tickets = matching.slice(0, limit);
    const last = tickets.at(-1);
    return { tickets, nextCursor: matching.length > limit && last !== undefined ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
  }

  async mutate<R>(id: string, decide: (ticket: Ticket) => TicketChange<R>, idempotencyKey?: string): Promise<MutationOutcome<R>> {
    if (idempotencyKey !== undefined && this.markers.has(idempotencyKey)) return { applied: false };
    const stored = this.tickets.get(id);
    if (stored === undefined) throw new NotFoundError('The ticket');
    const change = decide(stored.ticket);
    const rewrites = (change.rewriteMessages ?? []).map(({ id: messageId, rewrite }) => {
      const index = this.messageLog.findIndex((m) => m.ticketId === id && m.id === messageId);
      const message = this.messageLog[index];
      if (message === undefined) throw new NotFoundError('The message');
      return { index, message: { ...message, body: rewrite(message.body) } };
    });
    for (const { index, message } of rewrites) this.messageLog[index] = message;
    this.apply(change);
    if (idempotencyKey !== undefined) this.markers.add(idempotencyKey);
    return { applied: true, result: change.result, ticket: change.ticket, events: change.events ?? [] };
  }

  async findDue(nowIso: string, limit: number): Promise<VersionedTicket[]> {
    const due = [...this.tickets.values()]
      .filter(({ ticket }) => ticket.sla.nextCheckAt !== null && ticket.sla.nextCheckAt <= Date.parse(nowIso))
      .sort((a, b) => (a.ticket.sla.nextCheckAt ?? 0) - (b.ticket.sla.nextCheckAt ?? 0))
      .slice(0, limit);
    this.reads += due.length;
    return due.map(({ ticket, version }) => ({ ticket, version: String(version) }));
  }

  async getVersioned(id: string): Promise<VersionedTicket | null> {
    this.reads += 1;
    const stored = this.tickets.get(id);
    return stored === undefined ? null : { ticket: stored.ticket, version: String(stored.version) };
  }

  async commitIfUnchanged(version: string, change: TicketChange<unknown>): Promise<boolean> {
    const stored = this.tickets.get(change.ticket.id);
    if (stored === undefined || String(stored.version) !== version) return false;
    this.apply(change);
    return true;
  }

  async openAssignmentCounts(agentUids: readonly string[]): Promise<Map<string, number>> {
    const open = [...this.tickets.values()].map((t) => t.ticket).filter((t) => OPEN_STATUSES.has(t.status));
    return new Map(agentUids.map((uid) => [uid, open.filter((t) => t.assigneeUid === uid).length]));
  }

  /** Writes a ticket as another writer would (a new version). */
  put(ticket: Ticket): void {
    this.version += 1;
    this.tickets.set(ticket.id, { ticket, version: this.version });
  }

  /** Outbox records of one type (optionally of one ticket). */
  events(type: string, ticketId?: string): DomainEvent[] {
    return this.outbox.filter((e) => e.type === type && (ticketId === undefined || e.data['ticketId'] === ticketId));
  }

  private apply(change: TicketChange<unknown>): void {
    this.put(change.ticket);
    if (change.originals !== undefined) this.originals.push(change.originals);
    this.messageLog.push(...(change.messages ?? []));
    this.outbox.push(...(change.events ?? []));
  }
}

/** Support figures in memory: day → summed counters, with the processed-event markers. */
export class InMemorySupportFigures implements SupportFiguresStore {
  readonly days = new Map<string, Counters>();
  readonly processed = new Set<string>();
  readonly shardsUsed = new Set<string>();
  async add(eventId: string, day: string, shard: number, counters: Readonly<Counters>): Promise<boolean> {
    if (this.processed.has(eventId)) return false;
    this.processed.add(eventId);
    this.shardsUsed.add(`${day}~${shard}`);
    this.days.set(day, addCounters(this.days.get(day) ?? {}, counters));
    return true;
  }
  async sum(from: string, to: string): Promise<Counters> {
    const total: Counters = {};
    for (const [day, counters] of this.days) if (day >= from && day <= to) addCounters(total, counters);
    return total;
  }
}

/** A vault whose "encryption" is a visible prefix: enough to see what was sealed. */
export class PlainVault implements KeyVault {
  async newDataKey(): Promise<{ key: DataKey; wrapped: string; keyName: string }> {
    return { key: { material: new Uint8Array(32) }, wrapped: 'wrapped-key', keyName: 'fake' };
  }
  async unwrap(): Promise<DataKey> {
    return { material: new Uint8Array(32) };
  }
  unkeptKey(): DataKey {
    return { material: new Uint8Array(32) };
  }
  seal(_key: DataKey, plaintext: string): string {
    return `sealed:${plaintext}`;
  }
  open(_key: DataKey, sealed: string): string {
    return sealed.slice('sealed:'.length);
  }
}

export class InMemoryOriginals implements OriginalsRepository {
  /** Data keys by ticket; a ticket not listed has a live key. */
  readonly keys = new Map<string, DataKeyState>();
  readonly records = new Map<string, DestroyRecord[]>();
  async keyState(ticketId: string): Promise<DataKeyState> {
    return this.keys.get(ticketId) ?? { state: 'live', wrapped: 'wrapped-key' };
  }
  async createKey(ticketId: string, key: { wrapped: string }): Promise<DataKeyState> {
    const stored = this.keys.get(ticketId) ?? { state: 'live', wrapped: key.wrapped };
    this.keys.set(ticketId, stored);
    return stored;
  }
  async list(): Promise<SealedOriginal[]> {
    return [];
  }
  async destroys(ticketId: string): Promise<DestroyRecord[]> {
    return this.records.get(ticketId) ?? [];
  }
  async destroy(ticketId: string, destroy: OriginalsDestroy): Promise<number> {
    this.keys.set(ticketId, { state: 'destroyed', afterwards: destroy.afterwards });
    this.records.set(ticketId, [...(await this.destroys(ticketId)), { ...destroy, texts: 0 }]);
    return 0;
  }
  async audit(): Promise<void> {}
}

/** An in-memory policy store: every organisation has the default policy until one is put. */
export class InMemoryRedactionPolicies implements RedactionPolicyStore {
  readonly stored = new Map<string, StoredRedactionPolicy>();
  async policyOf(orgId: string): Promise<RedactionPolicy> {
    return { contactKinds: this.stored.get(orgId)?.contactKinds ?? [] };
  }
  async put(policy: StoredRedactionPolicy): Promise<void> {
    this.stored.set(policy.orgId, policy);
  }
}

/** The accounts of {@link PRINCIPALS}: who a uid is, and which organisations have customers. */
export class InMemoryPrincipals implements Pick<PrincipalDirectory, 'find' | 'organisationExists'> {
  constructor(private readonly known: readonly Principal[]) {}
  async find(uid: string): Promise<Principal | null> {
    return this.known.find((p) => p.uid === uid) ?? null;
  }
  async organisationExists(orgId: string): Promise<boolean> {
    return this.known.some((p) => p.kind === 'customer' && p.orgId === orgId);
  }
}

export interface FakeWorld extends IntakeDeps {
  readonly tickets: InMemoryTicketRepository;
  readonly configuration: FakeConfiguration;
  readonly outbox: RecordingOutbox;
  readonly clock: FixedClock;
  readonly ids: SequentialIds;
  readonly logger: MemoryLogger;
  readonly redactionPolicies: InMemoryRedactionPolicies;
}

/** A fresh set of fakes, the clock at `startIso`. */
export function fakeWorld(startIso = '2026-03-02T10:00:00.000Z'): FakeWorld {
  const redactionPolicies = new InMemoryRedactionPolicies();
  return {
    redactionPolicies,
    redactor: new PolicyFreeTextRedactor(redactionPolicies),
    tickets: new InMemoryTicketRepository(),
    configuration: new FakeConfiguration(),
    outbox: new RecordingOutbox(),
    clock: new FixedClock(Date.parse(startIso)),
    ids: new SequentialIds(),
    logger: new MemoryLogger(),
    vault: new PlainVault(),
    originals: new InMemoryOriginals(),
    principals: new InMemoryPrincipals(Object.values(PRINCIPALS)),
  };
}

export const PRINCIPALS = {
  customer: { kind: 'customer', uid: 'customer-1', orgId: 'org-1' },
  colleague: { kind: 'customer', uid: 'customer-2', orgId: 'org-1' },
  otherOrg: { kind: 'customer', uid: 'customer-9', orgId: 'org-9' },
  l1: agent('agent-l1', 'L1'),
  l2: agent('agent-l2', 'L2'),
  l2OtherProduct: { ...agent('agent-l2-health', 'L2'), products: ['health'] },
  manager: staff('manager-1', 'manager'),
  admin: staff('admin-1', 'admin'),
} as const satisfies Record<string, Principal>;

function agent(uid: string, tier: 'L1' | 'L2' | 'L3'): StaffPrincipal {
  return { kind: 'staff', uid, role: 'agent', tier, languages: ['en', 'fi', 'sv'], products: ['online'], trainedAt: '2026-01-01T00:00:00.000Z', active: true };
}

function staff(uid: string, role: 'manager' | 'admin'): StaffPrincipal {
  return { kind: 'staff', uid, role, tier: null, languages: [], products: [], trainedAt: '2026-01-01T00:00:00.000Z', active: true };
}

/** A 24/7 policy for `online` with the given targets in seconds (every severity). */
export function shortTargets(firstResponse: number, nextUpdate = 3600, resolution = 7200): SlaTarget[] {
  return ([1, 2, 3, 4] as const).map((severity) => ({
    severity,
    firstResponseSeconds: firstResponse,
    nextUpdateSeconds: nextUpdate,
    resolutionSeconds: resolution,
    clock: 'calendar' as const,
  }));
}
