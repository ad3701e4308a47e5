/**
 * `POST /v1/tickets/{id}/messages`: a public or internal message, redacted. The first public
 * staff answer meets the first-response clock; a customer's answer brings a ticket waiting
 * for them (or resolved: reopened) back to the agents.
 */
import { requireStaffRole, type Principal } from '../../domain/access';
import { DomainError, ERROR_CODES } from '../../domain/errors';
import { redactionNotice } from '../../domain/redaction';
import { resolutionAfter } from '../../domain/resolution';
import { firstResponseBusinessMs, recordPublicStaffResponse, resolveSlaTarget, settleSla } from '../../domain/sla';
import type { RedactionCount } from '../../domain/ticket';
import type { MessageCreateInput } from '../contracts';
import { lifecycleEvent, type DomainEvent } from '../../domain/events';
import { sealOriginals } from '../originals/seal-originals';
import type { Message } from '../records';
import { redactAll } from './redact-texts';
import { slaForStatus } from '../../domain/status-change';
import { iso } from '../../domain/instant';
import { mutateVisibleTicket, ticketCalendar, visibleTicket, type TicketDeps } from './ticket-mutation';

/** Adds a message; `409` on a closed ticket, `400` for a customer's internal message. */
export async function addMessage(
  deps: TicketDeps,
  principal: Principal,
  id: string,
  input: MessageCreateInput,
): Promise<{ message: Message; redactions: readonly RedactionCount[]; notices: readonly string[] }> {
  const before = await visibleTicket(deps, principal, id);
  if (principal.kind === 'customer' && input.visibility === 'internal') {
    throw new DomainError(ERROR_CODES.invalidInput, 'Customers can only write public messages', {
      errors: [{ path: 'visibility', message: 'must be public for customers' }],
    });
  }
  if (principal.kind === 'staff') requireStaffRole(principal, ['agent', 'manager']);
  const calendar = await ticketCalendar(deps, before);
  // Every severity's targets, read now: the transaction decides on the severity it reads.
  const targets = await deps.configuration.slaTargets(before.product);
  const messageId = deps.ids.newId();
  const redact = await deps.redactor.forOrganisation(before.orgId);
  const { texts, redactions, originals } = redactAll(redact, [{ source: 'message', text: input.body }], messageId);
  const now = deps.clock.now();
  const at = iso(now);
  const sealed = await sealOriginals(deps, id, originals, at, false);
  const message: Message = {
    id: messageId,
    ticketId: id,
    authorUid: principal.uid,
    authorKind: principal.kind,
    visibility: input.visibility,
    body: texts[0] ?? '',
    createdAt: at,
    redactions,
  };
  await mutateVisibleTicket(deps, principal, id, (ticket) => {
    if (ticket.status === 'closed') {
      throw new DomainError(ERROR_CODES.illegalTransition, 'A closed ticket takes no new messages', { ticketStatus: ticket.status });
    }
    const target = resolveSlaTarget(targets, ticket.severity);
    let { sla, status, resolvedAt, firstResolvedAt } = ticket;
    const events: DomainEvent[] = [];
    if (principal.kind === 'staff' && input.visibility === 'public') {
      const first = sla.firstRespondedAt === null && !sla.stopped;
      sla = recordPublicStaffResponse(sla, target, calendar, now);
      if (first) {
        const settled = settleSla(sla, ['firstResponse'], now);
        sla = settled.state;
        events.push(
          lifecycleEvent(deps, 'ticket.first_response', at, {
            ticketId: ticket.id,
            businessMs: firstResponseBusinessMs(sla, Date.parse(ticket.createdAt), calendar, now),
            outcomes: settled.outcomes,
          }),
        );
      }
      if (status === 'new') status = 'open';
    }
    if (principal.kind === 'customer' && (status === 'pending_customer' || status === 'resolved')) {
      const reopened = slaForStatus(deps, { ...ticket, sla }, 'open', target, calendar, now);
      sla = reopened.sla;
      events.push(...reopened.events);
      ({ resolvedAt, firstResolvedAt } = resolutionAfter(ticket, 'open', at));
      status = 'open';
    }
    return {
      ticket: { ...ticket, sla, status, resolvedAt, firstResolvedAt, updatedAt: at },
      messages: [message],
      events,
      ...(sealed === undefined ? {} : { originals: sealed }),
      result: message,
    };
  });
  const notice = redactionNotice(redactions);
  return { message, redactions, notices: notice === null ? [] : [notice] };
}
