/**
 * The retention use cases over in-memory fakes: deleting a batch of due tickets (held ones kept
 * and counted, changed ones left for the next run, unpublished events first, a second run finds
 * nothing to do), finishing a stopped run's purge, and the activity-day fallback for customers
 * whose profile has none.
 */
import { backfillActivity } from '../../functions/src/application/retention/backfill-activity';
import { deleteTickets, emptyTally, finishStrandedRuns, type DeleteTicketsDeps } from '../../functions/src/application/retention/delete-tickets';
import type {
  AccountAdmin,
  Checkpoint,
  DeletionItem,
  DeletionOutcome,
  PeopleStore,
  ReadTicket,
  RetentionRuns,
  RetentionStore,
  RetentionWatermarks,
  TicketRecords,
} from '../../functions/src/application/retention/ports';
import type { DomainEvent } from '../../functions/src/domain/events';
import { RETENTION_RULES, type DeletedRecord, type DeletionReceipt } from '../../functions/src/domain/retention';
import { aTicket } from '../builders/ticket';
import { FixedClock, MemoryLogger, RecordingOutbox } from './fakes';

const AT = '2026-12-01T12:00:00.000Z';
const CONTEXT = { runId: 'run-1', at: AT, requestId: null };

/** Checkpoints open (written by the store's commits, cleared by `purged`). */
class MemoryRuns implements Pick<RetentionRuns, 'purged' | 'stranded'> {
  readonly open = new Map<string, readonly string[]>();
  async purged(checkpointId: string): Promise<void> {
    this.open.delete(checkpointId);
  }
  async stranded(): Promise<{ checkpointId: string; ticketIds: readonly string[] }[]> {
    return [...this.open].map(([checkpointId, ticketIds]) => ({ checkpointId, ticketIds }));
  }
}

/** A ticket's records in memory; a commit deletes all but the data key (left to the purge), as Firestore's keys database is apart. */
class MemoryRetentionStore implements Pick<RetentionStore, 'gather' | 'leftovers' | 'commitDeletions' | 'leftAfterCommit' | 'purge' | 'receiptsExist'> {
  readonly versions = new Map<string, string>();
  readonly records = new Map<string, DeletedRecord[]>();
  readonly unpublished = new Map<string, DomainEvent[][]>();
  readonly receipts = new Map<string, DeletionReceipt>();
  readonly checkpoints: Checkpoint[] = [];

  constructor(private readonly runs: MemoryRuns) {}

  add(read: ReadTicket, records: DeletedRecord[]): void {
    this.versions.set(read.ticket.id, read.version);
    this.records.set(read.ticket.id, records);
  }

  private recordsOf(ticketId: string): TicketRecords {
    return { ticketId, records: this.records.get(ticketId) ?? [], unpublished: this.unpublished.get(ticketId) ?? [] };
  }

  async gather(reads: readonly ReadTicket[]): Promise<(TicketRecords & { read: ReadTicket })[]> {
    return reads.map((read) => ({ ...this.recordsOf(read.ticket.id), read }));
  }

  async leftovers(ticketIds: readonly string[]): Promise<TicketRecords[]> {
    return ticketIds.map((id) => this.recordsOf(id));
  }

  async commitDeletions(items: readonly DeletionItem[], checkpoint: Checkpoint | null): Promise<Map<string, DeletionOutcome>> {
    if (checkpoint !== null) {
      this.checkpoints.push(checkpoint);
      this.runs.open.set(checkpoint.id, checkpoint.ticketIds);
    }
    const outcomes = new Map<string, DeletionOutcome>();
    for (const item of items) {
      const id = item.read.ticket.id;
      if (this.receipts.has(item.receipt.id)) outcomes.set(id, 'already-deleted');
      else if (this.versions.get(id) !== item.read.version) outcomes.set(id, 'changed');
      else {
        this.receipts.set(item.receipt.id, item.receipt);
        this.versions.delete(id);
        this.records.set(id, this.leftAfterCommit(this.recordsOf(id)).records.slice());
        outcomes.set(id, 'deleted');
      }
    }
    return outcomes;
  }

  leftAfterCommit(records: TicketRecords): TicketRecords {
    return { ...records, records: records.records.filter((record) => record.kind === 'dataKey') };
  }

  async purge(records: readonly TicketRecords[]): Promise<void> {
    for (const { ticketId, records: gone } of records) this.records.set(ticketId, (this.records.get(ticketId) ?? []).filter((r) => !gone.some((g) => g.id === r.id)));
  }

