/** Privacy routes: redaction originals (read, destroy) and manual redaction. */
import type { PrivacyDeps } from '../../application/originals/privacy-officer';
import { AccessReasonQuerySchema, ManualRedactionSchema } from '../../application/contracts';
import { destroyOriginals } from '../../application/originals/destroy-originals';
import { readOriginals } from '../../application/originals/read-originals';
import { redactByHand } from '../../application/originals/redact-by-hand';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

/** An originals route: privacy officers only, with the reason that goes to the audit log. */
function originalsRoute(
  deps: DepsProvider<PrivacyDeps>,
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
      return { status: 200, body: await useCase(await deps(), principalOf(request), param(request, 'id'), reason) };
    },
  };
}

/** The ports of the privacy routes' use cases. */
export type PrivacyRouteDeps = PrivacyDeps;

export const privacyRoutes = (deps: DepsProvider<PrivacyRouteDeps>): readonly Route[] => [
  originalsRoute(deps, 'GET', 'The unredacted originals of a ticket; every read is audited with its reason', readOriginals),
  originalsRoute(deps, 'DELETE', "Destroy the ticket's data key: its originals become unreadable for good", destroyOriginals),
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
      return { status: 200, body: await redactByHand(await deps(), principalOf(request), param(request, 'id'), input) };
    },
  },
];
