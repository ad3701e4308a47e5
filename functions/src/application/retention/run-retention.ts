/**
 * The retention job (daily: Cloud Scheduler → Pub/Sub → `runRetention`, or
 * `npm run tuki -- run-job retention`). In order:
 * 1. finish the purge of runs that stopped half-way (see `delete-tickets.ts`);
 * 2. auto-close resolved tickets without a customer reply for the product's M days;
 * 3. delete closed tickets past the product's N days, and tickets past their `deleteAfter`;
 * 4. destroy the sealed originals of tickets resolved K days ago (a watermark per product
 *    keeps each run to the tickets resolved since the last one; after 3, so that the tickets
 *    deleted — keys first — are not read again);
 * 5. delete inactive customers and staff deactivated for more than the set days (customers whose
 *    profile records no activity day are given one first, once: see `backfill-activity.ts`).
 * Each selection is one indexed query read page by page (never all due tickets at once), each
 * page is handled as a bounded batch, and a summary of the run is written at the end.
 */
import { autoClose, autoCloseDue, isHeld, peopleCutoffs, RETENTION_RULES, retentionCutoffs, type RetentionRule } from '../../domain/retention';
import { mapLimited, runsOf } from '../limited';
import type { Clock, IdGenerator, SupportConfiguration } from '../ports';
import { deleteTickets, emptyTally, finishStrandedRuns, type BatchTally, type DeleteTicketsDeps } from './delete-tickets';
import { deletePerson, type PersonDeps } from './delete-person';
import { backfillActivity } from './backfill-activity';
import type { DueSelection, OriginalsDestroyer, RetentionPolicies, RetentionWatermarks, RunSummary, TicketBatch } from './ports';

