/**
 * Intake, `POST /v1/tickets`: checks the channel and its opening hours, redacts the text,
 * starts the SLA clocks and writes the ticket, its events, its idempotency record and any
 * sealed originals in one commit, then dispatches the events.
 */
import { createHash } from 'node:crypto';
import { canSeeTicket, requireStaffRole, type Principal, type StaffPrincipal } from '../../domain/access';
import { assertCustomerOf, assertInAgentScope, assertOrganisationExists } from '../../domain/agent-intake';
import { channelAvailability, checkTicketChannel } from '../../domain/catalog';
import { DomainError, ERROR_CODES, NotFoundError } from '../../domain/errors';
import { redactionNotice } from '../../domain/redaction';
import type { RedactionCount, Ticket } from '../../domain/ticket';
import { openTicket } from '../../domain/ticket-factory';
import type { TicketCreateInput } from '../contracts';
import { sealOriginals } from '../originals/seal-originals';
import type { IdempotencyRecord, PrincipalDirectory } from '../ports';
import { redactAll } from './redact-texts';
import { dispatchQuietly, supportCalendar, type TicketDeps } from './ticket-mutation';

/** Always in a create response: what not to share (data minimisation). */
const DATA_MINIMISATION_NOTICE =
  'Please do not share passwords, full payment card numbers, bank account numbers or personal identity codes in a ticket. Support staff will never ask for them.';

export interface CreatedTicket {
  readonly ticket: Ticket;
  readonly notices: readonly string[];
  readonly redactions: readonly RedactionCount[];
  /** True when an `Idempotency-Key` replay returned the ticket created earlier. */
  readonly replayed: boolean;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** JSON with sorted keys, so that the same body in another key order hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The ports of intake: the ticket ports, and the accounts an agent's ticket names. */
export interface IntakeDeps extends TicketDeps {
  readonly principals: Pick<PrincipalDirectory, 'find' | 'organisationExists'>;
}

/**
 * An agent's ticket: inside their scope (it starts at L1), for an organisation that exists and,
 * when one is named, a customer of it. Checked before anything is written.
 */
async function assertAgentMayOpen(deps: IntakeDeps, agent: StaffPrincipal, orgId: string, input: TicketCreateInput): Promise<void> {
  assertInAgentScope(agent, { tier: 'L1', language: input.language, product: input.product });
  if (input.customerUid !== undefined) {
    assertCustomerOf(await deps.principals.find(input.customerUid), orgId);
  } else {
    assertOrganisationExists(orgId, await deps.principals.organisationExists(orgId));
  }
}

/** Intake: `POST /v1/tickets`. */
export async function createTicket(
  deps: IntakeDeps,
  principal: Principal,
  input: TicketCreateInput,
  idempotencyKey: string | null,
): Promise<CreatedTicket> {
  const now = deps.clock.now();
  if (principal.kind === 'staff') requireStaffRole(principal, ['agent']);
  const orgId = principal.kind === 'customer' ? principal.orgId : input.orgId;
  if (orgId === undefined) throw new NotFoundError('The organisation');
  if (principal.kind === 'staff') await assertAgentMayOpen(deps, principal, orgId, input);

  const catalog = await deps.configuration.catalog();
  const { entry, calendar } = await supportCalendar(deps, input.product, input.language);
  const refusal = checkTicketChannel(channelAvailability(catalog, entry, calendar, now), input.channel);
  const idempotency =
    idempotencyKey === null
      ? null
      : { key: sha256(`${principal.uid}\n${idempotencyKey}`), bodyHash: sha256(canonicalJson(input)) };
  // A retry of a request that was taken while the channel was open returns that ticket, even
  // after the channel closed (looked up only when refusing, so the happy path reads nothing).
  if (refusal !== null && idempotency !== null) {
    const earlier = await deps.tickets.findIdempotency(idempotency.key);
    if (earlier !== null) return replay(deps, principal, earlier, idempotency.bodyHash);
  }
  if (refusal?.reason === 'unavailable') {
    throw new DomainError(
      ERROR_CODES.channelUnavailable,
      `The ${input.channel} channel is not available for ${input.product} in ${input.language}`,
      { availableChannels: refusal.availableChannels },
    );
  }
  if (refusal?.reason === 'closed') {
    throw new DomainError(ERROR_CODES.channelClosed, `The ${input.channel} channel is closed now`, {
      nextOpenAt: refusal.nextOpenAt,
      openChannels: refusal.openChannels,
    });
  }

  const { texts, redactions, originals } = redactAll(await deps.redactor.forOrganisation(orgId), [
    { source: 'subject', text: input.subject },
    { source: 'description', text: input.description },
    // The category is free text too (a client app may let people type it).
    { source: 'category', text: input.category },
  ]);
  const [subject = '', description = '', category = ''] = texts;
  const ticketId = deps.ids.newId();
  const { ticket, events } = openTicket(
    deps,
    {
      id: ticketId,
      orgId,
      customerUid: principal.kind === 'customer' ? principal.uid : (input.customerUid ?? null),
      createdBy: principal.uid,
      requestedBy: principal.kind,
      product: input.product,
      language: input.language,
      channel: input.channel,
      category,
      subject,
      description,
      requestedSeverity: input.severity,
      redactions,
    },
    { targets: await deps.configuration.slaTargets(input.product), calendar },
    now,
  );

  const sealed = await sealOriginals(deps, ticketId, originals, ticket.createdAt, true);
  const outcome = await deps.tickets.create({ ticket, events, idempotency, ...(sealed === undefined ? {} : { originals: sealed }) });
  if (!outcome.created) return replay(deps, principal, outcome.existing, idempotency?.bodyHash ?? '');
  await dispatchQuietly(deps, events);
  deps.logger.info('ticket created', { ticketId: ticket.id, product: ticket.product, channel: ticket.channel });
  return { ticket, notices: noticesFor(redactions), redactions, replayed: false };
}

/**
 * The ticket an `Idempotency-Key` created earlier; `409` when the body differs. A replay is a
 * read of that ticket, so it passes the check `GET` makes: a caller who may no longer see it
 * (a customer moved to another organisation, an agent whose scope changed) gets the `404` of
 * a ticket that is gone, never its current state, and no second ticket is made.
 */
async function replay(deps: Pick<TicketDeps, 'tickets'>, principal: Principal, existing: IdempotencyRecord, bodyHash: string): Promise<CreatedTicket> {
  if (existing.bodyHash !== bodyHash) {
    throw new DomainError(ERROR_CODES.idempotencyConflict, 'This Idempotency-Key was already used with a different request body');
  }
  const earlier = await deps.tickets.get(existing.ticketId);
  if (earlier === null || !canSeeTicket(principal, earlier)) throw new NotFoundError('The ticket created with this Idempotency-Key');
  return { ticket: earlier, notices: noticesFor(earlier.redactions), redactions: earlier.redactions, replayed: true };
}

/** The redaction notice (when something was hidden) and the data-minimisation notice. */
function noticesFor(redactions: readonly RedactionCount[]): string[] {
  const notice = redactionNotice(redactions);
  return notice === null ? [DATA_MINIMISATION_NOTICE] : [notice, DATA_MINIMISATION_NOTICE];
}
