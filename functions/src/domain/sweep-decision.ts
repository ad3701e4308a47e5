/**
 * The escalation sweep's decision for one due ticket: which warnings, breaches and ladder
 * step (`escalation.ts`), with the events they cause. Pure: the sweep retakes it on the
 * ticket as read again after a conflict.
 */
import type { BusinessCalendar } from './calendar';
import { escalateTicket, ladderStepForBreach } from './escalation';
import { escalationEvents } from './escalation-events';
import { lifecycleEvent, notificationEvent, type DomainEvent, type EventDeps } from './events';
import { iso } from './instant';
import { evaluateSla, markBreached, markWarned, restartAfterEscalation, settleSla, type SlaTarget, type SlaTargetName } from './sla';
import type { Ticket } from './ticket';

/** What the sweep does to one ticket: the ticket to write, the events to write with it, and what it did. */
export interface SweepChange {
  readonly ticket: Ticket;
  readonly events: readonly DomainEvent[];
  readonly result: { readonly escalated: boolean; readonly flagged: boolean; readonly warned: number };
}

/** The sweep's decision for one ticket at `now`: pure, retaken on every retry. */
export function sweepDecision(
  deps: EventDeps,
  ticket: Ticket,
  target: SlaTarget,
  calendar: BusinessCalendar,
  now: number,
): SweepChange | null {
  const { warnings, breaches } = evaluateSla(ticket.sla, now);
  if (warnings.length === 0 && breaches.length === 0) return null;
  const at = iso(now);
  const events: DomainEvent[] = [];
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
      events.push(notificationEvent(deps, 'ticket.management_review', at, { ticketId: ticket.id, tier: ticket.tier, severity: ticket.severity, reason, audience: 'managers' }));
      events.push(lifecycleEvent(deps, 'ticket.management_review', at, { ticketId: ticket.id, outcomes }));
      flagged = true;
    } else {
      next = { ...settled, updatedAt: at, sla: markBreached(settledSla, breaches) };
      events.push(notificationEvent(deps, 'sla.breached', at, { ticketId: ticket.id, tier: ticket.tier, breaches, audience: 'managers' }));
      if (Object.keys(outcomes).length > 0) events.push(lifecycleEvent(deps, 'sla.breached', at, { ticketId: ticket.id, outcomes }));
    }
  }
  const pendingWarnings = warnings.filter((w: SlaTargetName) => !breaches.includes(w));
  if (pendingWarnings.length > 0) {
    next = { ...next, updatedAt: at, sla: markWarned(next.sla, pendingWarnings) };
    events.push(
      notificationEvent(deps, 'sla.warning', at, {
        ticketId: ticket.id,
        targets: pendingWarnings,
        recipientUid: next.assigneeUid,
        audience: next.assigneeUid === null ? `tier:${next.tier}` : 'assignee',
      }),
    );
  }
  return { ticket: next, events, result: { escalated, flagged, warned: pendingWarnings.length } };
}

