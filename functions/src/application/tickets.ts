/**
 * Ticket use cases: intake, reading by scope, messages and status changes. Each is a
 * function over its ports; every state change and the events it causes are committed in one
 * transaction by the repository, then dispatched to Pub/Sub (the relay job is the safety net).
 */
import { createHash } from 'node:crypto';
import { canSeeTicket, requireStaffRole, type Principal } from '../domain/access';
import {
  businessCalendar,
  channelAvailability,
  checkTicketChannel,
  findLanguage,
  type CatalogLanguage,
} from '../domain/catalog';
import type { BusinessCalendar } from '../domain/calendar';
import { DomainError, ERROR_CODES, NotFoundError } from '../domain/errors';
import { redactText, redactionNotice, summarizeFindings } from '../domain/redaction';
import {
  firstResponseBusinessMs,
  pauseSla,
  recordPublicStaffResponse,
  reopenSla,
  resolveSlaTarget,
  resumeSla,
  settleSla,
  SLA_TARGET_NAMES,
  startSla,
  stopSla,
  type SlaState,
  type SlaTarget,
} from '../domain/sla';
import {
  assertStatusTransition,
  DONE_STATUSES,
  initialSeverity,
  PAUSED_STATUSES,
  type RedactionCount,
  type Ticket,
  type TicketStatus,
} from '../domain/ticket';
import { TOPICS } from '../manifest';
import type { MessageCreateInput, TicketCreateInput, TicketListQuery } from './contracts';
import { lifecycleEvent } from './lifecycle';
import type {
  Clock,
  IdempotencyRecord,
  IdGenerator,
  Logger,
  MutationOutcome,
  OutboxDispatcher,
  SupportConfiguration,
  TicketChange,
  TicketPage,
  TicketRepository,
} from './ports';
import type { Message, TicketEvent } from './records';
import { sealOriginals, type OriginalInput, type OriginalsDeps } from './seal-originals';

