/**
 * The escalation sweep, manual escalation and severity assessment.
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
import { requireStaffRole, type Principal } from '../domain/access';
import { redactText } from '../domain/redaction';
import { escalateTicket, ladderStepForBreach, manualEscalationTarget } from '../domain/escalation';
import {
  changeSeverity,
  evaluateSla,
  markBreached,
  markWarned,
  resolveSlaTarget,
  restartAfterEscalation,
  settleSla,
  type Severity,
  type SlaTargetName,
} from '../domain/sla';
import { DONE_STATUSES, type Ticket } from '../domain/ticket';
import { DomainError, ERROR_CODES, NotFoundError } from '../domain/errors';
import { TOPICS } from '../manifest';
import { lifecycleEvent } from './lifecycle';
import type { TicketChange } from './ports';
import type { TicketEvent } from './records';
import { dispatchQuietly, event, mutateTicket, severityOneEvent, ticketCalendar, visibleTicket, type TicketDeps } from './tickets';

/** Tickets handled per sweep run; a backlog larger than this is taken by the next minute's run. */
export const SWEEP_BATCH = 1000;
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

const iso = (ms: number): string => new Date(ms).toISOString();

function notification(deps: Pick<TicketDeps, 'ids'>, type: string, at: string, data: Record<string, unknown>): TicketEvent {
  return event(deps, TOPICS.notifications, type, at, data);
}

/** The routing request for a ticket that moved to a tier with agents. */
function routingEvent(deps: Pick<TicketDeps, 'ids'>, ticket: Ticket, at: string): TicketEvent {
  return event(deps, TOPICS.ticketRouting, 'ticket.escalated', at, { ticketId: ticket.id, tier: ticket.tier });
}

/** Events that follow a tier change: routing at the new tier, and a request to re-assess severity. */
function escalationEvents(deps: Pick<TicketDeps, 'ids'>, ticket: Ticket, at: string, reason: string): TicketEvent[] {
  const events = [
    notification(deps, 'ticket.escalated', at, {
      ticketId: ticket.id,
      tier: ticket.tier,
      severity: ticket.severity,
      reason,
      audience: ticket.tier === 'MANAGEMENT' ? 'managers' : `tier:${ticket.tier}`,
      action: 'reassess-severity',
    }),
  ];
  if (ticket.tier !== 'MANAGEMENT') events.push(routingEvent(deps, ticket, at));
  return events;
}

/** The sweep's decision for one ticket at `now`: pure, retaken on every retry. */
export function sweepDecision(
  deps: Pick<TicketDeps, 'ids'>,
  ticket: Ticket,
  target: Parameters<typeof restartAfterEscalation>[2],
  calendar: Parameters<typeof restartAfterEscalation>[3],
  now: number,
): TicketChange<{ escalated: boolean; flagged: boolean; warned: number }> | null {
  const { warnings, breaches } = evaluateSla(ticket.sla, now);
  if (warnings.length === 0 && breaches.length === 0) return null;
  const at = iso(now);
  const events: TicketEvent[] = [];
  let next = ticket;
  let escalated = false;
  let flagged = false;
  if (breaches.length > 0) {
    const reason = `SLA breach: ${breaches.join(', ')}`;
    // The figures count each target of a ticket once: its first breach settles it (before the
    // restart below gives the clock a new due time).
    const { state: settledSla, outcomes } = settleSla(ticket.sla, breaches, now);
    const settled: Ticket = { ...ticket, sla: settledSla };
    const step = ladderStepForBreach(ticket);
    if (step.kind === 'escalate') {
      next = escalateTicket(settled, step.to, reason, 'system', at);
      next = { ...next, sla: restartAfterEscalation(next.sla, breaches, target, calendar, now) };
      events.push(...escalationEvents(deps, next, at, reason));
      events.push(
        lifecycleEvent(deps, 'ticket.escalated', at, {
          ticketId: ticket.id,
          from: ticket.tier,
          to: step.to,
          severity: ticket.severity,
          manual: false,
          reviewFlagged: !ticket.managementReview && next.managementReview,
          outcomes,
        }),
      );
      escalated = true;
    } else if (step.kind === 'flag-management-review') {
      next = { ...settled, managementReview: true, updatedAt: at, sla: restartAfterEscalation(settledSla, breaches, target, calendar, now) };
      events.push(notification(deps, 'ticket.management_review', at, { ticketId: ticket.id, tier: ticket.tier, severity: ticket.severity, reason, audience: 'managers' }));
      events.push(lifecycleEvent(deps, 'ticket.management_review', at, { ticketId: ticket.id, outcomes }));
      flagged = true;
    } else {
      next = { ...settled, updatedAt: at, sla: markBreached(settledSla, breaches) };
      events.push(notification(deps, 'sla.breached', at, { ticketId: ticket.id, tier: ticket.tier, breaches, audience: 'managers' }));
      if (Object.keys(outcomes).length > 0) events.push(lifecycleEvent(deps, 'sla.breached', at, { ticketId: ticket.id, outcomes }));
    }
  }
  const pendingWarnings = warnings.filter((w: SlaTargetName) => !breaches.includes(w));
  if (pendingWarnings.length > 0) {
    next = { ...next, updatedAt: at, sla: markWarned(next.sla, pendingWarnings) };
    events.push(
      notification(deps, 'sla.warning', at, {
        ticketId: ticket.id,
        targets: pendingWarnings,
        recipientUid: next.assigneeUid,
        audience: next.assigneeUid === null ? `tier:${next.tier}` : 'assignee',
      }),
    );
  }
  return { ticket: next, events, result: { escalated, flagged, warned: pendingWarnings.length } };
}

