/**
 * The HTTP contract (SPEC §4): each route decodes and validates its input with the zod
 * schemas of `application/contracts.ts`, calls one use case and maps the result.
 */
import { z } from 'zod';
import type { AdminDeps } from '../../application/admin/admin-deps';
import { putHolidays } from '../../application/admin/put-holidays';
import { readCatalog, type CatalogDeps } from '../../application/catalog/read-catalog';
import { putSlaPolicy } from '../../application/admin/put-sla-policy';
import {
  AgentTicketCreateSchema,
  CustomerTicketCreateSchema,
  EscalateSchema,
  SeverityAssessmentSchema,
  HolidaysPutSchema,
  MessageCreateSchema,
  SlaPolicyPutSchema,
  StatusChangeSchema,
  TicketCreateBodySchema,
  TicketListQuerySchema,
} from '../../application/contracts';
import { assessSeverity } from '../../application/escalation/assess-severity';
import { escalateByHand } from '../../application/escalation/escalate-by-hand';
import { addMessage } from '../../application/tickets/add-message';
import { changeStatus } from '../../application/tickets/change-status';
import { createTicket } from '../../application/tickets/create-ticket';
import { getTicket } from '../../application/tickets/get-ticket';
import { listTickets } from '../../application/tickets/list-tickets';
import type { TicketDeps } from '../../application/tickets/ticket-mutation';
import { EVERY_CALLER, type Callers, type Principal } from '../../domain/access';
import { InvalidInputError } from '../../domain/errors';
import type { Ticket } from '../../domain/ticket';
import type { Message } from '../../application/records';
import { parseInput } from './problem';
import { param, principalOf, type ApiRequest, type ApiResponse, type DepsProvider, type Route } from './router';

const ADMINS: Callers = { customers: 'forbidden', staff: ['admin'] };

const ok = (body: unknown, status = 200, headers?: Record<string, string>): ApiResponse => ({ status, body, ...(headers ? { headers } : {}) });

/** A message as the API shows it: customers see that staff wrote it, not which staff member. */
function messageJson(message: Message, viewer: Principal): Record<string, unknown> {
  if (viewer.kind === 'customer' && message.authorKind !== 'customer') {
    const { authorUid: _staff, ...visible } = message;
    return visible;
  }
  return { ...message };
}

/** An instant of the SLA clocks (epoch ms) as the API shows instants: ISO-8601 UTC. */
function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * A ticket as the API shows it: the stored ticket minus internal bookkeeping. Customers do not
 * see staff-internal facts: who assessed or escalated, the assignee, the review flag.
 */
export function ticketJson(ticket: Ticket, viewer: Principal): Record<string, unknown> {
  const { sla, ...stored } = ticket;
  const rest =
    viewer.kind === 'customer'
      ? (({ severityAssessments: _assessments, managementReview: _review, assigneeUid: _assignee, createdBy: _creator, ...visible }) => ({
          ...visible,
          escalations: ticket.escalations.map(({ from, to, at, reason }) => ({ from, to, at, reason })),
        }))(stored)
      : stored;
  return {
    ...rest,
    sla: {
      firstResponseDueAt: isoOrNull(sla.clocks.firstResponse?.dueAt),
      nextUpdateDueAt: isoOrNull(sla.clocks.nextUpdate?.dueAt),
      resolutionDueAt: isoOrNull(sla.clocks.resolution?.dueAt),
      paused: sla.paused,
      firstRespondedAt: isoOrNull(sla.firstRespondedAt),
    },
  };
}

const IdempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

function idempotencyKey(request: ApiRequest): string | null {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return null;
  const value = Array.isArray(raw) ? raw[0] : raw;
  const parsed = IdempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidInputError('The Idempotency-Key header is invalid', [
      { path: 'headers.Idempotency-Key', message: parsed.error.issues[0]?.message ?? 'is invalid' },
    ]);
  }
  return parsed.data;
}

/** The ports of the core routes' use cases. */
export type CoreRouteDeps = TicketDeps & AdminDeps & CatalogDeps;

