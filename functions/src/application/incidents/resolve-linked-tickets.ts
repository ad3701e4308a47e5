/**
 * When an incident is resolved (the `incident.resolved` event), its linked tickets are
 * resolved with it, each with a public message to its customer, in the ticket's own
 * transaction keyed on the event id: a redelivered event resolves nothing twice, and a ticket
 * already resolved or closed is left as it is.
 */
import { isFirstResolution, resolutionAfter } from '../../domain/resolution';
import { resolveSlaTarget } from '../../domain/sla';
import { DONE_STATUSES } from '../../domain/ticket';
import { iso } from '../../domain/instant';
import { notificationEvent } from '../../domain/events';
import type { Message } from '../records';
import { slaForStatus } from '../../domain/status-change';
import { mutateTicket, ticketCalendar, type TicketDeps } from '../tickets/ticket-mutation';

export interface ResolvedIncident {
  readonly incidentId: string;
  readonly title: string;
  readonly ticketIds: readonly string[];
}

/** Resolves every linked ticket; returns how many it resolved now. */
export async function resolveLinkedTickets(deps: TicketDeps, eventId: string, incident: ResolvedIncident): Promise<number> {
  let resolved = 0;
  for (const ticketId of incident.ticketIds) {
    const before = await deps.tickets.get(ticketId);
    if (before === null || DONE_STATUSES.includes(before.status)) continue;
    const calendar = await ticketCalendar(deps, before);
    const target = resolveSlaTarget(await deps.configuration.slaTargets(before.product), before.severity);
    const now = deps.clock.now();
    const at = iso(now);
    const message: Message = {
      id: deps.ids.newId(),
      ticketId,
      authorUid: 'system',
      authorKind: 'system',
      visibility: 'public',
      body: `The incident "${incident.title}" has been resolved, and this ticket is resolved with it. If the problem continues for you, reply here and the ticket reopens.`,
      createdAt: at,
      redactions: [],
    };
    const outcome = await mutateTicket(
      deps,
      ticketId,
      (ticket) => {
        if (DONE_STATUSES.includes(ticket.status)) return { ticket, result: false };
        const moved = slaForStatus(deps, ticket, 'resolved', target, calendar, now);
        const invitations = isFirstResolution(ticket, 'resolved')
          ? [notificationEvent(deps, 'csat.invitation', at, { ticketId, recipientUid: ticket.customerUid, orgId: ticket.orgId })]
          : [];
        return {
          ticket: { ...ticket, status: 'resolved', sla: moved.sla, ...resolutionAfter(ticket, 'resolved', at), updatedAt: at },
          messages: [message],
          events: [...moved.events, ...invitations],
          result: true,
        };
      },
      `incident-resolution:${eventId}:${ticketId}`,
    );
    if (outcome.applied && outcome.result) resolved += 1;
  }
  return resolved;
}
