/**
 * The ticket factory: a new ticket at intake, built from what was asked and what the rules
 * decide (its starting severity, its SLA clocks), with the events its creation causes.
 * Pure: ids come from the caller's id source, the instant from its clock.
 */
import type { BusinessCalendar } from './calendar';
import { agentNeededEvent, lifecycleEvent, severityOneEvent, type DomainEvent, type EventDeps } from './events';
import { iso } from './instant';
import { resolveSlaTarget, startSla, type SlaTarget } from './sla';
import { initialSeverity, type Ticket } from './ticket';

/** What a new ticket is made of: the request (its texts already redacted) and who made it. */
export type TicketRequest = Pick<
  Ticket,
  'id' | 'orgId' | 'customerUid' | 'createdBy' | 'product' | 'language' | 'channel' | 'category' | 'subject' | 'description' | 'requestedSeverity' | 'redactions'
> & { readonly requestedBy: 'customer' | 'staff' };

/**
 * A new ticket at L1, status `new`, unassigned, at `atMs`: its severity by
 * {@link initialSeverity}, its clocks started on the target of that severity (the product's
 * override in `slaTargets`, else the default). The events: a routing request, the incident
 * hand-off for severity 1, and the lifecycle fact for the figures.
 */
export function openTicket(
  deps: EventDeps,
  request: TicketRequest,
  sla: { readonly targets: readonly SlaTarget[]; readonly calendar: BusinessCalendar },
  atMs: number,
): { ticket: Ticket; events: DomainEvent[] } {
  const { severity, severityConfirmed } = initialSeverity(request.requestedSeverity, request.requestedBy);
  const createdAt = iso(atMs);
  const ticket: Ticket = {
    id: request.id,
    orgId: request.orgId,
    customerUid: request.customerUid,
    createdBy: request.createdBy,
    product: request.product,
    language: request.language,
    channel: request.channel,
    category: request.category,
    subject: request.subject,
    description: request.description,
    requestedSeverity: request.requestedSeverity,
    severity,
    severityConfirmed,
    tier: 'L1',
    status: 'new',
    assigneeUid: null,
    createdAt,
    updatedAt: createdAt,
    sla: startSla(resolveSlaTarget(sla.targets, severity), sla.calendar, atMs),
    escalations: [],
    severityAssessments: [],
    csat: null,
    managementReview: false,
    redactions: request.redactions,
    resolvedAt: null,
    closedAt: null,
  };
  const events: DomainEvent[] = [
    agentNeededEvent(deps, 'ticket.created', createdAt, {
      ticketId: ticket.id,
      product: ticket.product,
      language: ticket.language,
      tier: ticket.tier,
      severity: ticket.severity,
    }),
  ];
  if (ticket.severity === 1) events.push(severityOneEvent(deps, ticket, createdAt));
  events.push(lifecycleEvent(deps, 'ticket.created', createdAt, { ticketId: ticket.id, severity: ticket.severity }));
  return { ticket, events };
}
