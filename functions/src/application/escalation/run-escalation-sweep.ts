/**
 * The escalation sweep (`escalationSweep`, every minute).
 *
 * The sweep reads only the tickets that are due (`sla.nextCheckAt <= now`, one indexed query)
 * and applies the ladder to each in its own optimistic transaction: the decision is taken on
 * the ticket as read and written with a precondition on its version, together with its outbox
 * events. When another sweep (or any request) changed the ticket meanwhile, the write is
 * refused, the ticket is read again and the decision retaken — on the new state, where the
 * breach is already acted on. So each breach causes exactly one escalation, however many
 * sweeps run, and a sweep reads one document per due ticket (plus one per conflict, plus the
 * few configuration documents its instance has not cached).
 *
 * The ladder (`domain/escalation.ts`): L1 → L2 → review rung → L3 → MANAGEMENT. The review
 * rung is a rung of its own at L2: the first breach at L2 does not move the ticket but flags
 * it for management review, notifies managers (`ticket.management_review`) and restarts the
 * breached clocks with full targets — the managers' window to act; only the next breach moves
 * it to L3. A manual escalation to L3 or above flags and notifies in the same transaction. At
 * MANAGEMENT the ladder ends: a breach is recorded and managers are told, and that clock is
 * not checked again until it restarts.
 *
 * Every change also writes its lifecycle event (`ticket.escalated`, `ticket.management_review`,
 * `sla.breached`) for the support figures, with the targets the breach settled.
 */
import { resolveSlaTarget } from '../../domain/sla';
import type { Ticket } from '../../domain/ticket';
import type { DomainEvent } from '../../domain/events';
import { iso } from '../../domain/instant';
import { dispatchQuietly, ticketCalendar, type TicketDeps } from '../tickets/ticket-mutation';
import { sweepDecision } from '../../domain/sweep-decision';

/** Tickets handled per sweep run; a backlog larger than this is taken by the next minute's run. */
const SWEEP_BATCH = 1000;
/** Tickets a sweep works on at once (each is one optimistic write). */
export const SWEEP_CONCURRENCY = 16;
const MAX_CONFLICT_RETRIES = 5;

export interface SweepReport {
  readonly due: number;
  readonly escalated: number;
  readonly flagged: number;
  readonly warned: number;
  readonly conflicts: number;
  /** Tickets that could not be processed this run (logged; they stay due). */
  readonly failed: number;
}

/**
 * Applies the sweep to one due ticket; retries on a conflict with the ticket read again.
 * Committed events are handed to `publish`, which does not hold the worker up.
 */
async function sweepTicket(
  deps: TicketDeps,
  first: { ticket: Ticket; version: string },
  now: number,
  publish: (events: readonly DomainEvent[]) => void,
): Promise<{ escalated: boolean; flagged: boolean; warned: number; conflicts: number }> {
  let current: { ticket: Ticket; version: string } | null = first;
  for (let attempt = 0; current !== null && attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const { ticket } = current;
    const calendar = await ticketCalendar(deps, ticket);
    const target = resolveSlaTarget(await deps.configuration.slaTargets(ticket.product), ticket.severity);
    const change = sweepDecision(deps, ticket, target, calendar, now);
    if (change === null) return { escalated: false, flagged: false, warned: 0, conflicts: attempt };
    if (await deps.tickets.commitIfUnchanged(current.version, change)) {
      publish(change.events ?? []);
      return { ...change.result, conflicts: attempt };
    }
    current = await deps.tickets.getVersioned(ticket.id);
  }
  return { escalated: false, flagged: false, warned: 0, conflicts: MAX_CONFLICT_RETRIES };
}

/**
 * One run of the escalation sweep. Safe to run twice or concurrently. A ticket's events are
 * committed with it (the outbox) and published in the background while the workers go on
 * with the next tickets; the run ends when every publication has settled (a failed one is
 * left to the relay).
 */
export async function runEscalationSweep(deps: TicketDeps, batch = SWEEP_BATCH): Promise<SweepReport> {
  const now = deps.clock.now();
  const due = await deps.tickets.findDue(iso(now), batch);
  const report = { due: due.length, escalated: 0, flagged: 0, warned: 0, conflicts: 0, failed: 0 };
  const publishing: Promise<void>[] = [];
  const publish = (events: readonly DomainEvent[]): void => {
    if (events.length > 0) publishing.push(dispatchQuietly(deps, events));
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(SWEEP_CONCURRENCY, due.length) }, async () => {
      while (next < due.length) {
        const item = due[next++];
        if (item === undefined) break;
        let outcome;
        try {
          outcome = await sweepTicket(deps, item, now, publish);
        } catch (error) {
          // One ticket that cannot be processed (its product left the catalog, a transient
          // error) must not stop the others; it stays due and the next run tries again.
          report.failed += 1;
          deps.logger.error('escalation sweep could not process a ticket', {
            ticketId: item.ticket.id,
            error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown',
          });
          continue;
        }
        report.escalated += outcome.escalated ? 1 : 0;
        report.flagged += outcome.flagged ? 1 : 0;
        report.warned += outcome.warned;
        report.conflicts += outcome.conflicts;
      }
    }),
  );
  await Promise.all(publishing);
  deps.logger.info('escalation sweep', { ...report });
  return report;
}

