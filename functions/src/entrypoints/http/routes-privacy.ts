/** Privacy routes: redaction originals (read, destroy) and manual redaction. */
import type { PrivacyDeps } from '../../application/originals/privacy-officer';
import { AccessReasonQuerySchema, DestroyOriginalsQuerySchema, ManualRedactionSchema } from '../../application/contracts';
import { destroyOriginals } from '../../application/originals/destroy-originals';
import { readOriginals } from '../../application/originals/read-originals';
import { redactByHand } from '../../application/originals/redact-by-hand';
import { parseInput } from './problem';
import { param, principalOf, type DepsProvider, type Route } from './router';

const originalsRoute = {
  pattern: '/v1/tickets/:id/originals',
  auth: true,
  who: 'privacy officer',
  callers: { customers: { notFound: 'The ticket' }, staff: ['privacy_officer'] },
  successStatus: 200,
} as const;

/** The ports of the privacy routes' use cases. */
export type PrivacyRouteDeps = PrivacyDeps;

export const privacyRoutes = (deps: DepsProvider<PrivacyRouteDeps>): readonly Route[] => [
  {
    ...originalsRoute,
    method: 'GET',
    summary: 'The unredacted originals of a ticket; every read is audited with its reason. Texts no key opens are listed as destroyedOriginals',
    query: AccessReasonQuerySchema,
    handle: async (request) => {
      const { reason } = parseInput(AccessReasonQuerySchema, request.query, 'query', ['query']);
      return { status: 200, body: await readOriginals(await deps(), principalOf(request), param(request, 'id'), reason) };
    },
  },
  {
    ...originalsRoute,
    method: 'DELETE',
    summary:
      "Destroy the ticket's data key: its originals become unreadable for good, and no new key is made; texts with sensitive data sent afterwards are sealed unreadable (afterwards=destroyed, the default) or refused with 422 (afterwards=refused)",
    query: DestroyOriginalsQuerySchema,
    handle: async (request) => {
      const query = parseInput(DestroyOriginalsQuerySchema, request.query, 'query', ['query']);
      return { status: 200, body: await destroyOriginals(await deps(), principalOf(request), param(request, 'id'), query) };
    },
  },
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
