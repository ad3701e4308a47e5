/**
 * Erasure requests: `POST /v1/erasure-requests` (`202` with an id) by a customer for
 * themselves or by a privacy officer for anyone, and `GET /v1/erasure-requests/{id}` (the
 * requester, privacy officers) with its `status` and, once completed, its receipts.
 *
 * The request and the event that starts its processing are stored in one commit (outbox);
 * `processErasure` (the `processErasureRequest` function) then deletes the person's tickets —
 * anonymising those under legal hold — the status subscriptions at their address, and their
 * sign-in account and profile. Processing is
 * safe to repeat: what was deleted has its receipt, and what is left is deleted next time.
 */
import type { Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import { anonymiseMessage, anonymiseTicket, deletionReceipt, isHeld, RETENTION_RULES, type DeletionReceipt } from '../../domain/retention';
import type { Clock, IdGenerator, PrincipalDirectory } from '../ports';
import type { Message } from '../records';
import { newEvent } from '../../domain/events';
import { dispatchQuietly } from '../tickets/ticket-mutation';
import { deleteTickets, emptyTally, type DeleteTicketsDeps } from './delete-tickets';
import { deletePerson, type PersonDeps } from './delete-person';
import type { DeletionReceipts, ErasureRequest, ErasureRequests, ErasureStatus } from './ports';

export interface ErasureDeps extends DeleteTicketsDeps, PersonDeps {
  readonly erasures: ErasureRequests;
  readonly receipts: DeletionReceipts;
  readonly principals: Pick<PrincipalDirectory, 'find'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The event type that starts processing a request. */
export const ERASURE_REQUESTED = 'erasure.requested';

/** Tickets handled per batch while erasing one person. */
const ERASURE_BATCH = 100;

/** `POST /v1/erasure-requests`: `404` for an unknown subject, and for a customer naming anyone but themselves. */
export async function requestErasure(deps: ErasureDeps, principal: Principal, subjectUid: string): Promise<ErasureRequest> {
  const mayErase = principal.kind === 'customer' ? principal.uid === subjectUid : principal.role === 'privacy_officer';
  // A customer must not learn whether another uid exists; staff without the role are not told more.
  if (!mayErase || (await deps.principals.find(subjectUid)) === null) throw new NotFoundError('The subject');
  const at = new Date(deps.clock.now()).toISOString();
  const request: ErasureRequest = { id: deps.ids.newId(), subjectUid, requestedBy: principal.uid, status: 'received', createdAt: at, updatedAt: at, completedAt: null };
  const event = newEvent(deps, 'erasure.requested', ERASURE_REQUESTED, at, { requestId: request.id });
  await deps.erasures.create(request, event);
  await dispatchQuietly({ outbox: deps.outbox, logger: deps.logger }, [event]);
  return request;
}

/** `GET /v1/erasure-requests/{id}`: the requester and privacy officers; `404` for anyone else. */
export async function getErasureRequest(
  deps: Pick<ErasureDeps, 'erasures' | 'receipts'>,
  principal: Principal,
  id: string,
): Promise<{ id: string; status: ErasureStatus; createdAt: string; completedAt: string | null; receipts?: DeletionReceipt[] }> {
  const request = await deps.erasures.get(id);
  const allowed = request !== null && (request.requestedBy === principal.uid || (principal.kind === 'staff' && principal.role === 'privacy_officer'));
  if (!allowed) throw new NotFoundError('The erasure request');
  const view = { id: request.id, status: request.status, createdAt: request.createdAt, completedAt: request.completedAt };
  return request.status === 'completed' ? { ...view, receipts: await deps.receipts.ofRequest(id) } : view;
}

/** Anonymises one held ticket for the subject; true when it did (false: done before, or gone). */
async function anonymiseHeld(deps: ErasureDeps, ticketId: string, subjectUid: string, requestId: string, at: string): Promise<boolean> {
  return deps.retentionStore.anonymise(ticketId, (ticket, messages) => {
    const theirs = messages.filter((m) => m.authorUid === subjectUid);
    if (ticket.customerUid !== subjectUid && theirs.length === 0) return null;
    const anonymised = messages.map((m) => anonymiseMessage<Message>(m, subjectUid));
    const receipt = deletionReceipt({
      subject: 'ticket',
      subjectId: ticket.id,
      action: 'anonymised',
      at,
      rule: RETENTION_RULES.erasure,
      requestId,
      records: [
        { kind: 'ticketText', id: `tickets/${ticket.id}`, content: { subject: ticket.subject, description: ticket.description, csatComment: ticket.csat?.comment ?? null } },
        ...theirs.map((m) => ({ kind: 'message', id: `tickets/${ticket.id}/messages/${m.id}`, content: m })),
      ],
    });
    return { ticket: anonymiseTicket(ticket, subjectUid, at), messages: anonymised, receipt };
  });
}

/** Processes a request: the subject's tickets, then their status subscriptions, account and profile. Safe to repeat. */
export async function processErasure(deps: ErasureDeps, requestId: string): Promise<'completed' | 'unknown'> {
  const request = await deps.erasures.get(requestId);
  if (request === null) return 'unknown';
  if (request.status === 'completed') return 'completed';
  const at = new Date(deps.clock.now()).toISOString();
  await deps.erasures.setStatus(requestId, 'in_progress', at);
  await deps.retentionRuns.start(requestId, at);
  const tally = emptyTally();
  let anonymised = 0;
  let cursor: string | null = null;
  do {
    const page = await deps.retentionStore.due({ kind: 'of-customer', uid: request.subjectUid }, cursor, ERASURE_BATCH);
    cursor = page.next;
    const held = page.tickets.filter((t) => isHeld(t.ticket));
    for (const { ticket } of held) if (await anonymiseHeld(deps, ticket.id, request.subjectUid, requestId, at)) anonymised += 1;
    const free = page.tickets.filter((t) => !isHeld(t.ticket));
    await deleteTickets(deps, free, RETENTION_RULES.erasure, { runId: requestId, at, requestId }, tally);
  } while (cursor !== null);
  await deletePerson(deps, request.subjectUid, RETENTION_RULES.erasure, { at, requestId }, tally);
  if (tally.failed > 0) {
    // Not completed while anything of the subject is left: the delivery fails and comes again, and the repeat finishes it.
    throw new Error(`erasure request ${requestId}: ${tally.failed} deletion(s) failed; it stays in progress`);
  }
  const done = new Date(deps.clock.now()).toISOString();
  await deps.retentionRuns.finish(requestId, done, { ...tally, anonymised, autoClosed: 0, originalsDestroyed: 0, peopleDeleted: 1, durationMs: Date.parse(done) - Date.parse(at) });
  await deps.erasures.setStatus(requestId, 'completed', done);
  deps.logger.info('erasure request completed', { requestId, deleted: tally.deleted, anonymised });
  return 'completed';
}
