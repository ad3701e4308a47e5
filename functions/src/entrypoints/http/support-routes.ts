/**
 * Satisfaction and support figures over HTTP: the customer's rating of a resolved ticket and
 * the managers' figures. Status codes and counting rules are documented in `domain/csat.ts`
 * and `domain/support-figures.ts`.
 */
import type { FiguresDeps } from '../../application/support/figures-deps';
import type { TicketDeps } from '../../application/tickets/ticket-mutation';
import { CsatSchema, SupportFiguresQuerySchema } from '../../application/contracts';
import { readSupportFigures } from '../../application/support/read-support-figures';
import { submitCsat } from '../../application/support/submit-csat';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

/** The ports of the CSAT and support-figure routes' use cases. */
export type SupportRouteDeps = TicketDeps & FiguresDeps;

export const supportRoutes = (deps: DepsProvider<SupportRouteDeps>): readonly Route[] => [
  {
    method: 'POST',
    pattern: '/v1/tickets/:id/csat',
    summary:
      "Rate a resolved or closed ticket 1–5 with an optional comment (redacted): once (409 again), within 28 days of resolution (422 after); only the ticket's customer (403 staff, 404 other customers)",
    auth: true,
    callers: { customers: 'allowed', staff: [] },
    who: "the ticket's customer",
    body: CsatSchema,
    successStatus: 201,
    handle: async (request) => {
      const input = parseInput(CsatSchema, request.body, 'rating');
      const answered = await submitCsat(await deps(), principalOf(request), param(request, 'id'), input);
      return { status: 201, body: { ticketId: answered.ticketId, ...answered.csat, redactions: answered.redactions } };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/metrics/support',
    summary:
      'Support figures of whole UTC days from..to (at most 366): positive-rating share, first-level resolution, SLA attainment per target, counts per tier and severity, median first response in business time',
    auth: true,
    callers: { customers: 'forbidden', staff: ['manager'] },
    who: 'manager',
    query: SupportFiguresQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const query = parseInput(SupportFiguresQuerySchema, request.query, 'query', ['query']);
      return { status: 200, body: await readSupportFigures(await deps(), principalOf(request), query) };
    },
  },
];