  async receiptsExist(receiptIds: readonly string[]): Promise<Set<string>> {
    return new Set(receiptIds.filter((id) => this.receipts.has(id)));
  }
}

class FailingOutbox extends RecordingOutbox {
  override async dispatch(): Promise<void> {
    throw new Error('Pub/Sub unavailable');
  }
}

function world(outbox = new RecordingOutbox()): { deps: DeleteTicketsDeps; store: MemoryRetentionStore; runs: MemoryRuns; outbox: RecordingOutbox } {
  const runs = new MemoryRuns();
  const store = new MemoryRetentionStore(runs);
  // The use cases call only what the fakes implement.
  const deps = { retentionStore: store as unknown as RetentionStore, retentionRuns: runs as unknown as RetentionRuns, outbox, logger: new MemoryLogger() };
  return { deps, store, runs, outbox };
}

/** A closed ticket as the due query read it, with its message (and data key when `keyed`) in the store. */
function due(store: MemoryRetentionStore, options: { held?: boolean; keyed?: boolean } = {}): ReadTicket {
  const ticket = aTicket().build();
  const held = options.held === true ? { legalHold: { reason: 'dispute', by: 'officer', at: AT } } : {};
  const read: ReadTicket = { ticket: { ...ticket, status: 'closed', ...held }, version: 'v1', stored: { subject: ticket.subject } };
  store.add(read, [
    { kind: 'ticket', id: `tickets/${ticket.id}`, content: read.stored },
    { kind: 'message', id: `tickets/${ticket.id}/messages/m1`, content: { body: 'hello' } },
    ...(options.keyed === true ? [{ kind: 'dataKey', id: `dataKeys/${ticket.id}`, content: { wrapped: 'k' } }] : []),
  ]);
  return read;
}

describe('deleting a batch of due tickets', () => {
  it('when the batch holds a held ticket and one changed since it was read, then only the others go, each with a receipt, and the tally says why', async () => {
    const { deps, store } = world();
    const [gone, held, changed] = [due(store), due(store, { held: true }), due(store)];
    store.versions.set(changed.ticket.id, 'v2');
    const tally = emptyTally();
    await deleteTickets(deps, [gone, held, changed], RETENTION_RULES.closedExpired, CONTEXT, tally);
    expect(tally).toEqual({ deleted: 1, skipped: 1, held: 1, failed: 0 });
    expect(store.records.get(gone.ticket.id)).toEqual([]);
    expect(store.records.get(held.ticket.id)).toHaveLength(2);
    expect(store.records.get(changed.ticket.id)).toHaveLength(2);
    expect([...store.receipts.values()].map((r) => [r.subjectId, r.rule, r.counts])).toEqual([[gone.ticket.id, RETENTION_RULES.closedExpired, { ticket: 1, message: 1 }]]);
  });

  it('when no ticket of the batch leaves anything to purge, then no checkpoint is written; a data key makes one, cleared after its purge', async () => {
    const { deps, store, runs } = world();
    await deleteTickets(deps, [due(store)], RETENTION_RULES.closedExpired, CONTEXT, emptyTally());
    expect(store.checkpoints).toEqual([]);
    const keyed = due(store, { keyed: true });
    await deleteTickets(deps, [keyed], RETENTION_RULES.closedExpired, CONTEXT, emptyTally());
    expect(store.checkpoints.map((c) => c.ticketIds)).toEqual([[keyed.ticket.id]]);
    expect(store.records.get(keyed.ticket.id)).toEqual([]);
    expect(runs.open.size).toBe(0);
  });

  it('when the same batch is deleted twice, then the second run deletes nothing and counts the tickets skipped; one receipt each', async () => {
    const { deps, store } = world();
    const batch = [due(store), due(store)];
    await deleteTickets(deps, batch, RETENTION_RULES.closedExpired, CONTEXT, emptyTally());
    const second = emptyTally();
    await deleteTickets(deps, batch, RETENTION_RULES.closedExpired, CONTEXT, second);
    expect(second).toEqual({ deleted: 0, skipped: 2, held: 0, failed: 0 });
    expect(store.receipts.size).toBe(2);
  });

  it("when a ticket's unpublished events cannot be published, then it stays and counts as failed; when they can, they are published before it goes", async () => {
    const event = { id: 'e1', kind: 'ticket.closed' } as unknown as DomainEvent;
    const failing = world(new FailingOutbox());
    const stuck = due(failing.store);
    failing.store.unpublished.set(stuck.ticket.id, [[event]]);
    const tally = emptyTally();
    await deleteTickets(failing.deps, [stuck], RETENTION_RULES.closedExpired, CONTEXT, tally);
    expect(tally.failed).toBe(1);
    expect(failing.store.receipts.size).toBe(0);
    expect(failing.store.records.get(stuck.ticket.id)).toHaveLength(2);

    const working = world();
    const published = due(working.store);
    working.store.unpublished.set(published.ticket.id, [[event]]);
    await deleteTickets(working.deps, [published], RETENTION_RULES.closedExpired, CONTEXT, emptyTally());
    expect(working.outbox.dispatched).toEqual([event]);
    expect(working.store.receipts.size).toBe(1);
  });
});

