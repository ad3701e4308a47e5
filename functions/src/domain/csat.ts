/**
 * Customer satisfaction (CSAT): when a ticket is resolved its customer is invited to rate it
 * 1–5 with an optional comment. The rules, and how the API answers when one is broken:
 * - only the ticket's own customer (`ticket.customerUid`) answers; staff get `403`, any
 *   other customer — also one of the same organisation — gets `404`, as for a ticket they
 *   may not see (checked by the use case);
 * - only a `resolved` or `closed` ticket takes an answer: `409` (`CSAT.TICKET_NOT_RESOLVED`)
 *   otherwise — the ticket is in the wrong state, like an illegal status move;
 * - once: a second answer is `409` (`CSAT.ALREADY_ANSWERED`); the first one stands;
 * - within {@link CSAT_WINDOW_DAYS} days of the ticket's first resolution (of closing, for a
 *   ticket closed without being resolved; reopening does not restart it): later is `422` (`CSAT.WINDOW_CLOSED`), a business rule on time
 *   that no change of state can fix, with `answerableUntil` in the problem body.
 * The comment is free text and is redacted like any other text before it is stored.
 */
import { DomainError, ERROR_CODES } from './errors';
import { firstResolutionAt } from './resolution';
import type { CsatAnswer, Ticket } from './ticket';

/** How long after resolution a customer may still answer. */
export const CSAT_WINDOW_DAYS = 28;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When the answer window of a done ticket ends (ISO), or null when the ticket is not done. */
export function csatDeadline(ticket: Pick<Ticket, 'status' | 'resolvedAt' | 'closedAt' | 'firstResolvedAt'>): string | null {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') return null;
  // From the ticket's first resolution: reopening and resolving again does not restart it.
  const doneAt = firstResolutionAt(ticket);
  if (doneAt === null) return null;
  return new Date(Date.parse(doneAt) + CSAT_WINDOW_DAYS * DAY_MS).toISOString();
}

/**
 * The answer to store, or a `409`/`422` when the ticket does not take one now (see the module
 * doc). `comment` must already be redacted.
 */
export function acceptCsat(
  ticket: Pick<Ticket, 'status' | 'resolvedAt' | 'closedAt' | 'firstResolvedAt' | 'csat'>,
  rating: number,
  comment: string | null,
  atMs: number,
): CsatAnswer {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw new DomainError(ERROR_CODES.csatNotResolved, 'Only a resolved or closed ticket can be rated', { ticketStatus: ticket.status });
  }
  if (ticket.csat !== null) {
    throw new DomainError(ERROR_CODES.csatAlreadyAnswered, 'This ticket has already been rated', { answeredAt: ticket.csat.at });
  }
  const deadline = csatDeadline(ticket);
  if (deadline === null || atMs > Date.parse(deadline)) {
    throw new DomainError(ERROR_CODES.csatWindowClosed, `Ratings are taken for ${CSAT_WINDOW_DAYS} days after resolution`, {
      answerableUntil: deadline,
    });
  }
  return { rating, comment, at: new Date(atMs).toISOString() };
}
