/** `POST /v1/tickets/{id}/redactions`: manual redaction by agents and privacy officers. */
import { requireStaffRole, type Principal } from '../../domain/access';
import { DomainError, ERROR_CODES, NotFoundError } from '../../domain/errors';
import { applyMask, combineMasks, countMasked, type MaskSelection } from '../../domain/manual-redaction';
import type { Ticket } from '../../domain/ticket';
import type { Message, OriginalSource } from '../records';
import { iso } from '../../domain/instant';
import { mutateVisibleTicket, visibleTicket } from '../tickets/ticket-mutation';
import type { PrivacyDeps } from './privacy-officer';
import { sealOriginals } from './seal-originals';

/** Which text to mask (a message, or the subject or description), what to mask in it, and why. */
export interface ManualRedactionInput extends MaskSelection {
  readonly messageId?: string | undefined;
  readonly field?: 'subject' | 'description' | undefined;
  readonly reason: string;
}

/**
 * `POST /v1/tickets/{id}/redactions`: masks a span of a message (or of the subject or
 * description) by offsets or by exact text, on an open or closed ticket, keeping the text as
 * it was encrypted as an original. Agents (by scope) and privacy officers.
 */
export async function redactByHand(
  deps: PrivacyDeps,
  principal: Principal,
  ticketId: string,
  input: ManualRedactionInput,
): Promise<{ ticketId: string; messageId: string | null; field: string; maskedCharacters: number }> {
  if (principal.kind === 'customer') throw new NotFoundError('The ticket');
  requireStaffRole(principal, ['agent', 'privacy_officer']);
  const before = await visibleTicket(deps, principal, ticketId);
  const now = deps.clock.now();
  const at = iso(now);
  let original: string;
  let message: Message | undefined;
  if (input.messageId !== undefined) {
    message = (await deps.tickets.messages(ticketId)).find((m) => m.id === input.messageId);
    if (message === undefined) throw new NotFoundError('The message');
    original = message.body;
  } else {
    original = input.field === 'subject' ? before.subject : before.description;
  }
  const masked = applyMask(original, input);
  if (masked === original) {
    throw new DomainError(ERROR_CODES.conflict, 'That span is already masked');
  }
  const source: OriginalSource = message === undefined ? (input.field ?? 'description') : 'message';
  const originals = await sealOriginals(deps, ticketId, [{ source, messageId: message?.id ?? null, text: original }], at, false, 'seal-unreadable');
  await mutateVisibleTicket(deps, principal, ticketId, (ticket) => {
    const manual = { ...ticket, updatedAt: at };
    const updated: Ticket =
      message !== undefined
        ? manual
        : input.field === 'subject'
          ? { ...manual, subject: combineMasks(ticket.subject, masked) }
          : { ...manual, description: combineMasks(ticket.description, masked) };
    return {
      ticket: updated,
      ...(originals === undefined ? {} : { originals }),
      ...(message === undefined ? {} : { rewriteMessages: [{ id: message.id, rewrite: (body: string) => combineMasks(body, masked) }] }),
      result: null,
    };
  });
  deps.logger.info('manual redaction', { ticketId, messageId: message?.id, by: principal.uid });
  const maskedCharacters = countMasked(original, masked);
  return { ticketId, messageId: message?.id ?? null, field: message === undefined ? source : 'body', maskedCharacters };
}
