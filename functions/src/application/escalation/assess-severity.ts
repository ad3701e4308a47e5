/** `POST /v1/tickets/{id}/severity`: staff assess a ticket's severity, with a reason. */
import { requireStaffRole, type Principal } from '../../domain/access';
import { DomainError, ERROR_CODES } from '../../domain/errors';
import { changeSeverity, resolveSlaTarget, type Severity } from '../../domain/sla';
import { DONE_STATUSES, type Ticket } from '../../domain/ticket';
import { severityOneEvent, type DomainEvent } from '../../domain/events';
import { iso } from '../../domain/instant';
import { mutateVisibleTicket, ticketCalendar, visibleTicket, type TicketDeps } from '../tickets/ticket-mutation';

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
  const reason = (await deps.redactor.forOrganisation(before.orgId))(input.reason).text;
  const outcome = await mutateVisibleTicket(deps, principal, id, (ticket) => {
    if (DONE_STATUSES.includes(ticket.status)) {
      throw new DomainError(ERROR_CODES.illegalTransition, `The severity of a ${ticket.status} ticket cannot change`, { ticketStatus: ticket.status });
    }
    const events: DomainEvent[] = [];
    const updated: Ticket = {
      ...ticket,
      severity: input.severity,
      severityConfirmed: true,
      sla: ticket.severity === input.severity ? ticket.sla : changeSeverity(ticket.sla, target, calendar, now),
      severityAssessments: [...ticket.severityAssessments, { severity: input.severity, previous: ticket.severity, reason, by: principal.uid, at }],
      updatedAt: at,
    };
    if (input.severity === 1 && ticket.severity !== 1) events.push(severityOneEvent(deps, updated, at));
    return { ticket: updated, events, result: null };
  });
  return outcome.ticket;
}