describe('a run that stopped half-way', () => {
  it('when a checkpoint names a deleted ticket (receipt made) and one that was not, then only the deleted one loses what it left behind', async () => {
    const { deps, store, runs } = world();
    const [deleted, kept] = [due(store, { keyed: true }), due(store, { keyed: true })];
    // The commit went through, the purge did not: the data key is all that is left of it.
    await store.commitDeletions([{ read: deleted, records: (await store.gather([deleted]))[0] as TicketRecords, receipt: { id: `ticket-deleted-${deleted.ticket.id}` } as DeletionReceipt }], null);
    runs.open.set('run-0-x', [deleted.ticket.id, kept.ticket.id]);
    expect(await finishStrandedRuns(deps)).toBe(1);
    expect(store.records.get(deleted.ticket.id)).toEqual([]);
    expect(store.records.get(kept.ticket.id)).toHaveLength(3);
    expect(runs.open.size).toBe(0);
  });
});

describe('the activity-day fallback', () => {
  const NOW = Date.parse(AT);

  function people(customers: { uid: string; updatedAt: string | null }[], seen: Record<string, { createdAt: string | null; lastSignInAt: string | null; lastRefreshAt: string | null }>) {
    const given = new Map<string, string>();
    const marks = new Map<string, string>();
    const store = {
      async withoutActivity(cursor: string | null, limit: number) {
        const rest = customers.filter((c) => cursor === null || c.uid > cursor).filter((c) => !given.has(c.uid));
        const page = rest.slice(0, limit);
        return { customers: page, next: rest.length > limit ? (page[page.length - 1]?.uid ?? null) : null };
      },
      async backfillActivity(uid: string, day: string) {
        given.set(uid, day);
      },
    } as unknown as PeopleStore;
    const accounts = { seen: async (uid: string) => seen[uid] ?? null } as unknown as AccountAdmin;
    const watermarks: RetentionWatermarks = { get: async (name) => marks.get(name) ?? null, set: async (name, value) => void marks.set(name, value) };
    return { deps: { people: store, accounts, retentionWatermarks: watermarks, clock: new FixedClock(NOW), logger: new MemoryLogger() }, given, marks };
  }

  it("when a customer's profile has no activity day, then it gets the latest of the account's creation, sign-in, token refresh and the profile's change; with none, today", async () => {
    const { deps, given } = people(
      [
        { uid: 'a', updatedAt: '2025-01-05T00:00:00.000Z' },
        { uid: 'b', updatedAt: null },
        { uid: 'c', updatedAt: null },
      ],
      { a: { createdAt: '2024-01-01T00:00:00.000Z', lastSignInAt: '2024-06-01T00:00:00.000Z', lastRefreshAt: '2024-12-31T00:00:00.000Z' }, b: { createdAt: '2023-03-03T10:00:00.000Z', lastSignInAt: null, lastRefreshAt: null } },
    );
    expect(await backfillActivity(deps)).toBe(3);
    expect(Object.fromEntries(given)).toEqual({ a: '2025-01-05', b: '2023-03-03', c: '2026-12-01' });
  });

  it('when the pass has finished once, then later runs do nothing; a pass stopped half-way resumes after the last customer it did', async () => {
    const { deps, given, marks } = people([{ uid: 'a', updatedAt: null }, { uid: 'b', updatedAt: null }], {});
    marks.set('customer-activity-backfill', 'after:a');
    expect(await backfillActivity(deps)).toBe(1);
    expect([...given.keys()]).toEqual(['b']);
    expect(marks.get('customer-activity-backfill')).toBe('complete');
    expect(await backfillActivity(deps)).toBe(0);
  });
});