/** The core routes: catalog, tickets, admin. Other capabilities add their own route files. */
export const coreRoutes = (deps: DepsProvider<CoreRouteDeps>): readonly Route[] => [
  {
    method: 'GET',
    pattern: '/v1/catalog',
    summary: 'The support catalog, with openNow and nextOpenAt per language and channel',
    auth: false,
    who: 'anyone',
    successStatus: 200,
    handle: async () => ok(await readCatalog(await deps())),
  },
  {
    method: 'POST',
    pattern: '/v1/tickets',
    summary: 'Create a ticket (Idempotency-Key supported)',
    auth: true,
    callers: { customers: 'allowed', staff: ['agent'] },
    who: "customer, agent (an agent's ticket names orgId and optionally customerUid, a customer of it, and must be inside the agent's tier L1, languages and products)",
    body: TicketCreateBodySchema,
    successStatus: 201,
    handle: async (request) => {
      const principal = principalOf(request);
      const input =
        principal.kind === 'customer'
          ? parseInput(CustomerTicketCreateSchema, request.body, 'ticket')
          : parseInput(AgentTicketCreateSchema, request.body, 'ticket');
      const key = idempotencyKey(request);
      const created = await createTicket(await deps(), principal, input, key);
      return ok(
        { ...ticketJson(created.ticket, principal), notices: created.notices, redactions: created.redactions },
        201,
        {
          Location: `/v1/tickets/${created.ticket.id}`,
          ...(created.replayed ? { 'Idempotent-Replayed': 'true' } : {}),
        },
      );
    },
  },
  {
    method: 'GET',
    pattern: '/v1/tickets',
    summary: 'List tickets in the caller\'s scope (filters status, tier, severity; cursor paging)',
    auth: true,
    callers: EVERY_CALLER,
    who: 'by scope',
    query: TicketListQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const query = parseInput(TicketListQuerySchema, request.query, 'query', ['query']);
      const principal = principalOf(request);
      const page = await listTickets(await deps(), principal, query);
      return ok({ items: page.tickets.map((t) => ticketJson(t, principal)), nextCursor: page.nextCursor });
    },
  },
  {
    method: 'GET',
    pattern: '/v1/tickets/:id',
    summary: 'One ticket, redacted, with its messages',
    auth: true,
    callers: EVERY_CALLER,
    who: 'by scope',
    successStatus: 200,
    handle: async (request) => {
      const principal = principalOf(request);
      const { ticket, messages } = await getTicket(await deps(), principal, param(request, 'id'));
      return ok({ ...ticketJson(ticket, principal), messages: messages.map((m) => messageJson(m, principal)) });
    },
  },
  {
    method: 'POST',
    pattern: '/v1/tickets/:id/messages',
    summary: 'Add a public or internal message',
    auth: true,
    callers: { customers: 'allowed', staff: ['agent', 'manager'] },
    who: 'by scope',
    body: MessageCreateSchema,
    successStatus: 201,
    handle: async (request) => {
      const input = parseInput(MessageCreateSchema, request.body, 'message');
      const added = await addMessage(await deps(), principalOf(request), param(request, 'id'), input);
      return ok({ ...added.message, notices: added.notices }, 201);
    },
  },
  {
    method: 'POST',
    pattern: '/v1/tickets/:id/status',
    summary: 'Move the ticket through its state machine (409 on an illegal move)',
    auth: true,
    callers: { customers: 'allowed', staff: ['agent', 'manager'] },
    who: 'by scope',
    body: StatusChangeSchema,
    successStatus: 200,
    handle: async (request) => {
      const { status } = parseInput(StatusChangeSchema, request.body, 'status change');
      return ok(ticketJson(await changeStatus(await deps(), principalOf(request), param(request, 'id'), status), principalOf(request)));
    },
  },
  {
    method: 'POST',
    pattern: '/v1/tickets/:id/escalate',
    summary: 'Escalate by hand to the next or a given higher tier, with a reason',
    auth: true,
    callers: { customers: 'forbidden', staff: ['agent', 'manager'] },
    who: 'agent, manager',
    body: EscalateSchema,
    successStatus: 200,
    handle: async (request) => {
      const input = parseInput(EscalateSchema, request.body, 'escalation');
      return ok(ticketJson(await escalateByHand(await deps(), principalOf(request), param(request, 'id'), input), principalOf(request)));
    },
  },
  {
    method: 'POST',
    pattern: '/v1/tickets/:id/severity',
    summary: 'Assess the severity (staff only); SLA due times are recomputed',
    auth: true,
    callers: { customers: 'forbidden', staff: ['agent', 'manager'] },
    who: 'agent, manager',
    body: SeverityAssessmentSchema,
    successStatus: 200,
    handle: async (request) => {
      const input = parseInput(SeverityAssessmentSchema, request.body, 'severity assessment');
      return ok(ticketJson(await assessSeverity(await deps(), principalOf(request), param(request, 'id'), input), principalOf(request)));
    },
  },
  {
    method: 'PUT',
    pattern: '/v1/admin/sla-policies/:product',
    summary: 'SLA targets of a product for tickets created afterwards',
    auth: true,
    callers: ADMINS,
    who: 'admin',
    body: SlaPolicyPutSchema,
    successStatus: 200,
    handle: async (request) => {
      const { targets } = parseInput(SlaPolicyPutSchema, request.body, 'SLA policy');
      return ok(await putSlaPolicy(await deps(), principalOf(request), param(request, 'product'), targets));
    },
  },
  {
    method: 'PUT',
    pattern: '/v1/admin/calendars/:product/:language/holidays',
    summary: 'Public holidays of a product and language calendar',
    auth: true,
    callers: ADMINS,
    who: 'admin',
    body: HolidaysPutSchema,
    successStatus: 200,
    handle: async (request) => {
      const { holidays } = parseInput(HolidaysPutSchema, request.body, 'holidays');
      return ok(
        await putHolidays(await deps(), principalOf(request), param(request, 'product'), param(request, 'language'), holidays),
      );
    },
  },
];