export interface RetentionJobDeps extends DeleteTicketsDeps, PersonDeps {
  readonly retentionPolicies: RetentionPolicies;
  readonly retentionWatermarks: RetentionWatermarks;
  readonly originalsDestroyer: OriginalsDestroyer;
  readonly configuration: Pick<SupportConfiguration, 'catalog'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Tickets deleted per batch (one checkpoint, one gathering read, one set of commits). */
const RETENTION_BATCH = 200;
/**
 * Batches of a page handled at once, and tickets read per page of a due query: together they
 * bound the job's memory whatever the backlog, while the next page is read and several batches
 * are gathered, committed and purged at the same time (each step waits on the store, so one
 * batch at a time would leave it idle most of the time).
 */
const BATCHES_IN_FLIGHT = 3;
/** 2,000 tickets a page: half the due queries of 1,000 a page, and no more memory than the batches in flight already take. */
const PAGE_BATCHES = 10;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Reads a selection page by page, handing each page to `handle` while the next one is read
 * (one page handled at a time: a page read after the one before was handled would wait idle).
 */
async function eachPage(deps: RetentionJobDeps, selection: DueSelection, pageSize: number, handle: (page: TicketBatch) => Promise<void>): Promise<void> {
  let cursor: string | null = null;
  let handling: Promise<void> = Promise.resolve();
  try {
    do {
      const page = await deps.retentionStore.due(selection, cursor, pageSize);
      await handling;
      cursor = page.next;
      handling = handle(page);
    } while (cursor !== null);
  } finally {
    await handling;
  }
}

interface RunState {
  readonly runId: string;
  readonly now: number;
  readonly batchSize: number;
  readonly tally: BatchTally;
  autoClosed: number;
  originalsDestroyed: number;
  peopleDeleted: number;
}

async function deleteSelection(deps: RetentionJobDeps, state: RunState, selection: DueSelection, rule: RetentionRule): Promise<void> {
  await eachPage(deps, selection, state.batchSize * PAGE_BATCHES, async (page) => {
    const batches = runsOf(page.tickets, state.batchSize);
    await mapLimited(batches, BATCHES_IN_FLIGHT, async (tickets) => {
      try {
        await deleteTickets(deps, tickets, rule, { runId: state.runId, at: iso(state.now), requestId: null }, state.tally);
      } catch (error) {
        state.tally.failed += tickets.length;
        deps.logger.error('retention: a batch failed; its tickets stay due for the next run', {
          tickets: tickets.length,
          reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
        });
      }
    });
  });
}

async function autoCloseProduct(deps: RetentionJobDeps, state: RunState, product: string): Promise<void> {
  const policy = await deps.retentionPolicies.policy(product);
  const before = retentionCutoffs(policy, state.now).resolvedBeforeForClose;
  await eachPage(deps, { kind: 'resolved-before', product, before }, state.batchSize, async (page) => {
    const closed = await Promise.all(
      page.tickets
        .filter((read) => autoCloseDue(read.ticket, policy, state.now))
        .map(async (read) => deps.retentionStore.replaceIfUnchanged(read, autoClose(read.ticket, state.now))),
    );
    // A ticket changed meanwhile (a customer reply reopened it) is simply not closed now.
    state.autoClosed += closed.filter(Boolean).length;
  });
}

async function destroyOriginalsOfProduct(deps: RetentionJobDeps, state: RunState, product: string): Promise<void> {
  const policy = await deps.retentionPolicies.policy(product);
  const before = retentionCutoffs(policy, state.now).resolvedBeforeForOriginals;
  const name = `originals-${product}`;
  const after = (await deps.retentionWatermarks.get(name)) ?? '';
  if (after >= before) return;
  await eachPage(deps, { kind: 'resolved-between', product, after, before }, state.batchSize * PAGE_BATCHES, async (page) => {
    const unheld = page.tickets.filter(({ ticket }) => !isHeld(ticket)).map(({ ticket }) => ticket.id);
    const keyed = await deps.retentionStore.withDataKeys(unheld);
    await mapLimited([...keyed], BATCHES_IN_FLIGHT, async (ticketId) => {
      await deps.originalsDestroyer.destroy(ticketId, {
        at: iso(state.now),
        by: 'retention',
        reason: `resolved more than ${policy.destroyOriginalsAfterResolvedDays} days ago`,
        afterwards: 'destroyed',
      });
      state.originalsDestroyed += 1;
    });
  });
  await deps.retentionWatermarks.set(name, before);
}

async function deletePeople(deps: RetentionJobDeps, state: RunState): Promise<void> {
  await backfillActivity(deps);
  const cutoffs = peopleCutoffs(deps.retentionPolicies.people(), state.now);
  const rules = [
    { due: 'inactive-customers', cutoff: cutoffs.inactiveOnOrBefore, rule: RETENTION_RULES.inactiveCustomer },
    { due: 'deactivated-staff', cutoff: cutoffs.deactivatedBefore, rule: RETENTION_RULES.deactivatedStaff },
  ] as const;
  for (const { due, cutoff, rule } of rules) {
    const seen = new Set<string>();
    for (;;) {
      const uids = (await deps.people.due(due, cutoff, state.batchSize)).filter((uid) => !seen.has(uid));
      if (uids.length === 0) break;
      for (const uid of uids) {
        seen.add(uid);
        if ((await deletePerson(deps, uid, rule, { runId: state.runId, at: iso(state.now), requestId: null }, state.tally)) === 'deleted') state.peopleDeleted += 1;
      }
    }
  }
}

/** Runs every retention rule once; safe to run twice or concurrently, and to stop half-way. */
export async function runRetention(deps: RetentionJobDeps, options: { batchSize?: number } = {}): Promise<RunSummary> {

  const started = deps.clock.now();
  const state: RunState = {
    runId: deps.ids.newId(),
    now: started,
    batchSize: options.batchSize ?? RETENTION_BATCH,
    tally: emptyTally(),
    autoClosed: 0,
    originalsDestroyed: 0,
    peopleDeleted: 0,
  };
  await deps.retentionRuns.start(state.runId, iso(started));
  await finishStrandedRuns(deps);
  const products = (await deps.configuration.catalog()).products.map((p) => p.id);
  for (const product of products) {
    await autoCloseProduct(deps, state, product);
    const policy = await deps.retentionPolicies.policy(product);
    await deleteSelection(deps, state, { kind: 'closed-before', product, before: retentionCutoffs(policy, started).closedBefore }, RETENTION_RULES.closedExpired);
  }
  await deleteSelection(deps, state, { kind: 'delete-after-passed', now: iso(started) }, RETENTION_RULES.deleteAfter);
  // After the deletions: the tickets they deleted took their keys with them, so this pass reads only those that stay.
  for (const product of products) await destroyOriginalsOfProduct(deps, state, product);
  await deletePeople(deps, state);
  const summary: RunSummary = {
    ...state.tally,
    anonymised: 0,
    autoClosed: state.autoClosed,
    originalsDestroyed: state.originalsDestroyed,
    peopleDeleted: state.peopleDeleted,
    durationMs: deps.clock.now() - started,
  };
  await deps.retentionRuns.finish(state.runId, iso(deps.clock.now()), summary);
  deps.logger.info('retention run finished', { runId: state.runId, ...summary });
  return summary;
}