export interface TicketDeps extends OriginalsDeps {
  readonly tickets: TicketRepository;
  readonly configuration: SupportConfiguration;
  readonly outbox: OutboxDispatcher;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** Always in a create response: what not to share (data minimisation). */
export const DATA_MINIMISATION_NOTICE =
  'Please do not share passwords, full payment card numbers, bank account numbers or personal identity codes in a ticket. Support staff will never ask for them.';

export interface CreatedTicket {
  readonly ticket: Ticket;
  readonly notices: readonly string[];
  readonly redactions: readonly RedactionCount[];
  /** True when an `Idempotency-Key` replay returned the ticket created earlier. */
  readonly replayed: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();

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

/**
 * Redacts several texts and adds up what was hidden; `originals` lists the texts in which
 * something was hidden, as they were, for sealing.
 */
function redactAll(
  texts: readonly Omit<OriginalInput, 'messageId'>[],
  messageId: string | null = null,
): { texts: string[]; redactions: RedactionCount[]; originals: OriginalInput[] } {
  const results = texts.map((t) => redactText(t.text));
  return {
    texts: results.map((r) => r.text),
    redactions: summarizeFindings(results.flatMap((r) => r.findings)),
    originals: texts.filter((_, i) => (results[i]?.findings.length ?? 0) > 0).map((t) => ({ ...t, messageId })),
  };
}

/** The catalog entry and business calendar for a product and language; `422` if not offered. */
async function supportCalendar(
  deps: Pick<TicketDeps, 'configuration'>,
  product: string,
  language: string,
): Promise<{ entry: CatalogLanguage; calendar: BusinessCalendar }> {
  const catalog = await deps.configuration.catalog();
  const entry = findLanguage(catalog, product, language);
  if (entry === undefined) {
    const offered = catalog.products.find((p) => p.id === product);
    throw new DomainError(ERROR_CODES.channelUnavailable, `Support for ${product} in ${language} is not offered`, {
      availableLanguages: offered?.languages.map((l) => l.language) ?? [],
      availableProducts: catalog.products.map((p) => p.id),
    });
  }
  return { entry, calendar: businessCalendar(entry, await deps.configuration.holidays(product, language)) };
}

/** Intake: `POST /v1/tickets`. */
export async function createTicket(
  deps: TicketDeps,
  principal: Principal,
  input: TicketCreateInput,
  idempotencyKey: string | null,
): Promise<CreatedTicket> {
  const now = deps.clock.now();
  const requester = principal.kind === 'customer' ? 'customer' : 'staff';
  if (principal.kind === 'staff') requireStaffRole(principal, ['agent']);
  const orgId = principal.kind === 'customer' ? principal.orgId : input.orgId;
  if (orgId === undefined) throw new NotFoundError('The organisation');

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
    if (earlier !== null) return replay(deps, earlier, idempotency.bodyHash);
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

  const { severity, severityConfirmed } = initialSeverity(input.severity, requester);
  const target = resolveSlaTarget(await deps.configuration.slaTargets(input.product), severity);
  const { texts, redactions, originals } = redactAll([
    { source: 'subject', text: input.subject },
    { source: 'description', text: input.description },
  ]);
  const [subject = '', description = ''] = texts;
  const createdAt = iso(now);
  const ticketId = deps.ids.newId();
  const ticket: Ticket = {
    id: ticketId,
    orgId,
    customerUid: principal.kind === 'customer' ? principal.uid : (input.customerUid ?? null),
    createdBy: principal.uid,
    product: input.product,
    language: input.language,
    channel: input.channel,
    category: input.category,
    subject,
    description,
    requestedSeverity: input.severity,
    severity,
    severityConfirmed,
    tier: 'L1',
    status: 'new',
    assigneeUid: null,
    createdAt,
    updatedAt: createdAt,
    sla: startSla(target, calendar, now),
    escalations: [],
    severityAssessments: [],
    csat: null,
    managementReview: false,
    redactions,
    resolvedAt: null,
    closedAt: null,
  };
  const events: TicketEvent[] = [
    event(deps, TOPICS.ticketRouting, 'ticket.created', createdAt, {
      ticketId: ticket.id,
      product: ticket.product,
      language: ticket.language,
      tier: ticket.tier,
      severity: ticket.severity,
    }),
  ];
  if (ticket.severity === 1) events.push(severityOneEvent(deps, ticket, createdAt));
  events.push(lifecycleEvent(deps, 'ticket.created', createdAt, { ticketId: ticket.id, severity: ticket.severity }));

  const sealed = await sealOriginals(deps, ticketId, originals, createdAt, true);
  const outcome = await deps.tickets.create({ ticket, events, idempotency, ...(sealed === undefined ? {} : { originals: sealed }) });
  if (!outcome.created) return replay(deps, outcome.existing, idempotency?.bodyHash ?? '');
  await dispatchQuietly(deps, events);
  deps.logger.info('ticket created', { ticketId: ticket.id, product: ticket.product, channel: ticket.channel });
  return { ticket, notices: noticesFor(redactions), redactions, replayed: false };
}

/** The ticket an `Idempotency-Key` created earlier; `409` when the body differs. */
async function replay(deps: Pick<TicketDeps, 'tickets'>, existing: IdempotencyRecord, bodyHash: string): Promise<CreatedTicket> {
  if (existing.bodyHash !== bodyHash) {
    throw new DomainError(ERROR_CODES.idempotencyConflict, 'This Idempotency-Key was already used with a different request body');
  }
  const earlier = await deps.tickets.get(existing.ticketId);
  if (earlier === null) throw new NotFoundError('The ticket created with this Idempotency-Key');
  return { ticket: earlier, notices: noticesFor(earlier.redactions), redactions: earlier.redactions, replayed: true };
}

/** The redaction notice (when something was hidden) and the data-minimisation notice. */
function noticesFor(redactions: readonly RedactionCount[]): string[] {
  const notice = redactionNotice(redactions);
  return notice === null ? [DATA_MINIMISATION_NOTICE] : [notice, DATA_MINIMISATION_NOTICE];
}

/** An outbox event with a fresh id. */
export function event(
  deps: Pick<TicketDeps, 'ids'>,
  topic: TicketEvent['topic'],
  type: string,
  occurredAt: string,
  data: Record<string, unknown>,
): TicketEvent {
  return { id: deps.ids.newId(), topic, type, occurredAt, data };
}

/** The event that starts the incident process for a severity-1 ticket. */
export function severityOneEvent(deps: Pick<TicketDeps, 'ids'>, ticket: Ticket, at: string): TicketEvent {
  return event(deps, TOPICS.ticketSeverityOne, 'ticket.severity_one', at, {
    ticketId: ticket.id,
    product: ticket.product,
    orgId: ticket.orgId,
    tier: ticket.tier,
  });
}

/**
 * Publishes committed events now. A failure is logged, not raised: the events are safe in the
 * outbox and the relay job publishes them.
 */
export async function dispatchQuietly(deps: Pick<TicketDeps, 'outbox' | 'logger'>, events: readonly TicketEvent[]): Promise<void> {
  try {
    await deps.outbox.dispatch(events);
  } catch (error) {
    deps.logger.warn('outbox dispatch deferred to the relay', {
      eventIds: events.map((e) => e.id),
      reason: error instanceof Error ? error.message.slice(0, 200) : 'unknown',
    });
  }
}

/**
 * Runs a ticket decision in one transaction (see `TicketRepository.mutate`) and dispatches the
 * events it committed. `404` when the ticket is gone.
 */
export async function mutateTicket<R>(
  deps: Pick<TicketDeps, 'tickets' | 'outbox' | 'logger'>,
  id: string,
  decide: (ticket: Ticket) => TicketChange<R>,
  idempotencyKey?: string,
): Promise<MutationOutcome<R>> {
  const outcome = await deps.tickets.mutate(id, decide, idempotencyKey);
  if (outcome.applied) await dispatchQuietly(deps, outcome.events);
  return outcome;
}

/** The ticket if the principal may see it; `404` otherwise, as if it did not exist. */
export async function visibleTicket(deps: Pick<TicketDeps, 'tickets'>, principal: Principal, id: string): Promise<Ticket> {
  const ticket = await deps.tickets.get(id);
  if (ticket === null || !canSeeTicket(principal, ticket)) throw new NotFoundError('The ticket');
  return ticket;
}

/** `GET /v1/tickets/{id}`: the ticket and its messages (customers do not see internal ones). */
export async function getTicket(
  deps: Pick<TicketDeps, 'tickets'>,
  principal: Principal,
  id: string,
): Promise<{ ticket: Ticket; messages: Message[] }> {
  const ticket = await visibleTicket(deps, principal, id);
  const messages = await deps.tickets.messages(id);
  return {
    ticket,
    messages: principal.kind === 'customer' ? messages.filter((m) => m.visibility === 'public') : messages,
  };
}

/** Agents' scope keys: one `tier|language|product` per language and product they cover. */
function agentScopeKeys(principal: Extract<Principal, { kind: 'staff' }>): string[] {
  const keys = principal.languages.flatMap((language) => principal.products.map((product) => `${principal.tier ?? ''}|${language}|${product}`));
  return [...new Set(keys)];
}

/** `GET /v1/tickets`: by scope, newest first, with filters and a cursor. */
export async function listTickets(
  deps: Pick<TicketDeps, 'tickets'>,
  principal: Principal,
  query: TicketListQuery,
): Promise<TicketPage> {
  const filter = { status: query.status, tier: query.tier, severity: query.severity };
  const cursor = query.cursor ?? null;
  if (principal.kind === 'customer') return deps.tickets.list({ ...filter, orgId: principal.orgId }, query.limit, cursor);
  switch (principal.role) {
    case 'manager':
    case 'privacy_officer':
      return deps.tickets.list(filter, query.limit, cursor);
    case 'agent': {
      const scopeKeys = agentScopeKeys(principal);
      if (scopeKeys.length === 0 || (query.tier !== undefined && query.tier !== principal.tier)) {
        return { tickets: [], nextCursor: null };
      }
      return deps.tickets.list({ ...filter, scopeKeys }, query.limit, cursor);
    }
    case 'admin':
      return { tickets: [], nextCursor: null };
  }
}

/** The SLA calendar of a ticket (its product and language, with holidays). */
export async function ticketCalendar(deps: Pick<TicketDeps, 'configuration'>, ticket: Ticket): Promise<BusinessCalendar> {
  return (await supportCalendar(deps, ticket.product, ticket.language)).calendar;
}

/**
 * The SLA after a status move, with the lifecycle event the move causes. The first move into
 * a done status (`resolved`, or `closed` straight from work) settles every target for the
 * figures and stops the clocks; `resolved → open` reopens them with full targets; the others
 * pause or resume.
 */
function slaForStatus(
  deps: Pick<TicketDeps, 'ids'>,
  ticket: Ticket,
  status: TicketStatus,
  target: SlaTarget,
  calendar: BusinessCalendar,
  now: number,
): { sla: SlaState; events: TicketEvent[] } {
  const at = iso(now);
  if (DONE_STATUSES.includes(status)) {
    if (DONE_STATUSES.includes(ticket.status)) return { sla: stopSla(ticket.sla), events: [] };
    const settled = settleSla(ticket.sla, SLA_TARGET_NAMES, now);
    const resolved = lifecycleEvent(deps, 'ticket.resolved', at, {
      ticketId: ticket.id,
      tier: ticket.tier,
      severity: ticket.severity,
      escalated: ticket.escalations.length > 0,
      outcomes: settled.outcomes,
    });
    return { sla: stopSla(settled.state), events: [resolved] };
  }
  if (ticket.sla.stopped) {
    return { sla: reopenSla(ticket.sla, target, calendar, now), events: [lifecycleEvent(deps, 'ticket.reopened', at, { ticketId: ticket.id })] };
  }
  if (PAUSED_STATUSES.includes(status)) return { sla: pauseSla(ticket.sla, now), events: [] };
  return { sla: resumeSla(ticket.sla, calendar, now), events: [] };
}

/** `POST /v1/tickets/{id}/messages`. */
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
  const target = resolveSlaTarget(await deps.configuration.slaTargets(before.product), before.severity);
  const messageId = deps.ids.newId();
  const { texts, redactions, originals } = redactAll([{ source: 'message', text: input.body }], messageId);
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
  const outcome = await mutateTicket(deps, id, (ticket) => {
    if (ticket.status === 'closed') {
      throw new DomainError(ERROR_CODES.illegalTransition, 'A closed ticket takes no new messages', { ticketStatus: ticket.status });
    }
    let { sla, status, resolvedAt } = ticket;
    const events: TicketEvent[] = [];
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
    // A customer's answer brings a ticket waiting for them (or resolved: reopened) back to the agents.
    if (principal.kind === 'customer' && (status === 'pending_customer' || status === 'resolved')) {
      const reopened = slaForStatus(deps, { ...ticket, sla }, 'open', target, calendar, now);
      sla = reopened.sla;
      events.push(...reopened.events);
      if (status === 'resolved') resolvedAt = null;
      status = 'open';
    }
    return {
      ticket: { ...ticket, sla, status, resolvedAt, updatedAt: at },
      messages: [message],
      events,
      ...(sealed === undefined ? {} : { originals: sealed }),
      result: message,
    };
  });
  if (!outcome.applied) throw new NotFoundError('The ticket');
  const notice = redactionNotice(redactions);
  return { message, redactions, notices: notice === null ? [] : [notice] };
}

/** `POST /v1/tickets/{id}/status`, through the state machine (`409` on an illegal move). */
export async function changeStatus(deps: TicketDeps, principal: Principal, id: string, status: TicketStatus): Promise<Ticket> {
  const before = await visibleTicket(deps, principal, id);
  if (principal.kind === 'staff') requireStaffRole(principal, ['agent', 'manager']);
  const calendar = await ticketCalendar(deps, before);
  const target = resolveSlaTarget(await deps.configuration.slaTargets(before.product), before.severity);
  const now = deps.clock.now();
  const at = iso(now);
  const outcome = await mutateTicket(deps, id, (ticket) => {
    assertStatusTransition(ticket.status, status, principal.kind);
    const moved = slaForStatus(deps, ticket, status, target, calendar, now);
    const events: TicketEvent[] = [...moved.events];
    if (status === 'resolved') {
      events.push(
        event(deps, TOPICS.notifications, 'csat.invitation', at, {
          ticketId: ticket.id,
          recipientUid: ticket.customerUid,
          orgId: ticket.orgId,
        }),
      );
    }
    return {
      ticket: {
        ...ticket,
        status,
        sla: moved.sla,
        resolvedAt: status === 'resolved' ? at : status === 'open' ? null : ticket.resolvedAt,
        closedAt: status === 'closed' ? at : ticket.closedAt,
        updatedAt: at,
      },
      events,
      result: null,
    };
  });
  if (!outcome.applied) throw new NotFoundError('The ticket');
  return outcome.ticket;
}
