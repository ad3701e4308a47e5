/** The SLA consequences of a status move, shared by status changes and customers' answers. Pure. */
import type { BusinessCalendar } from './calendar';
import { pauseSla, reopenSla, resumeSla, settleSla, SLA_TARGET_NAMES, stopSla, type SlaState, type SlaTarget } from './sla';
import { isFirstResolution } from './resolution';
import { DONE_STATUSES, PAUSED_STATUSES, type Ticket, type TicketStatus } from './ticket';
import { lifecycleEvent, type DomainEvent, type EventDeps } from './events';
import { iso } from './instant';

/**
 * The SLA after a status move, with the lifecycle event the move causes. The first move into
 * a done status (`resolved`, or `closed` straight from work) settles every target for the
 * figures, is the ticket's one `ticket.resolved` (`resolution.ts`) and stops the clocks; a
 * later resolution after a reopening stops them and counts nothing; `resolved → open` reopens
 * them with full targets; the others pause or resume.
 */
export function slaForStatus(
  deps: EventDeps,
  ticket: Ticket,
  status: TicketStatus,
  target: SlaTarget,
  calendar: BusinessCalendar,
  now: number,
): { sla: SlaState; events: DomainEvent[] } {
  const at = iso(now);
  if (DONE_STATUSES.includes(status)) {
    if (DONE_STATUSES.includes(ticket.status)) return { sla: stopSla(ticket.sla), events: [] };
    const settled = settleSla(ticket.sla, SLA_TARGET_NAMES, now);
    // A ticket is resolved once for the figures: a reopened ticket's targets were settled already.
    if (!isFirstResolution(ticket, status)) return { sla: stopSla(settled.state), events: [] };
    const resolved = lifecycleEvent(deps, 'ticket.resolved', at, {
      ticketId: ticket.id,
      tier: ticket.tier,
      severity: ticket.severity,
      escalated: ticket.escalations.length > 0,
      outcomes: settled.outcomes,
    });
    return { sla: stopSla(settled.state), events: [resolved] };
  }
  if (ticket.sla.stopped) {
    return { sla: reopenSla(ticket.sla, target, calendar, now), events: [lifecycleEvent(deps, 'ticket.reopened', at, { ticketId: ticket.id })] };
  }
  if (PAUSED_STATUSES.includes(status)) return { sla: pauseSla(ticket.sla, now), events: [] };
  return { sla: resumeSla(ticket.sla, calendar, now), events: [] };
}