/**
 * Applies the sweep to one due ticket; retries on a conflict with the ticket read again.
 * Committed events are handed to `publish`, which does not hold the worker up.
 */
async function sweepTicket(
  deps: TicketDeps,
  first: { ticket: Ticket; version: string },
  now: number,
  publish: (events: readonly TicketEvent[]) => void,
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
  const publish = (events: readonly TicketEvent[]): void => {
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

/** `POST /v1/tickets/{id}/escalate`: agents and managers, with a reason. */
export async function escalateByHand(
  deps: TicketDeps,
  principal: Principal,
  id: string,
  input: { reason: string; toTier?: Ticket['tier'] | undefined },
): Promise<Ticket> {
  requireStaffRole(principal, ['agent', 'manager']);
  await visibleTicket(deps, principal, id);
  const now = deps.clock.now();
  const at = iso(now);
  // A reason is free text: redacted like every other text before it is stored or published.
  const reason = redactText(input.reason).text;
  const outcome = await mutateTicket(deps, id, (ticket) => {
    const to = manualEscalationTarget(ticket, input.toTier);
    const events: TicketEvent[] = [];
    // Before any move to L3, the ticket is flagged for management review and managers are told.
    if (!ticket.managementReview && (to === 'L3' || to === 'MANAGEMENT')) {
      events.push(notification(deps, 'ticket.management_review', at, { ticketId: ticket.id, tier: ticket.tier, severity: ticket.severity, reason, audience: 'managers' }));
    }
    const escalated = escalateTicket(ticket, to, reason, principal.uid, at);
    events.push(...escalationEvents(deps, escalated, at, reason));
    events.push(
      lifecycleEvent(deps, 'ticket.escalated', at, {
        ticketId: ticket.id,
        from: ticket.tier,
        to,
        severity: ticket.severity,
        manual: true,
        reviewFlagged: !ticket.managementReview && escalated.managementReview,
        outcomes: {},
      }),
    );
    return { ticket: escalated, events, result: null };
  });
  if (!outcome.applied) throw new NotFoundError('The ticket');
  return outcome.ticket;
}

/**
 * `POST /v1/tickets/{id}/severity`: only staff assess severity. The SLA due times are
 * recomputed for the new severity's targets; reaching severity 1 starts the incident process.
 */
export async function assessSeverity(
  deps: TicketDeps,
  principal: Principal,
  id: string,
  input: { severity: Severity; reason: string },
): Promise<Ticket> {
  requireStaffRole(principal, ['agent', 'manager']);
  const before = await visibleTicket(deps, principal, id);
  const calendar = await ticketCalendar(deps, before);
  const target = resolveSlaTarget(await deps.configuration.slaTargets(before.product), input.severity);
  const now = deps.clock.now();
  const at = iso(now);
  const outcome = await mutateTicket(deps, id, (ticket) => {
    if (DONE_STATUSES.includes(ticket.status)) {
      throw new DomainError(ERROR_CODES.illegalTransition, `The severity of a ${ticket.status} ticket cannot change`, { ticketStatus: ticket.status });
    }
    const events: TicketEvent[] = [];
    const updated: Ticket = {
      ...ticket,
      severity: input.severity,
      severityConfirmed: true,
      sla: ticket.severity === input.severity ? ticket.sla : changeSeverity(ticket.sla, target, calendar, now),
      severityAssessments: [...ticket.severityAssessments, { severity: input.severity, previous: ticket.severity, reason: redactText(input.reason).text, by: principal.uid, at }],
      updatedAt: at,
    };
    if (input.severity === 1 && ticket.severity !== 1) events.push(severityOneEvent(deps, updated, at));
    return { ticket: updated, events, result: null };
  });
  if (!outcome.applied) throw new NotFoundError('The ticket');
  return outcome.ticket;
}
