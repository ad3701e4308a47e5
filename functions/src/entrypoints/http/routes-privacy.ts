/** Privacy routes: redaction originals (read, destroy) and manual redaction. */
import { AccessReasonQuerySchema, ManualRedactionSchema } from '../../application/contracts';
import { destroyOriginals } from '../../application/originals/destroy-originals';
import { readOriginals } from '../../application/originals/read-originals';
import { redactByHand } from '../../application/originals/redact-by-hand';
import { services } from '../../wiring';
import { parseInput } from './problem';
import { param, principalOf, type Route } from './router';

/** An originals route: privacy officers only, with the reason that goes to the audit log. */
function originalsRoute(
  method: 'GET' | 'DELETE',
  summary: string,
  useCase: typeof readOriginals | typeof destroyOriginals,
): Route {
  return {
    method,
    pattern: '/v1/tickets/:id/originals',
    summary,
    auth: true,
    who: 'privacy officer',
    callers: { customers: { notFound: 'The ticket' }, staff: ['privacy_officer'] },
    query: AccessReasonQuerySchema,
    successStatus: 200,
    handle: async (request) => {
      const { reason } = parseInput(AccessReasonQuerySchema, request.query, 'query', ['query']);
      return { status: 200, body: await useCase(await services(), principalOf(request), param(request, 'id'), reason) };
    },
  };
}

export const PRIVACY_ROUTES: readonly Route[] = [
  originalsRoute('GET', 'The unredacted originals of a ticket; every read is audited with its reason', readOriginals),
  originalsRoute('DELETE', "Destroy the ticket's data key: its originals become unreadable for good", destroyOriginals),
  {
    method: 'POST',
    pattern: '/v1/tickets/:id/redactions',
    summary: 'Mask a span of a message, subject or description by hand (offsets or exact text)',
    auth: true,
    callers: { customers: { notFound: 'The ticket' }, staff: ['agent', 'privacy_officer'] },
    who: 'agent, privacy officer',
    body: ManualRedactionSchema,
    successStatus: 200,
    handle: async (request) => {
      const input = parseInput(ManualRedactionSchema, request.body, 'redaction');
      return { status: 200, body: await redactByHand(await services(), principalOf(request), param(request, 'id'), input) };
    },
  },
];
