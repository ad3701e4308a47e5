/** Satisfaction: the customer's rating of a resolved ticket (rules in `domain/csat.ts`). */
import type { Principal } from '../../domain/access';
import { acceptCsat } from '../../domain/csat';
import { ForbiddenError, NotFoundError } from '../../domain/errors';
import { summarizeFindings } from '../../domain/redaction';
import type { CsatAnswer, RedactionCount } from '../../domain/ticket';
import type { CsatInput } from '../contracts';
import { lifecycleEvent } from '../../domain/events';
import { sealOriginals } from '../originals/seal-originals';
import { iso } from '../../domain/instant';
import { mutateVisibleTicket, visibleTicket, type TicketDeps } from '../tickets/ticket-mutation';

/**
 * `POST /v1/tickets/{id}/csat`: the ticket's own customer rates it, once, within the window.
 * Staff get `403`; a customer who may not see the ticket, or who is not its customer (even
 * in the same organisation), gets `404`. The rating, the redacted comment (its original
 * sealed for privacy officers when redaction hid something, as for any free text) and the
 * lifecycle event are written in one transaction, so two concurrent answers store one.
 */
export async function submitCsat(
  deps: TicketDeps,
  principal: Principal,
  id: string,
  input: CsatInput,
): Promise<{ ticketId: string; csat: CsatAnswer; redactions: readonly RedactionCount[] }> {
  if (principal.kind !== 'customer') throw new ForbiddenError("Only the ticket's customer rates it");
  const before = await visibleTicket(deps, principal, id);
  if (before.customerUid !== principal.uid) throw new NotFoundError('The ticket');
  const redact = await deps.redactor.forOrganisation(before.orgId);
  const redacted = input.comment === undefined || input.comment === '' ? null : redact(input.comment);
  const now = deps.clock.now();
  const at = iso(now);
  const sealed =
    redacted === null || redacted.findings.length === 0 || input.comment === undefined
      ? undefined
      : await sealOriginals(deps, id, [{ source: 'csat_comment', messageId: null, text: input.comment }], at, false);
  const outcome = await mutateVisibleTicket(deps, principal, id, (ticket) => {
    const csat = acceptCsat(ticket, input.rating, redacted?.text ?? null, now);
    return {
      ticket: { ...ticket, csat, updatedAt: at },
      ...(sealed === undefined ? {} : { originals: sealed }),
      events: [lifecycleEvent(deps, 'ticket.csat', at, { ticketId: ticket.id, rating: csat.rating })],
      result: csat,
    };
  });
  return { ticketId: id, csat: outcome.result, redactions: summarizeFindings(redacted?.findings ?? []) };
}

