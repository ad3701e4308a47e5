/**
 * Redaction originals: the unredacted text of every field or message in which redaction hid
 * something, encrypted with the ticket's data key (envelope encryption, `KeyVault`) and
 * stored apart from the ticket. Only privacy officers read them, each read audited with a
 * reason; destroying the ticket's data key makes them unreadable for good.
 *
 * A data key is made only for tickets that need one, so intake without sensitive data pays
 * nothing for this.
 */
import { canSeeTicket, requireStaffRole, type Principal } from '../domain/access';
import { DomainError, ERROR_CODES, NotFoundError } from '../domain/errors';
import { maskExact, maskSpan, redactText } from '../domain/redaction';
import type { Ticket } from '../domain/ticket';
import type { Message, OriginalSource } from './records';
import { sealOriginals, type OriginalsDeps } from './seal-originals';
import { mutateTicket, visibleTicket, type TicketDeps } from './tickets';

export interface OriginalText {
  readonly id: string;
  readonly source: OriginalSource;
  readonly messageId: string | null;
  readonly text: string;
  readonly createdAt: string;
}

function assertPrivacyOfficer(principal: Principal, ticket: Ticket | null): void {
  // Customers must not learn that a ticket exists; staff without the role are told why.
  if (principal.kind === 'customer') throw new NotFoundError('The ticket');
  requireStaffRole(principal, ['privacy_officer']);
  if (ticket === null || !canSeeTicket(principal, ticket)) throw new NotFoundError('The ticket');
}

/** `GET /v1/tickets/{id}/originals`: privacy officers only; every read is audited first. */
export async function readOriginals(
  deps: TicketDeps & OriginalsDeps,
  principal: Principal,
  ticketId: string,
  reason: string,
): Promise<{ ticketId: string; originals: OriginalText[]; keyDestroyedAt: string | null; auditId: string }> {
  assertPrivacyOfficer(principal, await deps.tickets.get(ticketId));
  const at = new Date(deps.clock.now()).toISOString();
  const auditId = deps.ids.newId();
  await deps.originals.audit({ id: auditId, action: 'originals.read', ticketId, by: principal.uid, at, reason: redactText(reason).text });
  const [wrapped, sealed, keyDestroyedAt] = await Promise.all([
    deps.originals.wrappedKey(ticketId),
    deps.originals.list(ticketId),
    deps.originals.destroyedAt(ticketId),
  ]);
  if (wrapped === null) return { ticketId, originals: [], keyDestroyedAt, auditId };
  const key = await deps.vault.unwrap(wrapped);
  const originals = sealed.map((s) => ({
    id: s.id,
    source: s.source,
    messageId: s.messageId,
    text: deps.vault.open(key, s.sealed),
    createdAt: s.createdAt,
  }));
  return { ticketId, originals, keyDestroyedAt, auditId };
}

/** `DELETE /v1/tickets/{id}/originals`: destroys the data key; the originals are gone for good. */
export async function destroyOriginals(
  deps: TicketDeps & OriginalsDeps,
  principal: Principal,
  ticketId: string,
  reason: string,
): Promise<{ ticketId: string; destroyedTexts: number; at: string }> {
  assertPrivacyOfficer(principal, await deps.tickets.get(ticketId));
  const at = new Date(deps.clock.now()).toISOString();
  await deps.originals.audit({ id: deps.ids.newId(), action: 'originals.destroy', ticketId, by: principal.uid, at, reason: redactText(reason).text });
  const destroyedTexts = await deps.originals.destroy(ticketId, at, principal.uid, redactText(reason).text);
  deps.logger.info('originals destroyed', { ticketId, destroyedTexts });
  return { ticketId, destroyedTexts, at };
}

export interface ManualRedactionInput {
  readonly messageId?: string | undefined;
  readonly field?: 'subject' | 'description' | undefined;
  readonly start?: number | undefined;
  readonly end?: number | undefined;
  readonly text?: string | undefined;
  readonly reason: string;
}

function applyMask(current: string, input: ManualRedactionInput): string {
  if (input.text !== undefined) return maskExact(current, input.text);
  return maskSpan(current, input.start ?? 0, input.end ?? 0);
}

/**
 * Masks of the same text combine: a character hidden by either stays hidden. Applied to the
 * text as stored at commit time, so two concurrent redactions never un-hide each other's.
 */
function combineMasks(current: string, masked: string): string {
  if (current.length !== masked.length) return current;
  let out = '';
  for (let i = 0; i < current.length; i++) out += masked[i] === '*' ? '*' : current[i];
  return out;
}

function countMasked(before: string, after: string): number {
  let count = 0;
  for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) count++;
  return count;
}

/**
 * `POST /v1/tickets/{id}/redactions`: masks a span of a message (or of the subject or
 * description) by offsets or by exact text, on an open or closed ticket, keeping the text as
 * it was encrypted as an original. Agents (by scope) and privacy officers.
 */
export async function redactByHand(
  deps: TicketDeps & OriginalsDeps,
  principal: Principal,
  ticketId: string,
  input: ManualRedactionInput,
): Promise<{ ticketId: string; messageId: string | null; field: string; maskedCharacters: number }> {
  if (principal.kind === 'customer') throw new NotFoundError('The ticket');
  requireStaffRole(principal, ['agent', 'privacy_officer']);
  const before = await visibleTicket(deps, principal, ticketId);
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
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
  const originals = await sealOriginals(deps, ticketId, [{ source, messageId: message?.id ?? null, text: original }], at, false);
  const outcome = await mutateTicket(deps, ticketId, (ticket) => {
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
  if (!outcome.applied) throw new NotFoundError('The ticket');
  deps.logger.info('manual redaction', { ticketId, messageId: message?.id, by: principal.uid });
  const maskedCharacters = countMasked(original, masked);
  return { ticketId, messageId: message?.id ?? null, field: message === undefined ? source : 'body', maskedCharacters };
}
