/**
 * Deleting tickets with everything that belongs to them, a batch at a time, with a receipt
 * each. Shared by the retention job and erasure requests.
 *
 * Why it is safe to stop half-way and to run twice or concurrently:
 * 1. each ticket's receipt is created and its document deleted, with its records, in one
 *    atomic commit, with a precondition that the ticket is unchanged since the due query read
 *    it (a ticket put on hold or answered meanwhile is left for the next run) — so a receipt
 *    exists exactly when the ticket was deleted, and a second run that raced for it finds the
 *    receipt and skips it;
 * 2. what a commit cannot hold — data keys, in a database of their own, and the records of a
 *    ticket too big for one commit — is purged after, under a checkpoint written before the
 *    commit and cleared after the purge. A run stopped between the commit and the purge leaves
 *    a checkpoint whose tickets have receipts: the next run purges what they left.
 * Events the ticket committed but did not publish yet are published before their outbox
 * record goes, so that the support figures count every fact that happened.
 */
import { deletionReceipt, isHeld, type RetentionRule } from '../../domain/retention';
import type { Logger, OutboxDispatcher } from '../ports';
import type { ReadTicket, RetentionRuns, RetentionStore, TicketRecords } from './ports';

export interface DeleteTicketsDeps {
  readonly retentionStore: RetentionStore;
  readonly retentionRuns: RetentionRuns;
  readonly outbox: OutboxDispatcher;
  readonly logger: Logger;
}

/** What deleting a batch did. */
export interface BatchTally {
  deleted: number;
  skipped: number;
  held: number;
  failed: number;
}

export const emptyTally = (): BatchTally => ({ deleted: 0, skipped: 0, held: 0, failed: 0 });

/** Publishes the ticket's unpublished events; false when that failed (the ticket waits for the next run). */
async function publishPending(deps: DeleteTicketsDeps, records: TicketRecords): Promise<boolean> {
  if (records.unpublished.length === 0) return true;
  try {
    for (const events of records.unpublished) await deps.outbox.dispatch(events);
    return true;
  } catch (error) {
    deps.logger.warn('retention: unpublished events of a ticket could not be published; deletion deferred', {
      ticketId: records.ticketId,
      reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
    });
    return false;
  }
}

/**
 * Deletes the tickets (as a due query read them) under `rule`, skipping and counting held ones;
 * adds to `tally`. `runId` names the checkpoint that lets a later run finish a stopped purge.
 */
export async function deleteTickets(
  deps: DeleteTicketsDeps,
  tickets: readonly ReadTicket[],
  rule: RetentionRule,
  context: { readonly runId: string; readonly at: string; readonly requestId: string | null },
  tally: BatchTally,
): Promise<void> {
  const unheld = tickets.filter((read) => !isHeld(read.ticket));
  tally.held += tickets.length - unheld.length;
  if (unheld.length === 0) return;
  const gathered = await deps.retentionStore.gather(unheld);
  const deletable: typeof gathered = [];
  for (const records of gathered) {
    if (await publishPending(deps, records)) deletable.push(records);
    else tally.failed += 1;
  }
  if (deletable.length === 0) return;
  // Publication marks are written before the records they mark are deleted.
  if (deletable.some((r) => r.unpublished.length > 0)) await deps.outbox.flush();
  const items = deletable.map((records) => ({
    read: records.read,
    records,
    receipt: deletionReceipt({ subject: 'ticket', subjectId: records.ticketId, action: 'deleted', at: context.at, rule, requestId: context.requestId, records: records.records }),
  }));
  const leftBehind = deletable.map((records) => deps.retentionStore.leftAfterCommit(records));
  // Most batches leave nothing to purge (no data keys, no ticket too big for one commit): no checkpoint then, and nothing to clear.
  const checkpoint = leftBehind.some((left) => left.records.length > 0)
    ? { id: `${context.runId}-${deletable[0]?.ticketId ?? ''}`, runId: context.runId, ticketIds: deletable.map((r) => r.ticketId) }
    : null;
  const outcomes = await deps.retentionStore.commitDeletions(items, checkpoint);
  const deleted = deletable.filter((r) => outcomes.get(r.ticketId) === 'deleted');
  if (checkpoint !== null) {
    await deps.retentionStore.purge(leftBehind.filter((left) => outcomes.get(left.ticketId) === 'deleted'));
    await deps.retentionRuns.purged(checkpoint.id);
  }
  tally.deleted += deleted.length;
  tally.skipped += deletable.length - deleted.length;
}

/** The receipt id of a deleted ticket (see `deletionReceipt`). */
const ticketReceiptId = (ticketId: string): string => `ticket-deleted-${ticketId}`;

/**
 * Finishes the purge of runs that stopped half-way: the tickets of their checkpoints that have
 * a receipt (their document is gone) lose the records they left behind. Returns how many.
 */
export async function finishStrandedRuns(deps: DeleteTicketsDeps): Promise<number> {
  let finished = 0;
  for (const stranded of await deps.retentionRuns.stranded()) {
    const receipted = await deps.retentionStore.receiptsExist(stranded.ticketIds.map(ticketReceiptId));
    const ids = stranded.ticketIds.filter((id) => receipted.has(ticketReceiptId(id)));
    const leftovers = await deps.retentionStore.leftovers(ids);
    await deps.retentionStore.purge(leftovers);
    await deps.retentionRuns.purged(stranded.checkpointId);
    finished += leftovers.length;
  }
  return finished;
}
